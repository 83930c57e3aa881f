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

/// Logs what `commit` carries that the ledger does not hold yet for it (read in the writing
/// transaction: logging a commit twice adds nothing); returns the ids added.
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

/// What a drain did.
struct SpoolDrain {
  int added = 0;                       ///< entries added to the ledger
  std::vector<std::string> set_aside;  ///< one warning per malformed file moved to spool/bad/
};
/// Replays and removes every spooled event (docs/hooks.md, "The spool"). Each is claimed by a
/// rename into DIR/spool/claimed/ with this process's pid, so a drain killed at any point
/// loses nothing (a claim whose process is gone is taken over by the next drain), and applied
/// idempotently (a trailer logged for a commit is never logged again). A file that is not an
/// event moves to DIR/spool/bad/. When the ledger is busy the events go back to the spool and
/// the pm::Error is rethrown.
SpoolDrain drain_spool(Ledger& ledger, const std::filesystem::path& pm_dir, Instant now);
/// True when DIR/spool holds something to drain (what is in spool/bad/ waits for a person).
bool spool_pending(const std::filesystem::path& pm_dir);
/// Applies one event to the ledger.
std::vector<EntryId> apply_event(Ledger& ledger, const HookEvent& event, Instant now);

}  // namespace pm
