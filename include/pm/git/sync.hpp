#pragma once
// `pm hook sync`: the trailers of every commit on the current branch since the last sync, those
// pulled from others included, logged once each.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "pm/git/git.hpp"
#include "pm/storage/ledger.hpp"

namespace pm {

/// Where the last sync left off, kept in .pm/hook-sync: the repository and its HEAD then.
struct SyncMark {
  std::filesystem::path repo;
  std::string head;  ///< empty before the repository's first commit
};

/// The mark in `pm_dir`, or std::nullopt when there is none (no hooks installed).
std::optional<SyncMark> read_sync_mark(const std::filesystem::path& pm_dir);
void write_sync_mark(const std::filesystem::path& pm_dir, const SyncMark& mark);
void remove_sync_mark(const std::filesystem::path& pm_dir);

/// HEAD's commit id, from files when it can (no git process), else git's; empty before the
/// first commit or outside a repository.
std::string head_commit_id(const std::filesystem::path& repo);

/// Commits reachable from HEAD but not from `since`, oldest first; all of HEAD's when `since`
/// is empty or no longer known to git.
std::vector<Commit> commits_since(const std::filesystem::path& repo, const std::string& since);

/// What a sync has to log: HEAD now, and the commits since the mark that carry trailers.
struct SyncPlan {
  std::string head;             ///< empty before the first commit
  bool moved = false;           ///< HEAD is not where the mark is (or there is no mark)
  int read = 0;                 ///< commits read
  std::vector<Commit> commits;  ///< those of them with trailers, oldest first
};

/// The plan from the mark in `pm_dir` to HEAD (all of HEAD's history without a mark); no git
/// process when HEAD is where the mark is.
SyncPlan plan_sync(const std::filesystem::path& repo, const std::filesystem::path& pm_dir);

/// Logs what `plan` carries and the ledger does not hold yet for each commit (by commit id and
/// trailer: running it again adds nothing), then moves the mark to the plan's HEAD. Returns the
/// ids added.
std::vector<EntryId> apply_sync(Ledger& ledger, const SyncPlan& plan,
                                const std::filesystem::path& repo,
                                const std::filesystem::path& pm_dir, Instant now);

}  // namespace pm
