#pragma once
// The user's own settings, shared by every project: $XDG_CONFIG_HOME/pm/config.yaml
// (docs/templates.md, "Where templates are found").
#include <filesystem>
#include <string>
#include <vector>

namespace pm {

/// What the user's config file says.
struct UserConfig {
  std::filesystem::path file;  ///< where it was read from; empty when there is none
  /// `templates_path:` (a string or a list): directories of shared templates, searched after
  /// the project's and PM_TEMPLATE_PATH's. Absolute; `~/` is the home directory and a relative
  /// entry is taken from the config file's directory.
  std::vector<std::filesystem::path> templates_path;
  /// `mail: {command: ...}`: the program `pm send` hands a message to (msmtp -t -a work);
  /// empty: not set here.
  std::string mail_command;
};

/// $XDG_CONFIG_HOME/pm/config.yaml, or ~/.config/pm/config.yaml when XDG_CONFIG_HOME is unset,
/// empty or relative; empty when HOME is not set either.
std::filesystem::path user_config_path();

/// Reads `file`; a file that does not exist is an empty config. Throws pm::Error "FILE:LINE:
/// ..." when it is not valid UTF-8, too large, malformed YAML, or holds an unknown key or a
/// value of the wrong shape.
UserConfig load_user_config(const std::filesystem::path& file);

}  // namespace pm
