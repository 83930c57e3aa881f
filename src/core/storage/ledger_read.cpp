// Reading entries: the columns and their order, prepared statements kept by their SQL, and
// the query builder behind every listing (Ledger::each).
#include "pm/storage/ledger.hpp"

#include <functional>
#include <set>

#include <SQLiteCpp/SQLiteCpp.h>
#include <fmt/format.h>

#include "pm/util/check.hpp"
#include "pm/util/error.hpp"

namespace pm {

namespace {

// The columns read_entry() reads, in its order; entry_columns() prefixes them.
const char* k_columns =
    "id, kind, recorded_at, effective_at, author, source, text, ref, due, data";
/// items.closed_at of an item nothing has closed (schema step 5).
const char* k_never = "9999-12-31T23:59:59Z";

}  // namespace

Entry Ledger::read_row(SQLite::Statement& stmt, bool data) { return read_entry(stmt, 0, data); }

std::string Ledger::entry_columns(const std::string& alias) {
  std::string out = alias + ".";
  for (const char* c = k_columns; *c != '\0'; ++c) {
    out += *c;
    if (*c == ' ') {
      out += alias + ".";
    }
  }
  // The number from the numbers table: entries older than schema step 6 carry none themselves.
  return out + fmt::format(", (SELECT n.number FROM numbers n WHERE n.entry_id = {}.id)", alias);
}

Entry Ledger::read_entry(SQLite::Statement& stmt, int first, bool data) {
  auto column = [&](int i) { return stmt.getColumn(first + i); };
  Entry e;
  e.id = column(0).getInt64();
  e.kind = column(1).getString();
  e.recorded_at = parse_utc(column(2).getString());
  e.effective_at = parse_utc(column(3).getString());
  e.author = column(4).getString();
  e.source = column(5).getString();
  e.text = column(6).getString();
  if (!column(7).isNull()) {
    e.ref = column(7).getInt64();
  }
  e.due = column(8).getString();
  if (!data && e.source != "hook") {
    if (!column(10).isNull()) {
      e.number = column(10).getInt64();
    }
    return e;
  }
  e.data = Json::parse(column(9).getString(), nullptr, false);
  if (e.data.is_discarded()) {
    // An older ledger may hold bytes that are not UTF-8 (written with sqlite3): keep the rest.
    e.data = Json::parse(utf8_replaced(column(9).getString()), nullptr, false);
  }
  if (e.data.is_discarded()) {
    e.data = Json::object();
  }
  if (!column(10).isNull()) {
    e.number = column(10).getInt64();
  }
  return e;
}

SQLite::Statement& Ledger::prepared(const std::string& sql,
                                    std::unique_ptr<SQLite::Statement>& spare) {
  auto& slot = m_reads[sql];
  if (!slot) {
    slot = std::make_unique<SQLite::Statement>(*m_db, sql);
    return *slot;
  }
  if (slot->hasRow()) {  // stepped and not yet reset: a caller is still reading it
    spare = std::make_unique<SQLite::Statement>(*m_db, sql);
    return *spare;
  }
  slot->clearBindings();
  return *slot;
}

namespace {

/// Resets a statement when the read ends, however it ends: a statement left mid-way would
/// hold its read transaction open, and later reads would not see other writers' entries.
struct ResetAtEnd {
  SQLite::Statement& stmt;
  ~ResetAtEnd() {
    try {
      stmt.reset();
    } catch (...) {  // reset reports the last step's error again; it was reported then
    }
  }
};

}  // namespace

std::optional<Entry> Ledger::find(EntryId id) {
  std::unique_ptr<SQLite::Statement> spare;
  SQLite::Statement& stmt =
      prepared(fmt::format("SELECT {} FROM entries e WHERE e.id = ?", entry_columns("e")), spare);
  ResetAtEnd done{stmt};
  stmt.bind(1, static_cast<int64_t>(id));
  if (stmt.executeStep()) {
    return read_row(stmt);
  }
  return std::nullopt;
}

std::optional<Entry> Ledger::find_numbered(const std::string& kind, std::int64_t number) {
  std::unique_ptr<SQLite::Statement> spare;
  SQLite::Statement& stmt = prepared(
      fmt::format("SELECT {} FROM numbers x JOIN entries e ON e.id = x.entry_id "
                  "WHERE x.kind = ? AND x.number = ?",
                  entry_columns("e")),
      spare);
  ResetAtEnd done{stmt};
  stmt.bind(1, kind);
  stmt.bind(2, static_cast<int64_t>(number));
  if (stmt.executeStep()) {
    return read_row(stmt);
  }
  return std::nullopt;
}

void Ledger::each(const EntryQuery& q, const std::function<void(const Entry&)>& visit) {
  scan(q, [&](Entry& e) { visit(e); });
}

void Ledger::scan(const EntryQuery& q, const std::function<void(Entry&)>& visit) {
  // Open items come from the items table (schema step 5): its rows are few near the present,
  // so a report's cost follows the open items, not the history. The filters then apply to the
  // item's copies of kind, effective_at and due, which its indexes serve (items_dated holds
  // only items with a due date). Elsewhere, without statistics SQLite prefers the (kind, effective_at) index, or scans in
  // effective_at order, even where a query by ref or by due date has a far narrower index:
  // name it.
  // Open items due from a day on are a short range of due dates (items_due); open items due
  // before a day, or any time, are those closed after the moment (items_dated, items_open):
  // few near the present. Each index holds kind, closed_at, effective_at and due, so the rows
  // it passes over are tested in the index (schema step 10).
  const bool dated = q.due_from || q.due_until;
  const char* from =
      q.open_only && q.due_from ? "items o INDEXED BY items_due CROSS JOIN entries e ON e.id = o.id"
      : q.open_only && dated    ? "items o INDEXED BY items_dated CROSS JOIN entries e ON e.id = o.id"
      : q.open_only             ? "items o INDEXED BY items_open CROSS JOIN entries e ON e.id = o.id"
      : q.ref              ? "entries e INDEXED BY entries_ref"
      : dated              ? "entries e INDEXED BY entries_due"
                           : "entries e";
  const char* t = q.open_only ? "o" : "e";
  std::string sql = fmt::format("SELECT {} FROM {} WHERE 1", entry_columns("e"), from);
  if (q.open_only) {
    sql += " AND o.closed_at >= ?";
  }
  if (!q.kinds.empty()) {
    sql += fmt::format(" AND {}.kind IN (", t);
    for (std::size_t i = 0; i < q.kinds.size(); ++i) {
      sql += i == 0 ? "?" : ", ?";
    }
    sql += ")";
  } else if (q.open_only) {
    sql += " AND o.kind IN ('agreement', 'risk')";
  }
  if (q.effective_from) {
    sql += fmt::format(" AND {}.effective_at >= ?", t);
  }
  if (q.effective_until) {
    sql += fmt::format(" AND {}.effective_at < ?", t);
  }
  if (q.ref) {
    sql += " AND e.ref = ?";
  }
  if (q.due_from) {
    sql += fmt::format(" AND {}.due >= ?", t);
  }
  if (q.due_until) {
    sql += fmt::format(" AND {}.due < ?", t);
  }
  sql += q.newest_first ? " ORDER BY e.effective_at DESC, e.id DESC"
                        : " ORDER BY e.effective_at, e.id";
  if (q.limit > 0) {
    sql += fmt::format(" LIMIT {}", q.limit);
  }
  try {
    std::unique_ptr<SQLite::Statement> spare;
    SQLite::Statement& stmt = prepared(sql, spare);
    ResetAtEnd done{stmt};
    int index = 1;
    if (q.open_only) {
      // Closed at or after the end: still open then. Without an end, open now.
      stmt.bind(index++, q.effective_until ? format_utc(*q.effective_until) : k_never);
    }
    for (const auto& kind : q.kinds) {
      stmt.bind(index++, kind);
    }
    if (q.effective_from) {
      stmt.bind(index++, format_utc(*q.effective_from));
    }
    if (q.effective_until) {
      stmt.bind(index++, format_utc(*q.effective_until));
    }
    if (q.ref) {
      stmt.bind(index++, static_cast<int64_t>(*q.ref));
    }
    if (q.due_from) {
      stmt.bind(index++, *q.due_from);
    }
    if (q.due_until) {
      stmt.bind(index++, *q.due_until);
    }
    while (stmt.executeStep()) {
      Entry e = read_row(stmt, q.data);
      visit(e);
    }
  } catch (const Error&) {
    throw;
  } catch (const std::exception& e) {
    rethrow_sqlite(e, m_path, "read");
  }
}

std::vector<Entry> Ledger::list(const EntryQuery& q) {
  std::vector<Entry> out;
  scan(q, [&](Entry& e) { out.push_back(std::move(e)); });
  return out;
}

std::set<EntryId> Ledger::superseded_ids() {
  std::set<EntryId> out;
  try {
    SQLite::Statement stmt(*m_db,
                           "SELECT n.ref FROM entries n INDEXED BY entries_ref "
                           "JOIN entries o ON o.id = n.ref AND o.kind = n.kind "
                           "WHERE n.ref IS NOT NULL");
    while (stmt.executeStep()) {
      out.insert(stmt.getColumn(0).getInt64());
    }
  } catch (const std::exception& e) {
    rethrow_sqlite(e, m_path, "read");
  }
  return out;
}

std::optional<Entry> Ledger::latest(const std::string& kind) {
  SQLite::Statement stmt(
      *m_db, fmt::format("SELECT {} FROM entries e WHERE e.kind = ? AND NOT EXISTS "
                         "(SELECT 1 FROM entries n WHERE n.ref = e.id AND n.kind = e.kind) "
                         "AND {} ORDER BY e.id DESC LIMIT 1",
                         entry_columns("e"), not_withdrawal_sql("e")));
  stmt.bind(1, kind);
  if (stmt.executeStep()) {
    return read_row(stmt);
  }
  return std::nullopt;
}

}  // namespace pm
