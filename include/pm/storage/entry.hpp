#pragma once
// What the ledger records: entries of a few kinds, never edited in place.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "pm/time/time.hpp"
#include "pm/util/json.hpp"

namespace pm {

using EntryId = std::int64_t;

/// One kind of entry, with the one line that describes it (help, docs and validation).
struct EntryKind {
  const char* name;
  const char* summary;
};

/// Every kind the ledger knows.
const std::vector<EntryKind>& entry_kinds();
bool is_entry_kind(const std::string& name);

/// Where an entry came from.
extern const std::vector<std::string> k_sources;  // cli, hook, import, ...

/// One row of the ledger.
struct Entry {
  EntryId id = 0;
  std::string kind;
  Instant recorded_at{};   ///< when pm wrote it (UTC)
  Instant effective_at{};  ///< when it happened: the meeting, --on, ... (UTC)
  std::string author;
  std::string source = "cli";
  std::string text;
  std::optional<EntryId> ref;  ///< the entry this one supersedes, decides or closes
  std::string due;             ///< YYYY-MM-DD in the project's zone, or empty
  Json data = Json::object();  ///< kind-specific fields

  /// The entry as JSON (the documented shape of docs/json.md).
  Json to_json() const;
};

/// True for an entry that withdraws the one its `ref` names (`data.withdrawn`, written when an
/// amend or a rebase removes a commit trailer): it closes that entry the way a superseding one
/// does (same kind), and is not itself a current record: listings leave it out.
bool is_withdrawal(const Entry& e);

/// The same as an SQL condition on the entries row `alias`: true for what is NOT a withdrawal.
std::string not_withdrawal_sql(const std::string& alias);
/// The ledger's backstop (Ledger::insert calls it, whoever the caller): throws pm::Error
/// unless the author, kind, source and due are single-line UTF-8 and the text and every
/// string in data (or `data_json`, when given, data already serialized) are UTF-8 texts
/// (docs/reliability.md). The commands check their inputs earlier, naming the option.
void check_entry(const Entry& entry, const std::string* data_json = nullptr);

}  // namespace pm
