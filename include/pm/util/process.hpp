#pragma once
// Running another program (git) without a shell: no quoting, no injection.
#include <chrono>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace pm {

struct ProcessResult {
  int code = -1;    ///< exit code; -1 when the program could not be started
  std::string out;  ///< its stdout (stderr is discarded); feed_process: stdout and stderr
  bool started = false;  ///< feed_process: whether the program could be started
  bool timed_out = false;  ///< feed_process: it ran past its timeout and was killed
};

/// Runs argv[0] (looked up in PATH) with `argv` in `cwd` (empty: the current directory).
ProcessResult run_process(const std::vector<std::string>& argv,
                          const std::filesystem::path& cwd = {});

/// Runs argv[0] (looked up in PATH) with `input` on its stdin, as `sendmail -t` wants a
/// message: its stdout and stderr together in `out` (at most about 1 MiB kept). `code` is -1
/// when it could not be started or was killed by a signal. A program still running after
/// `timeout` (0: none) is killed, and `timed_out` set.
ProcessResult feed_process(const std::vector<std::string>& argv, std::string_view input,
                           std::chrono::milliseconds timeout = std::chrono::milliseconds{0});

}  // namespace pm
