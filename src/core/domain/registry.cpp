#include "pm/domain/registry.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <functional>
#include <sys/file.h>
#include <unistd.h>

#include <fmt/format.h>

#include "pm/util/error.hpp"
#include "pm/domain/project.hpp"

namespace fs = std::filesystem;

namespace pm {

namespace {

/// An exclusive flock on FILE.lock for as long as it lives.
class RegistryLock {
 public:
  explicit RegistryLock(const fs::path& file) {
    std::string lock = file.string() + ".lock";
    m_fd = ::open(lock.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (m_fd < 0 || ::flock(m_fd, LOCK_EX) != 0) {
      int error = errno;
      if (m_fd >= 0) {
        ::close(m_fd);
      }
      throw Error(fmt::format("cannot lock {}: {}", lock, std::strerror(error)));
    }
  }
  ~RegistryLock() { ::close(m_fd); }  // closing releases the lock
  RegistryLock(const RegistryLock&) = delete;
  RegistryLock& operator=(const RegistryLock&) = delete;

 private:
  int m_fd = -1;
};

/// The registry's lines, as written (a missing file has none).
std::vector<std::string> registry_lines(const fs::path& file) {
  std::vector<std::string> lines;
  std::error_code ec;
  if (!fs::exists(file, ec)) {
    return lines;
  }
  std::string content = read_file(file);
  std::size_t start = 0;
  while (start < content.size()) {
    std::size_t end = content.find('\n', start);
    if (end == std::string::npos) {
      end = content.size();
    }
    lines.push_back(content.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

/// The directory a registry line names; empty for a blank line or a comment.
std::string line_directory(std::string line) {
  if (!line.empty() && line.back() == '\r') {
    line.pop_back();
  }
  return line.empty() || line.front() == '#' ? std::string() : line;
}

fs::path canonical_dir(const fs::path& root) {
  std::error_code ec;
  fs::path dir = fs::weakly_canonical(fs::absolute(root), ec);
  return ec ? fs::absolute(root).lexically_normal() : dir;
}

/// Rewrites the registry under its lock without the lines `drop` says to drop; returns the
/// directories dropped.
std::vector<fs::path> drop_lines(const fs::path& file,
                                 const std::function<bool(const fs::path&)>& drop) {
  RegistryLock lock(file);
  std::vector<fs::path> dropped;
  std::string content;
  for (const auto& line : registry_lines(file)) {
    const std::string dir = line_directory(line);
    if (!dir.empty() && drop(fs::path(dir))) {
      dropped.emplace_back(dir);
    } else {
      content += line + '\n';
    }
  }
  if (!dropped.empty()) {
    write_file_atomic(file, content);
  }
  return dropped;
}

}  // namespace

fs::path registry_path() {
  const char* data = std::getenv("XDG_DATA_HOME");
  if (data != nullptr && *data != '\0' && fs::path(data).is_absolute()) {
    return fs::path(data) / "pm" / "projects";
  }
  const char* home = std::getenv("HOME");
  if (home == nullptr || *home == '\0') {
    throw Error("neither XDG_DATA_HOME nor HOME is set, so pm has no place for its registry of "
                "projects; set HOME");
  }
  return fs::path(home) / ".local" / "share" / "pm" / "projects";
}

std::vector<fs::path> read_registry(const fs::path& file) {
  std::vector<fs::path> out;
  std::error_code ec;
  if (!fs::exists(file, ec)) {
    return out;
  }
  std::ifstream in(file);
  if (!in) {
    throw Error(fmt::format("cannot read the registry of projects {}: {}", file.string(),
                            std::strerror(errno)));
  }
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') {
      line.pop_back();
    }
    if (!line.empty() && line.front() != '#') {
      out.emplace_back(line);
    }
  }
  return out;
}

bool register_project(const fs::path& file, const fs::path& root) {
  std::error_code ec;
  const fs::path dir = canonical_dir(root);
  if (dir.string().find_first_of("\r\n") != std::string::npos) {
    throw Error(fmt::format("the path {} holds a line break and cannot be registered",
                            dir.string()));
  }
  fs::create_directories(file.parent_path(), ec);
  if (ec) {
    throw Error(fmt::format("cannot create {}: {}", file.parent_path().string(), ec.message()));
  }
  RegistryLock lock(file);
  std::vector<fs::path> projects = read_registry(file);
  for (const auto& p : projects) {
    if (p == dir) {
      return false;
    }
  }
  std::string content = fs::exists(file, ec) ? read_file(file) : std::string();
  if (!content.empty() && content.back() != '\n') {
    content += '\n';
  }
  content += dir.string() + '\n';
  write_file_atomic(file, content);
  return true;
}

fs::path forget_project(const fs::path& file, const fs::path& root) {
  const fs::path dir = canonical_dir(root);
  const fs::path absolute = fs::absolute(root).lexically_normal();
  bool done = false;  // one line only: a directory listed twice by hand loses one line
  std::vector<fs::path> dropped = drop_lines(file, [&](const fs::path& line) {
    if (done) {
      return false;
    }
    done = line == root || line == absolute || line == dir ||
           line.lexically_normal() == absolute;
    return done;
  });
  if (dropped.empty()) {
    throw Error(fmt::format("{} is not in the registry of projects {} (pm registry list shows "
                            "what is)",
                            root.string(), file.string()));
  }
  return dropped.front();
}

std::vector<fs::path> forget_missing_projects(const fs::path& file) {
  return drop_lines(file, [](const fs::path& dir) {
    std::error_code ec;
    const bool exists = fs::exists(dir, ec);
    return !exists && !ec;
  });
}

}  // namespace pm
