#pragma once
// What the client may see of a ledger: the same ledger without the team's own entries
// (`--internal`) and without NPS comments, as a copy in memory, so that every reader (the
// report, the agreements, changes and risks) shows the client exactly what it shows the team,
// less those, through the same code.
#include <cstddef>
#include <memory>

#include "pm/storage/ledger.hpp"

namespace pm {

struct ClientView {
  /// What the client may see: the copy, or the ledger itself when nothing is internal.
  Ledger* ledger = nullptr;
  std::unique_ptr<Ledger> copy;  ///< in memory; entries keep their ids and numbers
  std::size_t hidden = 0;        ///< entries left out
};

/// Copies what the client may see of `ledger` into memory:
/// - an entry marked internal is left out, and so is every entry that decides, closes,
///   answers or withdraws one that is left out (a confirmation of an internal agreement);
/// - an entry that replaces a left-out one of its own kind stays, as if it replaced nothing;
/// - NPS answers keep their scores, never their comments.
/// Derived tables are rebuilt by the ledger's own triggers as the entries go in (the approvals'
/// running totals afterwards, in one statement, as the migration that made them does), so what a
/// left-out entry closed is open in the view. The view's chain is not whole (ids have gaps):
/// the ledger's head is the source's. A ledger with nothing internal is its own view (no copy):
/// no page or letter for the client reads an NPS comment, and the tests hold them to it.
ClientView client_view(Ledger& ledger);

/// True when the entry's data marks it internal.
bool is_internal(const Entry& entry);

}  // namespace pm
