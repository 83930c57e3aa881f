#pragma once
// What `pm verify` checks beyond the hash chain: the chain's head against an anchor kept
// outside the ledger (.pm/head, a letter's footer), the derived tables against the entries,
// and pm's triggers, indexes and views against what the schema steps create.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace SQLite {
class Database;
}

namespace pm {

/// The chain's head: how many entries there are and the newest one's hash.
struct ChainHead {
  std::int64_t entries = 0;
  std::string hash;  ///< hex SHA-256, or a prefix of it in an anchor; empty for no entries

  /// "N:HASH", the form .pm/head, `pm verify` and JSON use.
  std::string text() const;
  /// "N:" and the first k_short_hash hex digits: the anchor printed in letters and reports.
  std::string short_text() const;
  bool operator==(const ChainHead&) const = default;
};

/// Hex digits of the hash a letter's footer shows; `pm verify --head` accepts k_min_anchor_hash
/// or more.
inline constexpr std::size_t k_short_hash = 16;
inline constexpr std::size_t k_min_anchor_hash = 12;

/// The head of the ledger as it is now.
ChainHead chain_head(SQLite::Database& db);

/// Parses "N:HASH" (an anchor: HASH may be a prefix of at least k_min_anchor_hash digits).
/// Throws pm::Error naming `what` when it is not one.
ChainHead parse_head(const std::string& text, const std::string& what);

/// Checks that the ledger holds entry anchor.entries with a hash starting with anchor.hash;
/// with `whole`, also that no entry follows it. Returns the problem, or "" when it holds.
std::string check_anchor(SQLite::Database& db, const ChainHead& anchor, bool whole);

/// The head file next to a project's ledger (.pm/head); empty for a ledger outside a .pm/
/// directory (":memory:", tests' files), which keeps none.
std::filesystem::path head_file(const std::string& ledger_path);
/// The head kept in `file`; nullopt when there is none. Throws pm::Error when it is unreadable
/// or malformed.
std::optional<ChainHead> read_head_file(const std::filesystem::path& file);
/// Replaces `file` with `head` (a temporary file renamed over it). Not synced: after a crash it
/// may name an older head, which `pm verify` reports as entries appended after it, never as
/// entries lost.
void write_head_file(const std::filesystem::path& file, const ChainHead& head);

/// One table whose rows follow from the entries: the query that recomputes them, with the
/// table's columns in the same order. A schema step that adds such a table adds a row here.
struct DerivedTable {
  const char* table;
  const char* columns;    ///< the table's columns, comma-separated
  const char* recompute;  ///< SELECT of those columns from entries
  /// Which of the table's rows follow from entries this way (a WHERE condition), or null for
  /// all: nps_answers' rows of `nps` entries do; an `nps-import` entry's are checked by digest.
  const char* rows = nullptr;
};
const std::vector<DerivedTable>& derived_tables();

/// One line per derived table whose rows differ from what the entries imply, then
/// check_nps_imports().
std::vector<std::string> check_derived_tables(SQLite::Database& db);

/// One line per `nps-import` entry whose answers in nps_answers (the rows naming it, in row
/// order) do not have the count and the digest its data holds (an answer changed, added or
/// removed outside pm).
std::vector<std::string> check_nps_imports(SQLite::Database& db);

/// One line per trigger, index or view of pm's that is missing or not as the schema steps
/// create it, per table missing, and per trigger pm did not create.
std::vector<std::string> check_schema_objects(SQLite::Database& db);

/// Names of pm's triggers (from the schema steps) that the ledger lacks: cheap enough for
/// every reading command.
std::vector<std::string> missing_triggers(SQLite::Database& db);

}  // namespace pm
