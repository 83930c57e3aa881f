#include "pm/domain/registry.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <fstream>
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
  fs::path dir = fs::weakly_canonical(fs::absolute(root), ec);
  if (ec) {
    dir = fs::absolute(root).lexically_normal();
  }
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

}  // namespace pm
