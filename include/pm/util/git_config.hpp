#pragma once
// Reading a value of git's configuration without starting git (about 2 ms a process).
#include <filesystem>
#include <optional>
#include <string>

namespace pm {

/// What `git config NAME` would print in `cwd`, for a plain `section.key` NAME, read from the
/// system, global and repository files in git's order (the last value wins). Returns
/// std::nullopt when the answer cannot be known without git: includes, GIT_CONFIG_* or GIT_DIR
/// in the environment, worktree-specific config, a repository of another owner, syntax this
/// reader does not handle; the caller then asks git. An empty string means "not set".
std::optional<std::string> read_git_config(const std::string& section, const std::string& key,
                                           const std::filesystem::path& cwd);

/// What `git config NAME` prints in `cwd`, trimmed: read_git_config's answer, else git's own
/// (started only then); "" when it is not set or git is not installed.
std::string git_config_value(const std::string& section, const std::string& key,
                             const std::filesystem::path& cwd);

}  // namespace pm
