#pragma once
// The ledger's hash chain: each entry's hash covers its content and the previous entry's
// hash, as git's commits do, so an edit, insertion or deletion behind pm's back shows.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace SQLite {
class Database;
}

namespace pm {

/// An entry's columns exactly as stored (NULLs as empty strings, `ref` as its digits).
struct StoredEntry {
  std::int64_t id = 0;
  std::string kind, recorded_at, effective_at, author, source, text, ref, due, data;
  /// The per-kind number when the hash covers it (entries written since schema step 6), else
  /// empty: older entries' hashes, made before numbers existed, stay valid.
  std::string number;
};

/// Hex SHA-256 over `prev_hash` and every column, each length-prefixed (no ambiguity); the
/// number is one more field at the end, only when there is one.
std::string entry_hash(const std::string& prev_hash, const StoredEntry& entry);

/// The outcome of `pm verify`.
struct VerifyResult {
  bool ok = true;
  std::int64_t entries = 0;
  std::string problem;  ///< the first problem, naming the entry; empty when ok
};

/// Checks SQLite's integrity, then the chain from the first entry to the last.
VerifyResult verify_chain(SQLite::Database& db);

/// What is wrong with the per-kind numbers (the `numbers` table and the numbers entries carry):
/// each numbered kind's entries must be numbered 1..n in id order, each entry's stored number
/// must match. Empty when they are right. For `pm verify`.
std::vector<std::string> check_numbers(SQLite::Database& db);

/// One NPS answer row as an import's digest covers it (nps_answers' columns; `at` empty when
/// NULL, `fingerprint` as 16 lowercase hex digits or empty when NULL).
struct AnswerRecord {
  std::string_view answered_on;
  std::int64_t score = 0;
  std::string_view client, contact, manager, comment, at, fingerprint;
};

/// Appends the answer's canonical form to `buffer`: its eight fields in the order above, each
/// length-prefixed as entry_hash writes fields ("10:2026-11-20\n1:9\n..."). An `nps-import`
/// entry's data.digest is the hex SHA-256 of its answers' forms, concatenated in row order.
void append_answer_record(std::string& buffer, const AnswerRecord& answer);

/// A fingerprint as the digest and exports write it: 16 lowercase hex digits.
std::string fingerprint_hex(std::int64_t fingerprint);

/// Recomputes and stores every hash (a migration step for ledgers made before the chain).
void backfill_chain(SQLite::Database& db);

}  // namespace pm
