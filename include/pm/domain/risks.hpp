#pragma once
// The risk register: each risk with its probability, impact, the action taken and an owner;
// closed by a "risk-close" entry that refers to it, never edited.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "pm/storage/ledger.hpp"

namespace pm {

/// low, medium, high: the levels of probability and impact.
extern const std::vector<std::string> k_risk_levels;

struct RiskInput {
  std::string text;
  std::string probability;
  std::string impact;
  std::string action;
  std::string owner;
  std::string author;
};

struct Risk {
  Entry entry;
  std::string probability;
  std::string impact;
  std::string action;
  std::string owner;
  std::optional<Entry> closed;  ///< the risk-close entry, when closed
};

/// Validates and appends a risk; returns its id.
EntryId add_risk(Ledger& ledger, const RiskInput& input, Instant now);
/// Closes risk `id` with `note`; an unknown id, an entry that is not a risk, or a risk closed
/// already is an error that says so. Returns the risk-close entry's id.
EntryId close_risk(Ledger& ledger, EntryId id, const std::string& note, const std::string& author,
                   Instant now);
/// Risks oldest first: the open ones, or all with `all`; a risk closed twice (two racing
/// writers) shows its first risk-close. Streams: one risk at a time, so a ledger of any size
/// lists in little memory.
void each_risk(Ledger& ledger, bool all, const std::function<void(const Risk&)>& visit);
/// The same, collected (for few risks).
std::vector<Risk> list_risks(Ledger& ledger, bool all);
/// `entry` (a risk) with its first risk-close, if any. One lookup in the ref index.
Risk load_risk(Ledger& ledger, const Entry& entry);
/// The risks closed in [from, until), by their first risk-close, in the order they were closed.
std::vector<Risk> closed_risks(Ledger& ledger, Instant from, Instant until);
/// The risks open at `as_of` (exclusive): opened before it, not closed before it. An indexed
/// query over risks only.
std::vector<Risk> open_risks(Ledger& ledger, Instant as_of);

}  // namespace pm
