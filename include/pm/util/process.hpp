#pragma once
// Running another program (git) without a shell: no quoting, no injection.
#include <filesystem>
#include <string>
#include <vector>

namespace pm {

struct ProcessResult {
  int code = -1;    ///< exit code; -1 when the program could not be started
  std::string out;  ///< its stdout (stderr is discarded)
};

/// Runs argv[0] (looked up in PATH) with `argv` in `cwd` (empty: the current directory).
ProcessResult run_process(const std::vector<std::string>& argv,
                          const std::filesystem::path& cwd = {});

}  // namespace pm
