#pragma once
// Runs the built pm binary in a temporary directory and captures what it did.
#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace pm::test {

/// How many times a stress test repeats: `full` in a plain build, a fifth of it under the
/// sanitizers (PM_SANITIZE), where each start of pm costs about half a second of CPU, and a
/// quarter of that again on a ledger server (PM_LEDGER_URL), where each also connects to it.
inline int stress(int full) {
  const char* server = std::getenv("PM_LEDGER_URL");
  const int divisor = PM_STRESS_DIVISOR * (server != nullptr && *server != '\0' ? 4 : 1);
  return full / divisor > 0 ? full / divisor : 1;
}


struct Result {
  int code = -1;
  std::string out;
  std::string err;
};

/// A fresh directory under the system's temp dir, removed at the end of the test.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return m_path; }
  std::filesystem::path operator/(const std::string& name) const { return m_path / name; }

 private:
  std::filesystem::path m_path;
};

/// Environment for runs: a fixed PM_NOW and PM_AUTHOR, HOME and XDG dirs inside `home`,
/// no PM_DIR, no colour. `extra` adds or replaces variables ("" removes one).
std::map<std::string, std::string> test_env(const std::filesystem::path& home);

/// Runs `pm args...` in `cwd` with exactly `env`; `input` is fed to its stdin.
Result run(const std::vector<std::string>& args, const std::filesystem::path& cwd,
           const std::map<std::string, std::string>& env, const std::string& input = "");

/// Runs `/bin/sh -c script` in `cwd` with exactly `env` (git in hook tests).
Result sh(const std::string& script, const std::filesystem::path& cwd,
          const std::map<std::string, std::string>& env);

/// A temporary project initialised with a client approver; runs pm in it.
class Project {
 public:
  explicit Project(const std::vector<std::string>& init_args = {});
  Result pm(const std::vector<std::string>& args, const std::string& input = "") const;
  const std::filesystem::path& root() const { return m_dir.path(); }
  std::map<std::string, std::string> env;
  /// sqlite3-free look at the ledger: the number of entries.
  int entry_count() const;

 private:
  TempDir m_dir;
};

std::string read(const std::filesystem::path& file);

}  // namespace pm::test
