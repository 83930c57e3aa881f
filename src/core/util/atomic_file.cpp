#include "pm/util/atomic_file.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <random>
#include <streambuf>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include "pm/util/error.hpp"

namespace fs = std::filesystem;

namespace pm {

namespace {

/// A buffered stream buffer over a file descriptor that remembers the first write error
/// (std::ofstream forgets errno, and cannot be opened with O_EXCL|O_NOFOLLOW).
class FdBuffer : public std::streambuf {
 public:
  explicit FdBuffer(int fd) : m_fd(fd) { setp(m_buffer, m_buffer + sizeof(m_buffer)); }
  int error() const { return m_error; }

  /// Writes what is buffered; false (and error() set) when the descriptor refused it.
  bool drain() {
    const char* at = pbase();
    while (at < pptr() && m_error == 0) {
      ssize_t n = ::write(m_fd, at, static_cast<std::size_t>(pptr() - at));
      if (n < 0 && errno == EINTR) {
        continue;
      }
      if (n <= 0) {
        m_error = n < 0 ? errno : EIO;
        break;
      }
      at += n;
    }
    setp(m_buffer, m_buffer + sizeof(m_buffer));
    return m_error == 0;
  }

 protected:
  int_type overflow(int_type c) override {
    if (!drain()) {
      return traits_type::eof();
    }
    if (!traits_type::eq_int_type(c, traits_type::eof())) {
      *pptr() = traits_type::to_char_type(c);
      pbump(1);
    }
    return traits_type::not_eof(c);
  }
  int sync() override { return drain() ? 0 : -1; }

 private:
  int m_fd;
  int m_error = 0;
  char m_buffer[64 * 1024];
};

std::string errno_text(int error) { return std::strerror(error); }

Error cannot_write(const fs::path& file, const std::string& why) {
  return Error(fmt::format("cannot write {}: {}", file.string(), why));
}

/// A name nobody can guess: links planted at predictable names are what this defeats.
std::string random_suffix() {
  static const char k_chars[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  std::random_device random;
  std::string out;
  for (int i = 0; i < 12; ++i) {
    out += k_chars[random() % (sizeof(k_chars) - 1)];
  }
  return out;
}

void sync_directory(const fs::path& dir) {
  int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {
    ::fsync(fd);  // some file systems refuse to sync a directory; the rename stands anyway
    ::close(fd);
  }
}

}  // namespace

struct OutputFile::State {
  fs::path target;
  fs::path temp;        ///< empty when written directly (stdout, a device, a FIFO)
  int fd = -1;
  bool own_fd = false;  ///< false for stdout
  bool committed = false;
  std::unique_ptr<FdBuffer> buffer;
  std::unique_ptr<std::ostream> stream;

  void open_direct(int flags) {
    fd = ::open(target.c_str(), flags | O_WRONLY | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) {
      throw cannot_write(target, errno_text(errno));
    }
    own_fd = true;
    struct stat st {};
    if (::fstat(fd, &st) != 0 || S_ISREG(st.st_mode) || S_ISDIR(st.st_mode)) {
      // Swapped for a regular file between the look and the open: write it the safe way.
      ::close(fd);
      fd = -1;
      throw cannot_write(target, "it changed while pm was opening it; run the command again");
    }
  }

