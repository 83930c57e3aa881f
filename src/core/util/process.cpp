#include "pm/util/process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <csignal>
#include <cerrno>
#include <spawn.h>
#include <algorithm>
#include <chrono>
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

ProcessResult feed_process(const std::vector<std::string>& argv, std::string_view input,
                           std::chrono::milliseconds timeout) {
  ProcessResult result;
  int in[2];
  int out[2];
  if (argv.empty() || ::pipe2(in, O_CLOEXEC) != 0) {
    return result;
  }
  if (::pipe2(out, O_CLOEXEC) != 0) {
    ::close(in[0]);
    ::close(in[1]);
    return result;
  }
  posix_spawn_file_actions_t actions;
  ::posix_spawn_file_actions_init(&actions);
  ::posix_spawn_file_actions_adddup2(&actions, in[0], STDIN_FILENO);
  ::posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
  ::posix_spawn_file_actions_adddup2(&actions, out[1], STDERR_FILENO);
  std::vector<std::string> args = argv;
  std::vector<char*> raw;
  for (auto& a : args) {
    raw.push_back(a.data());
  }
  raw.push_back(nullptr);
  pid_t pid = 0;
  int spawned = ::posix_spawnp(&pid, raw[0], &actions, nullptr, raw.data(), environ);
  ::posix_spawn_file_actions_destroy(&actions);
  ::close(in[0]);
  ::close(out[1]);
  if (spawned != 0) {
    ::close(in[1]);
    ::close(out[0]);
    return result;
  }
  // A program that exits before reading all of its input must not kill pm with SIGPIPE.
  auto previous = std::signal(SIGPIPE, SIG_IGN);
  ::fcntl(in[1], F_SETFL, ::fcntl(in[1], F_GETFL) | O_NONBLOCK);
  std::size_t written = 0;
  bool writing = true;
  if (input.empty()) {
    ::close(in[1]);
    writing = false;
  }
  char buffer[8192];
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    pollfd fds[2] = {{out[0], POLLIN, 0}, {writing ? in[1] : -1, POLLOUT, 0}};
    int wait = -1;
    if (timeout.count() > 0) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) {
        // Too long: stopped, so that pm never hangs holding the ledger's write lock.
        ::kill(pid, SIGKILL);
        result.timed_out = true;
        break;
      }
      wait = static_cast<int>(std::min<long long>(left.count(), 1000 * 60));
    }
    const int ready = ::poll(fds, 2, wait);
    if (ready < 0) {
      if (errno == EINTR) {
        continue;
      }
      break;
    }
    if (ready == 0) {
      continue;
    }
    if (writing && (fds[1].revents & (POLLOUT | POLLERR | POLLHUP)) != 0) {
      ssize_t n = ::write(in[1], input.data() + written, input.size() - written);
      if (n > 0) {
        written += static_cast<std::size_t>(n);
      }
      if ((n < 0 && errno != EAGAIN && errno != EINTR) || written == input.size()) {
        ::close(in[1]);
        writing = false;
      }
    }
    if ((fds[0].revents & (POLLIN | POLLHUP | POLLERR)) != 0) {
      ssize_t n = ::read(out[0], buffer, sizeof buffer);
      if (n > 0) {
        if (result.out.size() < (1u << 20)) {
          result.out.append(buffer, static_cast<std::size_t>(n));
        }
      } else if (n == 0 || errno != EINTR) {
        break;
      }
    }
  }
  if (writing) {
    ::close(in[1]);
  }
  ::close(out[0]);
  std::signal(SIGPIPE, previous);
  int status = 0;
  ::waitpid(pid, &status, 0);
  result.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  result.started = true;
  return result;
}

}  // namespace pm
