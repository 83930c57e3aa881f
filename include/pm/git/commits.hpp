#pragma once
// Decisions carried by commit messages: trailers become ledger entries, once each, even when
// commits are amended or rebased; when the ledger is busy they wait in a spool.
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "pm/git/git.hpp"
#include "pm/storage/ledger.hpp"

namespace pm {

/// A trailer key pm logs, and the entry kind it becomes (docs/hooks.md lists the same).
struct TrailerKind {
  const char* key;
  const char* kind;
};
const std::vector<TrailerKind>& trailer_kinds();

/// The entries a commit carries (source "hook"; data.commit = its id), in trailer order.
std::vector<Entry> entries_from_commit(const Commit& commit, Instant now);

/// Logs what `commit` carries that the ledger does not hold yet for it; returns the ids added.
std::vector<EntryId> log_commit(Ledger& ledger, const Commit& commit, Instant now);

/// After an amend or a rebase: each (old id, new commit) whose old commit was logged gets its
/// entries again under the new id, superseding the old ones; a new commit that carries
/// decisions the old one did not gets them logged. Returns the ids added.
std::vector<EntryId> log_rewrite(Ledger& ledger,
                                 const std::vector<std::pair<std::string, Commit>>& rewrites,
                                 Instant now);

/// A hook event kept for later when the ledger could not be written at once.
struct HookEvent {
  std::string hook;  ///< "post-commit" or "post-rewrite"
  std::vector<std::pair<std::string, Commit>> commits;  ///< (old id or "", commit)
};

/// Writes `event` to DIR/spool/ as one file (atomically).
void spool_event(const std::filesystem::path& pm_dir, const HookEvent& event, Instant now);
/// Replays and removes every spooled event; returns how many entries were added. Events that
/// still cannot be written stay for the next run.
int drain_spool(Ledger& ledger, const std::filesystem::path& pm_dir, Instant now);
/// Applies one event to the ledger.
std::vector<EntryId> apply_event(Ledger& ledger, const HookEvent& event, Instant now);

}  // namespace pm
