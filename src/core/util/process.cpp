#include "pm/util/process.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace pm {

ProcessResult run_process(const std::vector<std::string>& argv, const std::filesystem::path& cwd) {
  ProcessResult result;
  int out[2];
  if (argv.empty() || ::pipe(out) != 0) {
    return result;
  }
  posix_spawn_file_actions_t actions;
  ::posix_spawn_file_actions_init(&actions);
  ::posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
  ::posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  ::posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  ::posix_spawn_file_actions_addclose(&actions, out[0]);
  ::posix_spawn_file_actions_addclose(&actions, out[1]);
  std::vector<std::string> args = argv;
  if (!cwd.empty()) {
    // posix_spawn has no portable chdir action; git's own -C does the same job.
    if (args[0] == "git") {
      args.insert(args.begin() + 1, {"-C", cwd.string()});
    }
  }
  std::vector<char*> raw;
  for (auto& a : args) {
    raw.push_back(a.data());
  }
  raw.push_back(nullptr);
  pid_t pid = 0;
  int spawned = ::posix_spawnp(&pid, raw[0], &actions, nullptr, raw.data(), environ);
  ::posix_spawn_file_actions_destroy(&actions);
  ::close(out[1]);
  if (spawned != 0) {
    ::close(out[0]);
    return result;
  }
  char buffer[8192];
  ssize_t n = 0;
  while ((n = ::read(out[0], buffer, sizeof buffer)) > 0) {
    result.out.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(out[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  result.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

}  // namespace pm
