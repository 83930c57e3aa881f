#pragma once
// How people name entries: agreements, changes, risks and decisions by their per-kind number
// ("change 3", C3), everything by its ledger-wide entry id (E17), which old letters quote.
#include <cstdint>
#include <string>

#include "pm/storage/ledger.hpp"

namespace pm {

/// The command that lists entries of `kind` ("pm change list", "pm log --kind done").
std::string listing_command(const std::string& kind);

/// Entry `number` of `kind` (change 3). Throws pm::Error naming the listing command when
/// there is none.
Entry numbered_entry(Ledger& ledger, const std::string& kind, std::int64_t number);

/// Throws pm::Error when `entry` is not of `kind`: "entry 1 is an agreement, not a change;
/// `pm change list` shows the changes".
void require_kind(const Entry& entry, const std::string& kind);

/// The entry a reference names: `E17` (entry 17, any kind), `A3`, `C2`, `R1`, `D4` (by the
/// kind's prefix and number), or the kind's word and the number as two words joined by a
/// space ("agreement 3"). Case does not matter. Throws pm::Error for anything else, and for a
/// reference to nothing.
Entry find_reference(Ledger& ledger, const std::string& text);

/// The compact reference of an entry: "A3" for numbered kinds, "E17" for the others.
std::string reference_of(const Entry& entry);

}  // namespace pm
