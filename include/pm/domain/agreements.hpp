#pragma once
// Agreements: what was agreed, with whom, by when; superseded by newer ones, never edited.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "pm/storage/ledger.hpp"

namespace pm {

struct AgreementInput {
  std::string text;
  std::vector<std::string> with;  ///< who agreed
  std::string due;                ///< YYYY-MM-DD or empty
  std::string meeting;            ///< date or instant; empty: now
  /// The meeting it was agreed at (pm meeting): its time, and its people unless `with` names
  /// them; recorded as data.meeting.
  std::optional<EntryId> meeting_entry;
  std::vector<std::string> tags;
  std::optional<EntryId> supersedes;
  std::string author;
  std::string source = "cli";
};

/// Validates `input` and appends the agreement; returns its id. Superseding an entry that is
/// not an agreement, or one already superseded, is an error that says what to do instead.
EntryId log_agreement(Ledger& ledger, const AgreementInput& input, Instant now, Zone zone);

struct AgreementRow {
  Entry entry;  ///< its data only when each_agreement was asked for it
  std::string with;  ///< data.with as the listings show it: "Ivan Sidorov, Carl Client"
  std::string tags;  ///< data.tags likewise: "launch, web"; empty when it has none
  std::optional<EntryId> superseded_by;
  std::int64_t superseded_by_number = 0;  ///< the replacing agreement's number; 0: none
  std::int64_t supersedes_number = 0;     ///< the number of the agreement it replaces; 0: none
  /// Its newest transition (an `agreement-state` entry), when it has one: agreement_status()
  /// (agreement_state.hpp) turns these into its state.
  std::optional<EntryId> state_entry;
  std::string state;       ///< confirmed, disputed, fulfilled or withdrawn
  Instant state_at{};      ///< the transition's effective time
  std::string state_by;    ///< who confirmed or disputed
  std::string state_note;  ///< its evidence or reason
  /// The first done note that fulfilled it (pm done --agreement N), when one did.
  std::optional<EntryId> done_note;
  Instant done_at{};
};

/// Agreements, oldest first: the open ones (not superseded), or all; optionally only those
/// made at or after `since`. `superseded_by` is the newest agreement that supersedes one.
/// Streams: one agreement at a time, so a ledger of any size lists in little memory.
/// Without `data` the entries' data is not parsed (an empty object, as EntryQuery::data says):
/// a table needs only `with` and `tags`.
void each_agreement(Ledger& ledger, bool all, std::optional<Instant> since,
                    const std::function<void(const AgreementRow&)>& visit, bool data = true);
/// The agreements each_agreement(ledger, false, ...) lists, less those the items table has
/// closed at `now` (fulfilled by a done note, superseded): what can still be open, overdue or
/// awaiting confirmation, read through the index of open items, so the cost follows them and
/// not the project's history (pm portfolio). Without data, as each_agreement with `data` false.
void each_open_agreement(Ledger& ledger, Instant now,
                         const std::function<void(const AgreementRow&)>& visit);
/// The agreement whose entry is `id`, superseded or not, as each_agreement reads it.
std::optional<AgreementRow> find_agreement(Ledger& ledger, EntryId id);
/// The same, collected (for few agreements).
std::vector<AgreementRow> list_agreements(Ledger& ledger, bool all, std::optional<Instant> since);

/// Who is writing: `explicit_author`, else PM_AUTHOR, else git's user.name, else the login.
std::string resolve_author(const std::string& explicit_author);

}  // namespace pm
