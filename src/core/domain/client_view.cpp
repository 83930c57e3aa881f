#include "pm/domain/client_view.hpp"

#include <fmt/format.h>
#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include "pm/util/error.hpp"

namespace pm {

namespace {

/// The entries of `src` the client does not see, into the temporary table `hidden`: those
/// marked internal, then, round by round, those that decide, close, answer or withdraw one of
/// them. A same-kind successor (an agreement replacing an internal one) is not hidden.
constexpr const char* k_hidden_sql = R"sql(
CREATE TEMP TABLE hidden (id INTEGER PRIMARY KEY);
INSERT INTO hidden (id)
WITH RECURSIVE h(id, kind) AS (
  SELECT id, kind FROM src.entries WHERE json_extract(data, '$.internal') IS 1
  UNION
  SELECT e.id, e.kind FROM src.entries e JOIN h ON e.ref = h.id
  WHERE e.kind <> h.kind OR json_extract(e.data, '$.withdrawn') IS 1
)
SELECT id FROM h;
)sql";

/// The rest, in id order, so the triggers derive items, approvals and messages as they did in
/// the ledger. An NPS entry's text is its comment: left empty.
constexpr const char* k_copy_sql = R"sql(
INSERT INTO main.entries (id, kind, recorded_at, effective_at, author, source, text, ref, due,
                          data, prev_hash, hash, number)
SELECT e.id, e.kind, e.recorded_at, e.effective_at, e.author, e.source,
       CASE WHEN e.kind = 'nps' THEN '' ELSE e.text END,
       CASE WHEN e.ref IN (SELECT id FROM hidden) THEN NULL ELSE e.ref END,
       e.due, e.data, e.prev_hash, e.hash, e.number
FROM src.entries e WHERE e.id NOT IN (SELECT id FROM hidden) ORDER BY e.id;
INSERT INTO main.numbers (entry_id, kind, number)
SELECT n.entry_id, n.kind, n.number FROM src.numbers n
WHERE n.entry_id NOT IN (SELECT id FROM hidden) ORDER BY n.entry_id;
INSERT INTO main.nps_answers (id, entry_id, answered_on, score, client, contact, manager,
                              fingerprint, comment, at)
SELECT a.id, a.entry_id, a.answered_on, a.score, a.client, a.contact, a.manager,
       a.fingerprint, CASE WHEN a.comment IS NULL THEN NULL ELSE '' END, a.at
FROM src.nps_answers a ORDER BY a.id;
)sql";

/// Attaches `ledger` to `db` as "src": its file, or for a ledger in memory (tests, the
/// fuzzers) a copy of its pages.
void attach_source(SQLite::Database& db, Ledger& ledger) {
  if (ledger.path() != ":memory:" && !ledger.path().empty()) {
    SQLite::Statement attach(db, "ATTACH DATABASE ? AS src");
    attach.bind(1, ledger.path());
    attach.exec();
    return;
  }
  db.exec("ATTACH DATABASE ':memory:' AS src");
  sqlite3_int64 size = 0;
  unsigned char* pages = sqlite3_serialize(ledger.db().getHandle(), "main", &size, 0);
  if (pages == nullptr) {
    throw Error("could not copy the ledger in memory for the client's view");
  }
  const int rc = sqlite3_deserialize(db.getHandle(), "src", pages, size, size,
                                     SQLITE_DESERIALIZE_FREEONCLOSE |
                                         SQLITE_DESERIALIZE_READONLY);
  if (rc != SQLITE_OK) {
    throw Error(fmt::format("could not read the ledger's copy for the client's view: {}",
                            sqlite3_errstr(rc)));
  }
}

/// What the trigger change_approvals_decide keeps, computed at once (as schema step 5 did).
constexpr const char* k_approvals_sql = R"sql(
INSERT INTO main.change_approvals (change_id, approved_at, days, total_days)
SELECT change_id, approved_at, days,
       sum(days) OVER (ORDER BY approved_at, change_id ROWS UNBOUNDED PRECEDING)
FROM main.change_approval
WHERE change_id IN (SELECT ref FROM main.entries WHERE kind = 'change-decision');
)sql";

}  // namespace

bool is_internal(const Entry& entry) {
  auto it = entry.data.find("internal");
  return it != entry.data.end() && it->is_boolean() && it->get<bool>();
}

ClientView client_view(Ledger& ledger) {
  if (ledger.format() != Ledger::k_format) {
    throw Error(fmt::format("the ledger is in format {}, this pm writes {}: run a pm command that "
                            "writes (pm verify does not) to bring it forward first",
                            ledger.format(), Ledger::k_format));
  }
  ClientView view;
  try {
    // Most ledgers hold nothing internal: no copy then. The text test goes first (pm writes
    // data compactly), so the JSON is parsed only where the words stand.
    SQLite::Statement any(ledger.db(),
                          "SELECT EXISTS (SELECT 1 FROM entries WHERE instr(data, "
                          "'\"internal\":true') > 0 AND json_extract(data, '$.internal') IS 1)");
    if (any.executeStep() && any.getColumn(0).getInt() == 0) {
      view.ledger = &ledger;
      return view;
    }
  } catch (const std::exception& e) {
    rethrow_sqlite(e, ledger.path(), "read for the client's view");
  }
  view.copy = std::make_unique<Ledger>(":memory:", Ledger::Mode::create);
  view.ledger = view.copy.get();
  SQLite::Database& db = view.copy->db();
  try {
    // The approvals' running totals are computed once at the end: kept row by row by their
    // trigger, a copy of 10,000 decisions took seconds.
    db.exec("DROP TRIGGER change_approvals_decide");
    attach_source(db, ledger);
    {
      // One read transaction: the copy is of one moment, whoever writes meanwhile.
      SQLite::Transaction copy(db);
      db.exec(k_hidden_sql);
      view.hidden = static_cast<std::size_t>(
          db.execAndGet("SELECT count(*) FROM hidden").getInt64());
      db.exec(k_copy_sql);
      db.exec(k_approvals_sql);
      db.exec("DROP TABLE temp.hidden");
      copy.commit();
    }
    db.exec("DETACH DATABASE src");
  } catch (const Error&) {
    throw;
  } catch (const std::exception& e) {
    rethrow_sqlite(e, ledger.path(), "read for the client's view");
  }
  return view;
}

}  // namespace pm
