#pragma once
// Status notes: what was done and what is planned next, jotted down during the week and read
// back by the weekly report.
#include <optional>
#include <string>

#include "pm/storage/ledger.hpp"

namespace pm {

struct NoteInput {
  std::string kind;  ///< "done" or "next"
  std::string text;
  std::string on;    ///< YYYY-MM-DD or an ISO time; empty: now
  std::optional<EntryId> agreement;  ///< done only: the agreement this fulfils
  std::string author;
};

/// Validates and appends a note; returns its id. A "done" dated in the future, or one that
/// fulfils an entry that is not an open agreement, is an error that says so.
EntryId add_note(Ledger& ledger, const NoteInput& input, Instant now, Zone zone);

}  // namespace pm
