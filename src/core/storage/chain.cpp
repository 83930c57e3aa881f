#include "pm/storage/chain.hpp"

#include <charconv>
#include <iterator>
#include <string_view>

#include <SQLiteCpp/SQLiteCpp.h>
#include <fmt/format.h>

#include "pm/storage/entry.hpp"
#include "pm/util/sha256.hpp"
#include "pm/util/progress.hpp"

namespace pm {

namespace {

void add_field(std::string& buffer, std::string_view value) {
  char digits[24];
  auto [end, ec] = std::to_chars(std::begin(digits), std::end(digits), value.size());
  (void)ec;  // 24 digits hold any size
  buffer.append(digits, end);
  buffer += ':';
  buffer.append(value);
  buffer += '\n';
}

// Before schema step 6 (the backfill of step 4 reads with it) there is no number column.
const char* k_select =
    "SELECT id, kind, recorded_at, effective_at, author, source, text, "
    "COALESCE(CAST(ref AS TEXT), ''), COALESCE(due, ''), data, "
    "COALESCE(prev_hash, ''), COALESCE(hash, '') FROM entries ORDER BY id";

// What verify reads: k_select's columns, then the number (column 12).
const char* k_select_numbered =
    "SELECT id, kind, recorded_at, effective_at, author, source, text, "
    "COALESCE(CAST(ref AS TEXT), ''), COALESCE(due, ''), data, "
    "COALESCE(prev_hash, ''), COALESCE(hash, ''), COALESCE(CAST(number AS TEXT), '') "
    "FROM entries ORDER BY id";

StoredEntry read(SQLite::Statement& stmt) {
  StoredEntry e;
  e.id = stmt.getColumn(0).getInt64();
  e.kind = stmt.getColumn(1).getString();
  e.recorded_at = stmt.getColumn(2).getString();
  e.effective_at = stmt.getColumn(3).getString();
  e.author = stmt.getColumn(4).getString();
  e.source = stmt.getColumn(5).getString();
  e.text = stmt.getColumn(6).getString();
  e.ref = stmt.getColumn(7).getString();
  e.due = stmt.getColumn(8).getString();
  e.data = stmt.getColumn(9).getString();
  return e;
}

}  // namespace

std::string entry_hash(const std::string& prev_hash, const StoredEntry& e) {
  // One buffer per thread, reused: an import hashes every entry it writes, pm verify every
  // entry of the ledger.
  thread_local std::string buffer;
  buffer.clear();
  add_field(buffer, prev_hash);
  char id[24];
  auto [id_end, ec] = std::to_chars(std::begin(id), std::end(id), e.id);
  (void)ec;
  add_field(buffer, std::string_view(id, static_cast<std::size_t>(id_end - id)));
  for (const std::string* field : {&e.kind, &e.recorded_at, &e.effective_at, &e.author,
                                   &e.source, &e.text, &e.ref, &e.due, &e.data}) {
    add_field(buffer, *field);
  }
  if (!e.number.empty()) {
    add_field(buffer, e.number);
  }
  return sha256_hex(buffer);
}

VerifyResult verify_chain(SQLite::Database& db) {
  VerifyResult r;
  std::string integrity = db.execAndGet("PRAGMA integrity_check").getString();
  if (integrity != "ok") {
    r.ok = false;
    r.problem = "SQLite's integrity check failed: " + integrity;
    return r;
  }
  SQLite::Statement stmt(db, k_select_numbered);
  std::string prev;
  std::int64_t prev_id = 0;
  while (stmt.executeStep()) {
    StoredEntry e = read(stmt);
    e.number = stmt.getColumn(12).getString();
    std::string stored_prev = stmt.getColumn(10).getString();
    std::string stored_hash = stmt.getColumn(11).getString();
    ++r.entries;
    progress_step();
    if (stored_prev != prev) {
      r.ok = false;
      r.problem = prev_id == 0 && stored_prev.empty() == false
                      ? fmt::format("the first entry ({}) does not start the chain: entries "
                                    "before it were deleted outside pm",
                                    e.id)
                      : fmt::format("the chain breaks between entries {} and {}: an entry "
                                    "was deleted or inserted there outside pm",
                                    prev_id, e.id);
      return r;
    }
    if (entry_hash(prev, e) != stored_hash) {
      r.ok = false;
      r.problem = fmt::format("entry {} was changed (or inserted) outside pm: its content no "
                              "longer matches its hash",
                              e.id);
      return r;
    }
    prev = stored_hash;
    prev_id = e.id;
  }
  return r;
}

std::vector<std::string> check_numbers(SQLite::Database& db) {
  std::vector<std::string> problems;
  // Every numbered entry with the number it must have (its rank among its kind by id), the
  // number the numbers table gives it and the one it carries itself; then numbers rows that
  // belong to no numbered entry.
  std::string kinds;
  for (const auto& k : entry_kinds()) {
    if (k.prefix != nullptr) {
      kinds += fmt::format("{}'{}'", kinds.empty() ? "" : ", ", k.name);
    }
  }
  SQLite::Statement stmt(
      db, fmt::format("SELECT e.id, e.kind, row_number() OVER (PARTITION BY e.kind ORDER BY e.id), "
                      "n.number, e.number FROM entries e LEFT JOIN numbers n ON n.entry_id = e.id "
                      "WHERE e.kind IN ({}) ORDER BY e.id",
                      kinds));
  while (stmt.executeStep()) {
    std::int64_t id = stmt.getColumn(0).getInt64();
    std::string kind = stmt.getColumn(1).getString();
    std::int64_t expected = stmt.getColumn(2).getInt64();
    if (stmt.getColumn(3).isNull()) {
      problems.push_back(fmt::format("entry {} ({} {}) has no row in the numbers table", id,
                                     kind, expected));
    } else if (stmt.getColumn(3).getInt64() != expected) {
      problems.push_back(fmt::format("entry {} is {} {}, but the numbers table says {}", id, kind,
                                     expected, stmt.getColumn(3).getInt64()));
    }
    if (!stmt.getColumn(4).isNull() && stmt.getColumn(4).getInt64() != expected) {
      problems.push_back(fmt::format("entry {} is {} {}, but carries the number {}", id, kind,
                                     expected, stmt.getColumn(4).getInt64()));
    }
  }
  SQLite::Statement stray(db, fmt::format("SELECT n.entry_id FROM numbers n LEFT JOIN entries e "
                                          "ON e.id = n.entry_id WHERE e.id IS NULL OR e.kind "
                                          "IS NOT n.kind OR e.kind NOT IN ({})",
                                          kinds));
  while (stray.executeStep()) {
    problems.push_back(fmt::format("the numbers table numbers entry {}, which is not a numbered "
                                   "entry of that kind",
                                   stray.getColumn(0).getInt64()));
  }
  return problems;
}

void append_answer_record(std::string& buffer, const AnswerRecord& a) {
  add_field(buffer, a.answered_on);
  char score[24];
  auto [end, ec] = std::to_chars(std::begin(score), std::end(score), a.score);
  (void)ec;
  add_field(buffer, std::string_view(score, static_cast<std::size_t>(end - score)));
  for (std::string_view field : {a.client, a.contact, a.manager, a.comment, a.at, a.fingerprint}) {
    add_field(buffer, field);
  }
}

std::string fingerprint_hex(std::int64_t fingerprint) {
  static const char k_hex[] = "0123456789abcdef";
  std::string hex(16, '0');
  auto bits = static_cast<std::uint64_t>(fingerprint);
  for (int i = 15; i >= 0; --i, bits >>= 4) {
    hex[static_cast<std::size_t>(i)] = k_hex[bits & 0xF];
  }
  return hex;
}

void backfill_chain(SQLite::Database& db) {
  db.exec("DROP TRIGGER entries_no_update");
  SQLite::Statement select(db, k_select);
  SQLite::Statement update(db, "UPDATE entries SET prev_hash = ?, hash = ? WHERE id = ?");
  std::string prev;
  while (select.executeStep()) {
    StoredEntry e = read(select);
    std::string hash = entry_hash(prev, e);
    update.bind(1, prev);
    update.bind(2, hash);
    update.bind(3, static_cast<int64_t>(e.id));
    update.exec();
    update.reset();
    prev = hash;
  }
  db.exec("CREATE TRIGGER entries_no_update BEFORE UPDATE ON entries "
          "BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only'); END");
}

}  // namespace pm
