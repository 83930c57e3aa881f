#include "pm/storage/chain.hpp"

#include <charconv>
#include <iterator>
#include <string_view>

#include <SQLiteCpp/SQLiteCpp.h>
#include <fmt/format.h>

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

const char* k_select =
    "SELECT id, kind, recorded_at, effective_at, author, source, text, "
    "COALESCE(CAST(ref AS TEXT), ''), COALESCE(due, ''), data, "
    "COALESCE(prev_hash, ''), COALESCE(hash, '') FROM entries ORDER BY id";

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
  SQLite::Statement stmt(db, k_select);
  std::string prev;
  std::int64_t prev_id = 0;
  while (stmt.executeStep()) {
    StoredEntry e = read(stmt);
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
