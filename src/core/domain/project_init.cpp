// pm init's core: a project appears whole or not at all. Everything is built in a temporary
// directory beside .pm/ and renamed into place as the last step, so a crash (kill -9, power cut
// after the sync) leaves either no .pm/ or a working one; what an interrupted init left behind
// is removed by the next one.
#include "pm/domain/project.hpp"

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include "pm/storage/ledger.hpp"
#include "pm/util/error.hpp"

namespace fs = std::filesystem;

namespace pm {

namespace {

/// Temporary directories are named .pm.init-PID-XXXXXX: the PID tells a stale one (its process
/// is gone) from one a running init is still filling.
constexpr std::string_view k_temp_prefix = ".pm.init-";

/// Makes a file's data, or a directory's entries, durable; a failure only weakens the guarantee
/// against power cuts, never against a killed process, so it is not an error.
void sync_path(const fs::path& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
}

bool process_is_gone(const std::string& pid_text) {
  try {
    std::size_t used = 0;
    long pid = std::stol(pid_text, &used);
    return used == pid_text.size() && pid > 0 && ::kill(static_cast<pid_t>(pid), 0) != 0 &&
           errno == ESRCH;
  } catch (const std::exception&) {
    return false;
  }
}

/// .pm/ as an older pm's interrupted init left it: a directory holding nothing but
/// project.yaml.tmpPID files (that pm created .pm/ first and wrote project.yaml through one).
bool is_old_leftover(const fs::path& dir) {
  std::error_code ec;
  if (fs::is_symlink(dir, ec) || !fs::is_directory(dir, ec)) {
    return false;
  }
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.path().filename().string().rfind("project.yaml.tmp", 0) != 0) {
      return false;
    }
  }
  return !ec;
}

void remove_leftovers(const ProjectPaths& paths) {
  std::error_code ec;
  if (is_old_leftover(paths.dir())) {
    fs::remove_all(paths.dir(), ec);
  }
  for (const auto& entry : fs::directory_iterator(paths.root, ec)) {
    std::string name = entry.path().filename().string();
    if (name.rfind(k_temp_prefix, 0) != 0 || fs::is_symlink(entry.path(), ec)) {
      continue;
    }
    std::string rest = name.substr(k_temp_prefix.size());
    if (process_is_gone(rest.substr(0, rest.find('-')))) {
      std::error_code ignored;
      fs::remove_all(entry.path(), ignored);
    }
  }
}

/// Renames `from` to `to` unless `to` exists: rename(2) alone would replace an empty directory
/// that a concurrent init had just put there.
void rename_into_place(const fs::path& from, const fs::path& to) {
  if (::renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), RENAME_NOREPLACE) == 0) {
    return;
  }
  int error = errno;
  if (error == EINVAL || error == ENOSYS) {  // a file system without RENAME_NOREPLACE
    std::error_code ec;
    if (!fs::exists(to, ec) && ::rename(from.c_str(), to.c_str()) == 0) {
      return;
    }
    error = fs::exists(to, ec) ? EEXIST : errno;
  }
  if (error == EEXIST || error == ENOTEMPTY) {
    throw Error(fmt::format("a pm project already exists in {}; nothing was changed",
                            to.parent_path().string()));
  }
  throw Error(fmt::format("cannot create {}: {}", to.string(), std::strerror(error)));
}

}  // namespace

void ensure_no_project(const fs::path& root) {
  ProjectPaths paths{fs::absolute(root)};
  std::error_code ec;
  if (fs::is_directory(paths.root, ec)) {
    remove_leftovers(paths);
  }
  if (fs::exists(fs::symlink_status(paths.dir(), ec))) {
    throw Error(fmt::format("a pm project already exists in {}; nothing was changed",
                            paths.root.string()));
  }
}

ProjectPaths init_project(const fs::path& root, const ProjectConfig& config) {
  ProjectPaths paths{fs::absolute(root)};
  validate_config(config);
  ensure_no_project(paths.root);
  std::error_code ec;
  fs::create_directories(paths.root, ec);
  if (ec) {
    throw Error(fmt::format("cannot create {}: {}", paths.root.string(), ec.message()));
  }
  std::string pattern =
      (paths.root / fmt::format("{}{}-XXXXXX", k_temp_prefix, ::getpid())).string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    throw Error(fmt::format("cannot create a directory in {}: {}", paths.root.string(),
                            std::strerror(errno)));
  }
  fs::path temp = pattern;
  try {
    if (config.shared == "group") {
      // As git's sharedRepository: the group writes here, and what is created here is the
      // group's (setgid), whatever the umask of whoever runs pm.
      ::chmod(temp.c_str(), 02770);
    }
    fs::path yaml = temp / "project.yaml";
    write_file_atomic(yaml, config_to_yaml(config), project_file_mode(config));
    sync_path(yaml);
    {
      Ledger ledger((temp / "ledger.db").string(), Ledger::Mode::create,
                    Ledger::k_busy_timeout_ms, ledger_file_mode(config));
    }
    sync_path(temp);
    rename_into_place(temp, paths.dir());
  } catch (...) {
    fs::remove_all(temp, ec);
    throw;
  }
  sync_path(paths.root);
  return paths;
}

}  // namespace pm
