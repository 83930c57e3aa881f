#include "harness.hpp"

#include <algorithm>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <poll.h>
#include <sstream>
#include <stdexcept>
#include <sys/wait.h>
#include <unistd.h>

#include <SQLiteCpp/SQLiteCpp.h>

extern char** environ;

namespace pm::test {

TempDir::TempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "pm-test-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    throw std::runtime_error("mkdtemp failed");
  }
  m_path = pattern;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::permissions(m_path, std::filesystem::perms::owner_all,
                               std::filesystem::perm_options::add, ec);
  std::filesystem::remove_all(m_path, ec);
}

std::map<std::string, std::string> test_env(const std::filesystem::path& home) {
  std::map<std::string, std::string> env;
  for (char** e = environ; *e != nullptr; ++e) {
    std::string kv = *e;
    auto eq = kv.find('=');
    if (eq != std::string::npos) {
      env[kv.substr(0, eq)] = kv.substr(eq + 1);
    }
  }
  for (const char* name : {"PM_DIR", "PM_AUTHOR", "PM_NOW", "NO_COLOR", "TZ", "PM_TEMPLATE_PATH"}) {
    env.erase(name);
  }
  env["PM_NOW"] = "2026-11-20T10:00:00+03:00";
  env["PM_AUTHOR"] = "Test Author";
  env["HOME"] = home.string();
  env["XDG_DATA_HOME"] = (home / ".local/share").string();
  env["XDG_CONFIG_HOME"] = (home / ".config").string();
  env["GIT_CONFIG_NOSYSTEM"] = "1";
  return env;
}

namespace {

Result run_program(std::vector<std::string> argv_storage, const std::filesystem::path& cwd,
                   const std::map<std::string, std::string>& env, const std::string& input) {
  int out_pipe[2];
  int err_pipe[2];
  int in_pipe[2];
  if (::pipe(out_pipe) != 0 || ::pipe(err_pipe) != 0 || ::pipe(in_pipe) != 0) {
    throw std::runtime_error("pipe failed");
  }
  std::vector<std::string> env_storage;
  for (const auto& [k, v] : env) {
    env_storage.push_back(k + "=" + v);
  }
  pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(in_pipe[0], 0);
    ::dup2(out_pipe[1], 1);
    ::dup2(err_pipe[1], 2);
    for (int fd : {in_pipe[0], in_pipe[1], out_pipe[0], out_pipe[1], err_pipe[0], err_pipe[1]}) {
      ::close(fd);
    }
    if (::chdir(cwd.c_str()) != 0) {
      ::_exit(126);
    }
    std::vector<char*> argv;
    for (auto& a : argv_storage) {
      argv.push_back(a.data());
    }
    argv.push_back(nullptr);
    std::vector<char*> envp;
    for (auto& e : env_storage) {
      envp.push_back(e.data());
    }
    envp.push_back(nullptr);
    ::execve(argv[0], argv.data(), envp.data());
    ::_exit(127);
  }
  ::close(in_pipe[0]);
  ::close(out_pipe[1]);
  ::close(err_pipe[1]);
  if (!input.empty()) {
    [[maybe_unused]] auto written = ::write(in_pipe[1], input.data(), input.size());
  }
  ::close(in_pipe[1]);
  Result r;
  pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
  int open = 2;
  char buffer[65536];
  while (open > 0) {
    if (::poll(fds, 2, -1) < 0 && errno != EINTR) {
      break;
    }
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd >= 0 && (fds[i].revents & (POLLIN | POLLHUP)) != 0) {
        ssize_t n = ::read(fds[i].fd, buffer, sizeof buffer);
        if (n <= 0) {
          ::close(fds[i].fd);
          fds[i].fd = -1;
          --open;
        } else {
          (i == 0 ? r.out : r.err).append(buffer, static_cast<std::size_t>(n));
        }
      }
    }
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return r;
}

}  // namespace

Result run(const std::vector<std::string>& args, const std::filesystem::path& cwd,
           const std::map<std::string, std::string>& env, const std::string& input) {
  std::vector<std::string> argv = {PM_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_program(argv, cwd, env, input);
}

Result sh(const std::string& script, const std::filesystem::path& cwd,
          const std::map<std::string, std::string>& env) {
  return run_program({"/bin/sh", "-c", script}, cwd, env, "");
}

Project::Project(const std::vector<std::string>& init_args) {
  env = test_env(m_dir.path());
  std::filesystem::create_directories(m_dir.path() / "work");
  std::vector<std::string> args = {"init",      "--name",  "Website",    "--client",
                                   "ACME Corp", "--manager", "Anna Petrova", "--email",
                                   "anna@example.com", "--tz", "Europe/Moscow",
                                   "--deadline", "2026-12-25"};
  // Projects in Moscow get the Russian calendar from pm init; the tests' dates are kept free of
  // holidays unless a test asks for a calendar (tests/cli/test_calendar.cpp).
  if (std::find(init_args.begin(), init_args.end(), "--calendar") == init_args.end()) {
    args.insert(args.end(), {"--calendar", "none"});
  }
  args.insert(args.end(), init_args.begin(), init_args.end());
  Result r = run(args, root() / "work", env);
  if (r.code != 0) {
    throw std::runtime_error("pm init failed: " + r.err);
  }
  r = pm({"people", "add", "Ivan Sidorov <ivan@acme.example>", "--side", "client", "--role",
          "approver"});
  if (r.code != 0) {
    throw std::runtime_error("pm people add failed: " + r.err);
  }
}

Result Project::pm(const std::vector<std::string>& args, const std::string& input) const {
  return run(args, root() / "work", env, input);
}

int Project::entry_count() const {
  SQLite::Database db((root() / "work/.pm/ledger.db").string(), SQLite::OPEN_READONLY);
  return db.execAndGet("SELECT count(*) FROM entries").getInt();
}

std::string read(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace pm::test
