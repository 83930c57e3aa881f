#pragma once
// The per-user registry of projects: which ledgers `pm nps --portfolio` reads.
#include <filesystem>
#include <vector>

namespace pm {

/// $XDG_DATA_HOME/pm/projects, or ~/.local/share/pm/projects when XDG_DATA_HOME is unset,
/// empty or relative (as the XDG Base Directory specification says). Throws pm::Error when
/// neither it nor HOME is set.
std::filesystem::path registry_path();

/// The projects in the registry `file`: one absolute directory a line, in the order they
/// were registered; blank lines and lines starting with '#' are skipped. A missing file is
/// an empty registry. Throws pm::Error when the file exists but cannot be read.
std::vector<std::filesystem::path> read_registry(const std::filesystem::path& file);

/// Adds the project directory `root` (made absolute and canonical) to the registry `file`,
/// unless it is there already; creates the file and its directories. The file is rewritten
/// atomically under a lock, so two `pm init` at once both register. Returns false when the
/// project was already registered. Throws pm::Error on failure.
bool register_project(const std::filesystem::path& file, const std::filesystem::path& root);

/// Removes the project directory `root` from the registry `file`: the line that names it as
/// given, or made absolute and canonical as register_project writes it. The file is rewritten
/// atomically under the registry's lock; comments and other lines stay as they were. Returns
/// the line removed. Throws pm::Error naming `root` when the registry does not list it.
std::filesystem::path forget_project(const std::filesystem::path& file,
                                     const std::filesystem::path& root);

/// Removes every registered directory that no longer exists (as one atomic rewrite under the
/// lock); returns them, in registry order. A directory that cannot be checked (permissions)
/// is kept.
std::vector<std::filesystem::path> forget_missing_projects(const std::filesystem::path& file);

}  // namespace pm
