#pragma once
// The git hooks pm installs: their scripts, and installing or removing them without ever losing
// a hook of the user's.
#include <filesystem>
#include <string>
#include <vector>

namespace pm {

/// The hooks pm installs, in the order it installs them.
const std::vector<std::string>& pm_hooks();

/// `text` as one word of a POSIX shell, whatever it holds (newlines, quotes, `$(...)`).
std::string shell_quote(const std::string& text);

/// True when `file` is a hook pm installed.
bool is_pm_hook(const std::filesystem::path& file);

/// The script of `hook`: an `sh` script that runs `pm` (or, when that file is gone, the pm on
/// PATH, saying so once) for the project at `project`, after the user's chained hook when
/// `chained`. Every path in it is quoted; none is in a comment.
std::string hook_script(const std::string& hook, const std::filesystem::path& pm,
                        const std::filesystem::path& project, bool chained);

struct HookInstall {
  std::filesystem::path dir;      ///< where git runs hooks from
  std::filesystem::path pm;       ///< the pm the hooks run
  std::filesystem::path project;  ///< the project's root (PM_DIR)
  bool force = false;             ///< keep a user's hook aside instead of chaining to it
};

/// Installs every hook of pm_hooks() or none: a user's hook is chained (NAME.pm-chained) or,
/// with `force`, kept as the next NAME.pm-backup.N; throws pm::Error, with nothing changed, when
/// that cannot be done. Returns what it did, one sentence each, for the user.
std::vector<std::string> install_hooks(const HookInstall& install);

/// Removes pm's hooks and puts back what they replaced: the chained hook, else the newest
/// backup. Returns what it did, one sentence each.
std::vector<std::string> uninstall_hooks(const std::filesystem::path& dir);

}  // namespace pm
