#include "pm/git/hooks.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <optional>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include "pm/util/error.hpp"

namespace fs = std::filesystem;

namespace pm {

namespace {

const char* k_marker = "# pm-hook: installed by 'pm hook install'";
const char* k_backup = ".pm-backup.";

std::string slurp(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

/// Whether anything is at `path`, a dangling symbolic link included.
bool present(const fs::path& path) {
  std::error_code ec;
  return fs::symlink_status(path, ec).type() != fs::file_type::not_found && !ec;
}

/// The N of the newest NAME.pm-backup.N in `dir`, 0 when there is none.
int newest_backup(const fs::path& dir, const std::string& hook) {
  std::string prefix = hook + k_backup;
  int newest = 0;
  std::error_code ec;
  for (const auto& item : fs::directory_iterator(dir, ec)) {
    std::string name = item.path().filename().string();
    if (name.rfind(prefix, 0) != 0) {
      continue;
    }
    std::string digits = name.substr(prefix.size());
    if (!digits.empty() && digits.size() < 9 &&
        digits.find_first_not_of("0123456789") == std::string::npos) {
      newest = std::max(newest, std::stoi(digits));
    }
  }
  return newest;
}

fs::path backup_path(const fs::path& dir, const std::string& hook, int n) {
  return dir / fmt::format("{}{}{}", hook, k_backup, n);
}

/// Writes `content` to a new file next to `file` (same file system, so a rename can put it in
/// place), executable; returns its path.
fs::path write_temp(const fs::path& file, const std::string& content) {
  std::string name = (file.parent_path() / ("." + file.filename().string() + ".pm-new-XXXXXX"))
                         .string();
  int fd = ::mkstemp(name.data());
  if (fd < 0) {
    throw Error(fmt::format("cannot write a new hook in {}: {}", file.parent_path().string(),
                            std::strerror(errno)));
  }
  bool ok = ::fchmod(fd, 0755) == 0;
  std::size_t written = 0;
  while (ok && written < content.size()) {
    ssize_t n = ::write(fd, content.data() + written, content.size() - written);
    ok = n > 0;
    written += ok ? static_cast<std::size_t>(n) : 0;
  }
  int saved = errno;
  ok = ::close(fd) == 0 && ok;
  if (!ok) {
    ::unlink(name.c_str());
    throw Error(fmt::format("cannot write a new hook in {}: {}", file.parent_path().string(),
                            std::strerror(saved)));
  }
  return name;
}

/// What installing one hook does.
struct Plan {
  std::string hook;
  fs::path file;
  bool ours = false;                 ///< pm's hook is there already (rewritten in place)
  std::optional<fs::path> aside;     ///< where the user's hook goes: chained, or a backup
  fs::path temp;                     ///< the new script, written before anything moves
  fs::path old;                      ///< where pm's previous script waits until all is done
  std::string said;
};

Plan plan_for(const HookInstall& install, const std::string& hook) {
  Plan p;
  p.hook = hook;
  p.file = install.dir / hook;
  fs::path chained = install.dir / (hook + ".pm-chained");
  std::error_code ec;
  if (present(p.file)) {
    p.ours = is_pm_hook(p.file);
    bool regular = fs::is_regular_file(p.file, ec) ||
                   fs::symlink_status(p.file, ec).type() == fs::file_type::symlink;
    if (!p.ours && !regular) {
      throw Error(fmt::format("{} is not a file; move it aside and run pm hook install again",
                              p.file.string()));
    }
    if (!p.ours && install.force) {
      p.aside = backup_path(install.dir, hook, newest_backup(install.dir, hook) + 1);
      p.said = fmt::format("Replaced your {} hook (kept as {})", hook,
                           p.aside->filename().string());
    } else if (!p.ours) {
      if (present(chained)) {
        throw Error(fmt::format("{} exists and so does {}; move one aside, or pass --force to "
                                "keep the hook as a backup and replace it",
                                p.file.string(), chained.string()));
      }
      p.aside = chained;
      p.said = fmt::format("Your existing {} hook keeps working: pm runs it first (it is now {})",
                           hook, chained.filename().string());
    }
  }
  return p;
}

}  // namespace

const std::vector<std::string>& pm_hooks() {
  static const std::vector<std::string> k_hooks = {"post-commit", "post-rewrite", "post-merge"};
  return k_hooks;
}

std::string shell_quote(const std::string& text) {
  std::string out = "'";
  for (char c : text) {
    out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  }
  return out + "'";
}

bool is_pm_hook(const fs::path& file) {
  std::error_code ec;
  return fs::is_regular_file(file, ec) && slurp(file).find(k_marker) != std::string::npos;
}

std::string hook_script(const std::string& hook, const fs::path& pm, const fs::path& project,
                        bool chained) {
  // Paths appear only as single-quoted words (or through "$pm" and "$PM_DIR"), never in a
  // comment: a directory named with a newline and shell text stays one harmless word.
  std::string out = fmt::format(
      "#!/bin/sh\n{}\n"
      "# Logs Agreed:/Decision:/Change: commit trailers into the ledger of the pm project in\n"
      "# PM_DIR. It never fails a commit; pm's own messages go to .pm/hook.log there.\n"
      "export PM_DIR={}\n"
      "pm={}\n"
      "if [ ! -x \"$pm\" ]; then\n"
      "  # The pm that installed this hook is gone: the one on PATH does its work, said once.\n"
      "  if [ ! -e \"$PM_DIR/.pm/hook-fallback\" ]; then\n"
      "    printf 'pm: %s is gone; the git hook runs the pm on PATH (pm hook install fixes "
      "this)\\n' \"$pm\" >&2\n"
      "    : 2>/dev/null >\"$PM_DIR/.pm/hook-fallback\"\n"
      "  fi\n"
      "  pm=pm\n"
      "  if ! command -v pm >/dev/null 2>&1; then\n"
      "    echo 'pm: no pm on PATH either: run pm hook sync once pm is back' >&2\n"
      "    exit 0\n"
      "  fi\n"
      "fi\n",
      k_marker, shell_quote(project.string()), shell_quote(pm.string()));
  std::string run = fmt::format("\"$pm\" --quiet hook run {} \"$@\"", hook);
  std::string log = "2>>\"$PM_DIR/.pm/hook.log\"";
  // post-rewrite's stdin, the rewritten commits, goes to pm (and the chained hook) as it is.
  std::string input = hook == "post-rewrite" ? "" : " </dev/null";
  if (!chained) {
    // exec: the shell becomes pm, no second process; git ignores these hooks' exit status.
    return out + fmt::format("exec {}{} >/dev/null {}\n", run, input, log);
  }
  std::string user = fmt::format("\"$(dirname \"$0\")/{}.pm-chained\" \"$@\"", hook);
  if (hook == "post-rewrite") {
    out += "input=$(cat)\n";
    out += fmt::format("printf '%s\\n' \"$input\" | {}\nstatus=$?\n", user);
    out += fmt::format("printf '%s\\n' \"$input\" | {} >/dev/null {} || true\n", run, log);
  } else {
    out += fmt::format("{}\nstatus=$?\n", user);
    out += fmt::format("{}{} >/dev/null {} || true\n", run, input, log);
  }
  return out + "exit $status\n";
}

std::vector<std::string> install_hooks(const HookInstall& install) {
  std::error_code ec;
  fs::create_directories(install.dir, ec);
  if (ec) {
    throw Error(fmt::format("cannot create the hooks directory {}: {}", install.dir.string(),
                            ec.message()));
  }
  // Everything that could refuse is decided, and every new script written, before any hook
  // moves: then the renames, undone in reverse if one fails. Both hooks or none.
  std::vector<Plan> plans;
  for (const auto& hook : pm_hooks()) {
    plans.push_back(plan_for(install, hook));
  }
  auto remove_temps = [&] {
    for (const auto& p : plans) {
      if (!p.temp.empty()) {
        fs::remove(p.temp, ec);
      }
    }
  };
  struct Move {
    fs::path from;
    fs::path to;
  };
  std::vector<Move> moved;
  try {
    for (auto& p : plans) {
      bool chained = present(install.dir / (p.hook + ".pm-chained"));
      bool will_chain = p.aside && p.aside->filename() == p.hook + ".pm-chained";
      p.temp = write_temp(p.file, hook_script(p.hook, install.pm, install.project,
                                              chained || will_chain));
      p.old = p.file.parent_path() / ("." + p.hook + ".pm-old");
    }
    auto move = [&](const fs::path& from, const fs::path& to) {
      fs::rename(from, to, ec);
      if (ec) {
        throw Error(fmt::format("cannot move {} to {}: {}; nothing was installed", from.string(),
                                to.string(), ec.message()));
      }
      moved.push_back({from, to});
    };
    for (const auto& p : plans) {
      if (p.aside) {
        move(p.file, *p.aside);
      } else if (p.ours) {
        move(p.file, p.old);
      }
      move(p.temp, p.file);
    }
  } catch (...) {
    for (auto it = moved.rbegin(); it != moved.rend(); ++it) {
      fs::rename(it->to, it->from, ec);
    }
    remove_temps();
    throw;
  }
  std::vector<std::string> said;
  for (const auto& p : plans) {
    if (p.ours) {
      fs::remove(p.old, ec);
    }
    if (!p.said.empty()) {
      said.push_back(p.said);
    }
  }
  return said;
}

std::vector<std::string> uninstall_hooks(const fs::path& dir) {
  std::vector<std::string> said;
  for (const auto& hook : pm_hooks()) {
    fs::path file = dir / hook;
    if (!is_pm_hook(file)) {
      continue;
    }
    fs::remove(file);
    fs::path chained = dir / (hook + ".pm-chained");
    fs::path legacy = dir / (hook + ".pm-replaced");
    int backup = newest_backup(dir, hook);
    std::optional<fs::path> restore;
    if (present(chained)) {
      restore = chained;
    } else if (backup > 0) {
      restore = backup_path(dir, hook, backup);
    } else if (present(legacy)) {
      restore = legacy;  // where earlier versions of pm kept the one hook they replaced
    }
    if (restore) {
      fs::rename(*restore, file);
      said.push_back(fmt::format("Restored your own {} hook (from {})", hook,
                                 restore->filename().string()));
    }
  }
  return said;
}

}  // namespace pm