  void open_temp(unsigned mode, const struct stat* existing) {
    fs::path dir = target.parent_path();
    std::string base = target.filename().string();
    for (int attempt = 0; attempt < 100 && fd < 0; ++attempt) {
      // Never ends in .json or the target's own extension: the spool only takes *.json.
      fs::path name = dir / fmt::format(".{}.pm-{}", base, random_suffix());
      fd = ::open(name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
      if (fd >= 0) {
        temp = name;
      } else if (errno != EEXIST) {
        int error = errno;
        std::error_code ec;
        if (!fs::is_directory(dir.empty() ? fs::path(".") : dir, ec)) {
          throw cannot_write(target, fmt::format("there is no directory {}", dir.string()));
        }
        throw cannot_write(target, errno_text(error));
      }
    }
    if (fd < 0) {
      throw cannot_write(target, "no unused temporary name in its directory");
    }
    own_fd = true;
    // The exact mode, whatever the umask: 0600 stays 0600 under umask 0, and a shared
    // project's 0640 survives umask 077. A rewritten file keeps its mode and group.
    if (existing != nullptr) {
      if (::fchown(fd, static_cast<uid_t>(-1), existing->st_gid) != 0) {
        // Not a member of the file's group: it gets ours, the mode still says who reads it.
      }
      mode = existing->st_mode & 07777;
    }
    if (::fchmod(fd, mode) != 0) {
      int error = errno;
      discard();
      throw cannot_write(target, errno_text(error));
    }
  }

  void discard() {
    if (own_fd && fd >= 0) {
      ::close(fd);
    }
    fd = -1;
    if (!temp.empty()) {
      ::unlink(temp.c_str());
      temp.clear();
    }
  }
};

OutputFile::OutputFile(const fs::path& target, unsigned new_mode)
    : m_state(std::make_unique<State>()) {
  State& s = *m_state;
  s.target = target;
  if (target.empty() || target == "-") {
    std::fflush(stdout);  // what was printed before comes first
    s.fd = STDOUT_FILENO;
  } else {
    struct stat st {};
    if (::lstat(target.c_str(), &st) != 0) {
      if (errno != ENOENT) {
        throw cannot_write(target, errno_text(errno));
      }
      s.open_temp(new_mode, nullptr);
    } else if (S_ISLNK(st.st_mode)) {
      struct stat to {};
      if (::stat(target.c_str(), &to) != 0 || S_ISREG(to.st_mode) || S_ISDIR(to.st_mode)) {
        throw cannot_write(target, "it is a symbolic link, and pm writes through a link only to "
                                   "a device or a pipe; give the path it points to (or -o - for "
                                   "standard output)");
      }
      s.open_direct(0);
    } else if (S_ISDIR(st.st_mode)) {
      throw cannot_write(target, "it is a directory; give a file name");
    } else if (S_ISREG(st.st_mode)) {
      s.open_temp(new_mode, &st);
    } else {
      s.open_direct(O_NOFOLLOW);  // a device, a FIFO: written into, never replaced
    }
  }
  s.buffer = std::make_unique<FdBuffer>(s.fd);
  s.stream = std::make_unique<std::ostream>(s.buffer.get());
}

OutputFile::~OutputFile() {
  if (!m_state->committed) {
    m_state->discard();
  }
}

std::ostream& OutputFile::stream() { return *m_state->stream; }

bool OutputFile::is_stdout() const { return !m_state->own_fd; }

void OutputFile::commit() {
  State& s = *m_state;
  std::string name = s.own_fd ? s.target.string() : std::string("standard output");
  s.stream->flush();
  if (!s.buffer->drain() || !*s.stream) {
    int error = s.buffer->error();
    s.discard();
    throw Error(fmt::format("cannot write {}: {}", name,
                            error != 0 ? errno_text(error) : std::string("write failed")));
  }
  if (!s.own_fd) {
    s.committed = true;
    return;
  }
  if (!s.temp.empty() && ::fsync(s.fd) != 0) {
    int error = errno;
    s.discard();
    throw cannot_write(s.target, errno_text(error));
  }
  int fd = s.fd;
  s.fd = -1;
  if (::close(fd) != 0 && errno != EINTR) {
    int error = errno;
    s.discard();
    throw cannot_write(s.target, errno_text(error));
  }
  if (!s.temp.empty()) {
    // rename() replaces the name, whatever it is now: a link put there meanwhile is replaced,
    // never followed.
    if (::rename(s.temp.c_str(), s.target.c_str()) != 0) {
      int error = errno;
      s.discard();
      throw cannot_write(s.target, errno_text(error));
    }
    s.temp.clear();
    sync_directory(s.target.parent_path());
  }
  s.committed = true;
}

void write_file_atomic(const fs::path& file, const std::string& content, unsigned new_mode) {
  write_file_atomic(file, [&](std::ostream& out) { out << content; }, new_mode);
}

void write_file_atomic(const fs::path& file, const std::function<void(std::ostream&)>& write,
                       unsigned new_mode) {
  if (file.empty() || file == "-") {
    throw Error(fmt::format("cannot write '{}': pm's own files need a name", file.string()));
  }
  OutputFile out(file, new_mode);
  write(out.stream());
  out.commit();
}

void create_directory_like_parent(const fs::path& dir) {
  struct stat parent {};
  fs::path above = dir.parent_path().empty() ? fs::path(".") : dir.parent_path();
  if (::stat(above.c_str(), &parent) != 0) {
    throw Error(fmt::format("cannot create {}: {}", dir.string(), errno_text(errno)));
  }
  if (::mkdir(dir.c_str(), 0700) != 0) {
    if (errno == EEXIST) {
      return;
    }
    throw Error(fmt::format("cannot create {}: {}", dir.string(), errno_text(errno)));
  }
  ::chmod(dir.c_str(), parent.st_mode & 07777);  // at worst it stays 0700, owner only
}

}  // namespace pm
