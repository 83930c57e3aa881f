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
  /// Entries of a numbered kind are numbered 1, 2, 3... per kind ("A3" is agreement 3); null
  /// for kinds that are not numbered. Making a kind numbered is this one field.
  const char* prefix = nullptr;
  /// The kind in a sentence, with its article: "an agreement", "a done note".
  const char* noun = nullptr;
};

/// Every kind the ledger knows.
const std::vector<EntryKind>& entry_kinds();
bool is_entry_kind(const std::string& name);
/// The kind's row, or null for an unknown kind.
const EntryKind* find_entry_kind(const std::string& name);
/// Whether entries of `kind` carry a per-kind number.
bool is_numbered_kind(const std::string& kind);
/// "an agreement", "a change": the kind's word with its English article (for messages).
std::string kind_with_article(const std::string& kind);

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
  /// The entry's number among its kind (numbered kinds only; 0 for the others). Assigned by
  /// the ledger when the entry is appended; an import gives it to have it checked.
  std::int64_t number = 0;
  /// Whether the entry's hash covers its number: true for every entry written since schema
  /// step 6, false for older entries (numbered by the migration, hashed before it).
  bool number_hashed = true;

  /// The entry as JSON (the documented shape of docs/json.md).
  Json to_json() const;
};

/// True for an entry that withdraws the one its `ref` names (`data.withdrawn`, written when an
/// amend or a rebase removes a commit trailer): it closes that entry the way a superseding one
/// does (same kind), and is not itself a current record: listings leave it out.
bool is_withdrawal(const Entry& e);

/// The same as an SQL condition on the entries row `alias`: true for what is NOT a withdrawal.
std::string not_withdrawal_sql(const std::string& alias);
/// A field of the entries row `alias`'s data as an SQL column, for reads of many entries
/// (SQLite extracts it faster than the entry's JSON is parsed here): its text, or '' when the
/// field is missing or null. pm writes data as JSON objects; a damaged ledger's data that is
/// not JSON fails the read with SQLite's "malformed JSON" (pm verify finds the entry).
std::string data_text_sql(const std::string& alias, const char* key);
/// The same for an integer field: NULL when it is missing or null.
std::string data_integer_sql(const std::string& alias, const char* key);
/// The ledger's backstop (Ledger::insert calls it, whoever the caller): throws pm::Error
/// unless the author, kind, source and due are single-line UTF-8 and the text and every
/// string in data (or `data_json`, when given, data already serialized) are UTF-8 texts
/// (docs/reliability.md). The commands check their inputs earlier, naming the option.
void check_entry(const Entry& entry, const std::string* data_json = nullptr);

}  // namespace pm
