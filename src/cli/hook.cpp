// pm hook install|uninstall|sync|run: decisions in commit messages land in the ledger
// (docs/hooks.md). `run`, what the installed hooks call, is in hook_run.cpp.
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "cli/cli.hpp"
#include "pm/git/commits.hpp"
#include "pm/git/hooks.hpp"
#include "pm/git/sync.hpp"
#include "pm/util/error.hpp"
#include "pm/util/text.hpp"

namespace fs = std::filesystem;

namespace pm::cli {

namespace {

struct HookOptions {
  std::string repo;
  bool force = false;
  std::string hook;
  std::vector<std::string> args;
};

fs::path repo_dir(const Globals& globals, const HookOptions& options) {
  return options.repo.empty() ? fs::path(start_directory(globals)) : fs::path(options.repo);
}

void run_install(const Globals& globals, const HookOptions& options) {
  Session session = open_session(globals);
  fs::path repo = fs::absolute(repo_dir(globals, options));
  HookInstall install;
  install.dir = hooks_dir(repo);
  install.pm = fs::read_symlink("/proc/self/exe");
  install.project = session.paths.root;
  install.force = options.force;
  for (const auto& said : install_hooks(install)) {
    note(globals, said);
  }
  // The hooks run this pm again: the one-time notice that they fell back to PATH may come back.
  std::error_code ec;
  fs::remove(session.paths.dir() / "hook-fallback", ec);
  // pm hook sync (and so pm report and a pull) logs the commits after this one.
  std::optional<SyncMark> mark = read_sync_mark(session.paths.dir());
  if (!mark || mark->repo != repo) {
    write_sync_mark(session.paths.dir(), {repo, head_commit_id(repo)});
  }
  note(globals, fmt::format("Installed pm's {} hooks in {}", join(pm_hooks(), ", "),
                            install.dir.string()));
}

void run_uninstall(const Globals& globals, const HookOptions& options) {
  fs::path dir = hooks_dir(repo_dir(globals, options));
  bool any = false;
  for (const auto& hook : pm_hooks()) {
    any = any || is_pm_hook(dir / hook);
  }
  for (const auto& said : uninstall_hooks(dir)) {
    note(globals, said);
  }
  if (any) {
    // Without hooks, nothing logs commits: neither should a report behind the user's back.
    try {
      remove_sync_mark(find_project(start_directory(globals)).dir());
    } catch (const Error&) {
      // No project here (uninstall does not need one): no mark either.
    }
  }
  note(globals, any ? "Removed pm's hooks from " + dir.string()
                    : "No pm hooks were installed in " + dir.string());
}

/// Logs the commits since the mark; returns the ids added.
std::vector<EntryId> sync(const Session& session, const fs::path& repo) {
  SyncPlan plan = plan_sync(repo, session.paths.dir());
  if (plan.commits.empty()) {
    if (plan.moved) {
      write_sync_mark(session.paths.dir(), {fs::absolute(repo), plan.head});
    }
    return {};
  }
  auto ledger = session.open_ledger();
  drain_spool(*ledger, session.paths.dir(), session.now);
  return apply_sync(*ledger, plan, repo, session.paths.dir(), session.now);
}

void run_sync(const Globals& globals, const HookOptions& options) {
  Session session = open_session(globals);
  fs::path repo = repo_dir(globals, options);
  if (options.repo.empty()) {
    if (auto mark = read_sync_mark(session.paths.dir())) {
      repo = mark->repo;
    }
  }
  hooks_dir(repo);  // "not inside a git repository" said clearly, before anything else
  std::vector<EntryId> added = sync(session, repo);
  for (EntryId id : added) {
    std::printf("%lld\n", static_cast<long long>(id));
  }
  note(globals, added.empty() ? "Nothing new to log"
                              : fmt::format("Logged {} {} from commit trailers", added.size(),
                                            added.size() == 1 ? "entry" : "entries"));
}

}  // namespace

void sync_before_report(const Globals& globals, const Session& session) {
  // Only where pm's hooks were installed (they leave the mark); HEAD read from files, so a
  // report with nothing new costs no git process.
  std::optional<SyncMark> mark = read_sync_mark(session.paths.dir());
  if (!mark) {
    return;
  }
  try {
    if (head_commit_id(mark->repo) == mark->head) {
      return;
    }
    std::vector<EntryId> added = sync(session, mark->repo);
    if (!added.empty()) {
      note(globals, fmt::format("Logged {} {} from new commits first (pm hook sync)",
                                added.size(), added.size() == 1 ? "entry" : "entries"));
    }
  } catch (const Error& e) {
    std::fprintf(stderr, "pm: warning: commits not synced (pm hook sync says why): %s\n",
                 e.what());
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
                    "Keep existing hooks as numbered backups instead of chaining to them");
  install->callback([options, &globals] { run_install(globals, *options); });
  CLI::App* uninstall =
      cmd->add_subcommand("uninstall", "Remove pm's hooks, restoring the ones they replaced");
  uninstall->add_option("--repo", options->repo, "The git repository (default: here)")
      ->option_text("DIR");
  uninstall->callback([options, &globals] { run_uninstall(globals, *options); });
  CLI::App* sync_cmd = cmd->add_subcommand(
      "sync", "Log the trailers of commits since the last sync (pulled ones too), once each");
  sync_cmd->add_option("--repo", options->repo, "The git repository (default: the hooks' one)")
      ->option_text("DIR");
  sync_cmd->callback([options, &globals] { run_sync(globals, *options); });
  CLI::App* run = cmd->add_subcommand("run", "What the installed hooks call (post-commit, "
                                             "post-rewrite, post-merge)");
  run->add_option("hook", options->hook, "post-commit, post-rewrite or post-merge")->required();
  run->add_option("args", options->args, "The hook's own arguments");
  run->callback([options, &globals] { run_git_hook(globals, options->hook); });
}

}  // namespace pm::cli
