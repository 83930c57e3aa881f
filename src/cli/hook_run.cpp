// pm hook run HOOK: what the installed git hooks do. post-commit logs the new commit's
// trailers, post-rewrite an amend's or a rebase's (superseding or withdrawing what the old
// commits had logged), post-merge the commits a pull brought (pm hook sync). Also the fast path
// of a commit without trailers and the #! form older pm versions installed.
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
#include "pm/domain/project_ledger.hpp"
#include "pm/git/commits.hpp"
#include "pm/git/sync.hpp"
#include "pm/util/error.hpp"

namespace fs = std::filesystem;

namespace pm::cli {

namespace {

const char* k_git_hook_flag = "--git-hook";

/// A commit by id: from its loose object, else from git.
Commit commit_by_id(const fs::path& repo, const std::string& id) {
  std::optional<Commit> loose = read_loose_commit(repo, id);
  return loose ? *loose : read_commit(repo, id);
}

/// Whether commit `id` carried trailers pm logs; true when it cannot be read (gone from the
/// repository): then the ledger, which knows what it logged for it, decides.
bool carried_trailers(const fs::path& repo, const std::string& id) {
  try {
    return !entries_from_commit(commit_by_id(repo, id), Instant{}).empty();
  } catch (const Error&) {
    return true;
  }
}

/// What a hook saw, read from git: (old id, new commit) pairs; old is empty for post-commit.
/// Empty when there is nothing to log: then no ledger is opened.
HookEvent read_event(const std::string& hook, const fs::path& repo) {
  HookEvent event;
  event.hook = hook;
  if (hook == "post-commit") {
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
      Commit commit = commit_by_id(repo, new_id);
      // A rewrite matters when the new commit carries trailers, or the old one did: an amend
      // that removed a trailer withdraws what it had logged.
      any = any || !entries_from_commit(commit, Instant{}).empty() ||
            carried_trailers(repo, old_id);
      event.commits.emplace_back(old_id, commit);
    }
  }
  if (!any) {
    event.commits.clear();
  }
  return event;
}

/// post-merge: the commits a pull brought, from the mark `pm hook sync` keeps.
HookEvent merge_event(const fs::path& repo, const ProjectPaths& paths, SyncPlan& plan) {
  HookEvent event;
  event.hook = "post-merge";
  plan = plan_sync(repo, paths.dir());
  if (plan.commits.empty() && plan.moved) {
    write_sync_mark(paths.dir(), {fs::absolute(repo), plan.head});  // nothing to log
  }
  for (const Commit& c : plan.commits) {
    event.commits.emplace_back("", c);
  }
  return event;
}

/// The ledger a hook writes to. A local project's is opened without reading project.yaml;
/// a project on a server (its project.yaml says `ledger: postgres...`) is opened through it, and
/// when that file cannot be read the decision is spooled, never written to the replica alone.
std::unique_ptr<Ledger> open_hook_ledger(const ProjectPaths& paths) {
  std::string yaml;
  try {
    yaml = read_file(paths.config());
  } catch (const Error&) {
  }
  if (yaml.find("postgres") == std::string::npos) {
    return std::make_unique<Ledger>(paths.ledger().string(), Ledger::Mode::read_write, 2000);
  }
  ProjectConfig config = load_config(paths.config());
  std::vector<std::string> warnings;
  return open_project_ledger(paths, config, Ledger::Mode::read_write, warnings, 2000);
}

}  // namespace

void run_git_hook(const Globals& globals, const std::string& hook) {
  if (hook != "post-commit" && hook != "post-rewrite" && hook != "post-merge") {
    throw Error(fmt::format("unknown hook '{}'; pm runs as post-commit, post-rewrite or "
                            "post-merge",
                            hook));
  }
  fs::path repo = fs::current_path();  // git runs hooks at the top of the work tree
  std::optional<ProjectPaths> paths;
  SyncPlan plan;
  HookEvent event;
  if (hook == "post-merge") {
    paths = find_project(start_directory(globals));
    event = merge_event(repo, *paths, plan);
  } else {
    event = read_event(hook, repo);
  }
  if (event.commits.empty()) {
    return;
  }
  // Entries from commits need the project's place and the time, not its settings: no
  // project.yaml (a mistake there must not cost a decision) and no time zone.
  if (!paths) {
    paths = find_project(start_directory(globals));
  }
  Instant at = now();
  try {
    auto ledger = open_hook_ledger(*paths);
    drain_spool(*ledger, paths->dir(), at);
    if (hook == "post-merge") {
      apply_sync(*ledger, plan, repo, paths->dir(), at);
    } else {
      apply_event(*ledger, event, at);
    }
  } catch (const Error& e) {
    // Never lose a decision, never fail the commit: keep it for the next pm run. (A merge's
    // mark stays where it was: the next sync reads those commits again and adds nothing.)
    spool_event(paths->dir(), event, at);
    note(globals, fmt::format("kept for later in .pm/spool: {}", e.what()));
  }
}

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

}  // namespace pm::cli
