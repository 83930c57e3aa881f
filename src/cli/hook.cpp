// pm hook install|uninstall|run: decisions in commit messages land in the ledger.
#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <filesystem>
#include <iostream>
#include <optional>
#include <sstream>
#include <string_view>
#include <vector>
#include <unistd.h>

#include <fmt/format.h>

#include "cli/cli.hpp"
#include "pm/git/commits.hpp"
#include "pm/util/error.hpp"

namespace fs = std::filesystem;

namespace pm::cli {

namespace {

const char* k_marker = "# pm-hook: installed by 'pm hook install'";
const char* k_git_hook_flag = "--git-hook";
const std::vector<std::string> k_hooks = {"post-commit", "post-rewrite"};

struct HookOptions {
  std::string repo;
  bool force = false;
  std::string hook;
  std::vector<std::string> args;
};

fs::path repo_dir(const Globals& globals, const HookOptions& options) {
  return options.repo.empty() ? fs::path(start_directory(globals)) : fs::path(options.repo);
}

bool is_ours(const fs::path& file) {
  std::error_code ec;
  return fs::is_regular_file(file, ec) && read_file(file).find(k_marker) != std::string::npos;
}

std::string shell_quote(const std::string& text) {
  std::string out = "'";
  for (char c : text) {
    out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  }
  return out + "'";
}

/// The #! line of a hook that runs pm directly, or "" when the kernel could not be trusted with
/// pm's path (whitespace, or a line longer than the 127 bytes older kernels read).
std::string direct_interpreter(const std::string& pm) {
  std::string line = "#!" + pm + " " + k_git_hook_flag;
  bool plain = !pm.empty() && pm[0] == '/' &&
               pm.find_first_of(" \t\n\r\"'\\") == std::string::npos;
  return plain && line.size() <= 126 ? line : "";
}

std::string hook_script(const std::string& hook, const fs::path& project, bool chained) {
  std::string pm = fs::read_symlink("/proc/self/exe").string();
  // Without a chained hook the kernel runs pm itself (its #! line): no shell process at all.
  // The lines below are what pm then does, and what sh does if it runs the file.
  std::string interpreter = chained ? "" : direct_interpreter(pm);
  std::string log = shell_quote((project / ".pm" / "hook.log").string());
  std::string dir = shell_quote(project.string());
  std::string run = fmt::format("PM_DIR={} \"$pm\" --quiet hook run {} \"$@\"", dir, hook);
  std::string body;
  if (!chained) {
    // The shell becomes pm (exec: no second process); git ignores these hooks' exit status.
    // post-rewrite's stdin, the rewritten commits, goes to pm as it is.
    std::string input = hook == "post-rewrite" ? "" : " </dev/null";
    body = fmt::format("export PM_DIR={}\nexec \"$pm\" --quiet hook run {} \"$@\"{} >/dev/null 2>>{}\n",
                       dir, hook, input, log);
  } else if (hook == "post-rewrite") {
    // Both the chained hook and pm read the rewritten commits from stdin.
    body = "input=$(cat)\n";
    body += fmt::format("printf '%s\\n' \"$input\" | \"$(dirname \"$0\")/{}.pm-chained\" \"$@\"\n", hook);
    body += "status=$?\n";
    body += fmt::format("printf '%s\\n' \"$input\" | {} >/dev/null 2>>{} || true\nexit $status\n", run, log);
  } else {
    body += fmt::format("\"$(dirname \"$0\")/{}.pm-chained\" \"$@\"\nstatus=$?\n", hook);
    body += fmt::format("{} </dev/null >/dev/null 2>>{} || true\nexit $status\n", run, log);
  }
  return fmt::format(
      "{}\n{}\n# Logs Agreed:/Decision:/Change: trailers into the pm ledger of {}.\n"
      "# It never fails the commit; pm's own messages go to {}.\n"
      "pm={}\n[ -x \"$pm\" ] || pm=pm\n{}",
      interpreter.empty() ? "#!/bin/sh" : interpreter, k_marker, project.string(),
      (project / ".pm" / "hook.log").string(), shell_quote(pm), body);
}

void run_install(const Globals& globals, const HookOptions& options) {
  Session session = open_session(globals);
  fs::path dir = hooks_dir(repo_dir(globals, options));
  fs::create_directories(dir);
  for (const auto& hook : k_hooks) {
    fs::path file = dir / hook;
    fs::path chained = dir / (hook + ".pm-chained");
    bool foreign = fs::exists(file) && !is_ours(file);
    if (foreign && options.force) {
      fs::rename(file, dir / (hook + ".pm-replaced"));
      note(globals, fmt::format("Replaced your {} hook (kept as {}.pm-replaced)", hook, hook));
    } else if (foreign) {
      if (fs::exists(chained)) {
        throw Error(fmt::format("{} exists and so does {}; move one aside, or pass --force to "
                                "replace the hook",
                                file.string(), chained.string()));
      }
      fs::rename(file, chained);
      note(globals, fmt::format("Your existing {} hook keeps working: pm runs it first (it is "
                                "now {})",
                                hook, chained.filename().string()));
    }
    write_file_atomic(file, hook_script(hook, session.paths.root, fs::exists(chained)));
    fs::permissions(file, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                              fs::perms::others_read | fs::perms::others_exec);
  }
  note(globals, fmt::format("Installed pm's post-commit and post-rewrite hooks in {}",
                            dir.string()));
}

void run_uninstall(const Globals& globals, const HookOptions& options) {
  fs::path dir = hooks_dir(repo_dir(globals, options));
  int removed = 0;
  for (const auto& hook : k_hooks) {
    fs::path file = dir / hook;
    if (!is_ours(file)) {
      continue;
    }
    fs::remove(file);
    ++removed;
    fs::path chained = dir / (hook + ".pm-chained");
    if (fs::exists(chained)) {
      fs::rename(chained, file);
      note(globals, fmt::format("Restored your own {} hook", hook));
    }
  }
  note(globals, removed == 0 ? "No pm hooks were installed in " + dir.string()
                             : "Removed pm's hooks from " + dir.string());
}

/// What a hook saw, read from git: (old id, new commit) pairs; old is empty for post-commit.
HookEvent read_event(const HookOptions& options, const fs::path& repo) {
  HookEvent event;
  event.hook = options.hook;
  if (options.hook == "post-commit") {
    // The commit comes from its object (zlib), no git process; git when that cannot be done.
    std::optional<Commit> loose = read_head_commit(repo);
    Commit head = loose ? *loose : read_commit(repo, "HEAD");
    if (entries_from_commit(head, Instant{}).empty()) {
      return event;  // the common case: nothing to log, and no ledger opened
    }
    std::string reflog = head_reflog_subject(repo);
    if (reflog.rfind("commit (amend)", 0) == 0 || reflog.rfind("rebase", 0) == 0) {
      return event;  // post-rewrite follows and logs it, superseding the old commit's entries
    }
    event.commits.emplace_back("", head);
    return event;
  }
  std::string line;
  bool any = false;
  while (std::getline(std::cin, line)) {
    std::istringstream words(line);
    std::string old_id;
    std::string new_id;
    if (words >> old_id >> new_id && old_id != new_id) {
      std::optional<Commit> loose = read_loose_commit(repo, new_id);
      Commit commit = loose ? *loose : read_commit(repo, new_id);
      any = any || !entries_from_commit(commit, Instant{}).empty();
      event.commits.emplace_back(old_id, commit);
    }
  }
  if (!any) {
    event.commits.clear();
  }
  return event;
}

void run_hook(const Globals& globals, const HookOptions& options) {
  if (options.hook != "post-commit" && options.hook != "post-rewrite") {
    throw Error(fmt::format("unknown hook '{}'; pm runs as post-commit or post-rewrite",
                            options.hook));
  }
  HookEvent event = read_event(options, fs::current_path());
  if (event.commits.empty()) {
    return;
  }
  // Entries from commits need the project's place and the time, not its settings: no
  // project.yaml (a mistake there must not cost a decision) and no time zone.
  ProjectPaths paths = find_project(start_directory(globals));
  Instant at = now();
  try {
    Ledger ledger(paths.ledger().string(), Ledger::Mode::read_write, 2000);
    drain_spool(ledger, paths.dir(), at);
    apply_event(ledger, event, at);
  } catch (const Error& e) {
    // Never lose a decision, never fail the commit: keep it for the next pm run.
    spool_event(paths.dir(), event, at);
    note(globals, fmt::format("kept for later in .pm/spool: {}", e.what()));
  }
}

}  // namespace

namespace {

/// The value of the script's `export PM_DIR='...'` line, as hook_script quotes it.
std::string exported_dir(const std::string& script, const std::string& file) {
  const std::string key = "\nexport PM_DIR=";
  std::size_t at = script.find(key);
  std::string value;
  bool ok = at != std::string::npos;
  for (at = ok ? at + key.size() : 0; ok && at < script.size() && script[at] != '\n';) {
    if (script[at] == '\\' && at + 1 < script.size() && script[at + 1] != '\n') {
      value += script[at + 1];  // \' between quoted parts
      at += 2;
    } else if (script[at] == '\'') {
      std::size_t end = script.find('\'', at + 1);
      ok = end != std::string::npos;
      if (ok) {
        value.append(script, at + 1, end - at - 1);
        at = end + 1;
      }
    } else {
      ok = false;
    }
  }
  if (!ok || value.empty()) {
    throw Error(fmt::format("{}: no export PM_DIR='...' line; run 'pm hook install' again", file));
  }
  return value;
}

void redirect(int fd, const std::string& file, int flags) {
  int opened = ::open(file.c_str(), flags | O_CLOEXEC, 0666);
  if (opened >= 0) {
    ::dup2(opened, fd);
    ::close(opened);
  }
}

}  // namespace

std::vector<std::string> git_hook_command(int argc, char** argv) {
  if (argc < 3) {
    throw Error(fmt::format("{} SCRIPT: the #! line of an installed hook runs this", k_git_hook_flag),
                Exit::usage);
  }
  fs::path script = argv[2];
  std::string hook = script.filename().string();
  if (hook != "post-commit" && hook != "post-rewrite") {
    throw Error(fmt::format("{}: pm runs as post-commit or post-rewrite", script.string()));
  }
  // What the script's lines say: the project, and where input and output go.
  std::string dir = exported_dir(read_file(script), script.string());
  ::setenv("PM_DIR", dir.c_str(), 1);
  if (hook == "post-commit") {
    redirect(STDIN_FILENO, "/dev/null", O_RDONLY);
  }
  redirect(STDOUT_FILENO, "/dev/null", O_WRONLY);
  redirect(STDERR_FILENO, (fs::path(dir) / ".pm" / "hook.log").string(),
           O_WRONLY | O_APPEND | O_CREAT);
  std::vector<std::string> command = {argv[0], "--quiet", "hook", "run", hook};
  command.insert(command.end(), argv + 3, argv + argc);
  return command;
}

bool quick_hook_run(int argc, char** argv) {
  using std::string_view;
  bool installed_run = argc == 5 && argv[1] == string_view("--quiet") &&
                       argv[2] == string_view("hook") && argv[3] == string_view("run") &&
                       argv[4] == string_view("post-commit");
  bool kernel_run = argc == 3 && argv[1] == string_view(k_git_hook_flag) &&
                    fs::path(argv[2]).filename() == "post-commit";
  if (!installed_run && !kernel_run) {
    return false;
  }
  try {
    std::optional<Commit> head = read_head_commit(fs::current_path());
    return head && entries_from_commit(*head, Instant{}).empty();
  } catch (const std::exception&) {
    return false;  // the full run will say what is wrong
  }
}

void setup_hook(CLI::App& app, const Globals& globals) {
  auto options = std::make_shared<HookOptions>();
  CLI::App* cmd = app.add_subcommand("hook", "Install git hooks that log Agreed:/Decision:/"
                                             "Change: commit trailers (docs/hooks.md)");
  cmd->require_subcommand(1);
  CLI::App* install = cmd->add_subcommand("install", "Install the hooks where git runs them "
                                                     "(core.hooksPath respected)");
  install->add_option("--repo", options->repo, "The git repository (default: here)")
      ->option_text("DIR");
  install->add_flag("--force", options->force,
                    "Replace existing hooks instead of chaining to them");
  install->callback([options, &globals] { run_install(globals, *options); });
  CLI::App* uninstall = cmd->add_subcommand("uninstall", "Remove pm's hooks, restoring chained ones");
  uninstall->add_option("--repo", options->repo, "The git repository (default: here)")
      ->option_text("DIR");
  uninstall->callback([options, &globals] { run_uninstall(globals, *options); });
  CLI::App* run = cmd->add_subcommand("run", "What the installed hooks call (post-commit, "
                                             "post-rewrite)");
  run->add_option("hook", options->hook, "post-commit or post-rewrite")->required();
  run->add_option("args", options->args, "The hook's own arguments");
  run->callback([options, &globals] { run_hook(globals, *options); });
}

}  // namespace pm::cli
