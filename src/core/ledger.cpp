#include "pm/ledger.hpp"

#include <algorithm>
#include <bit>
#include <filesystem>
#include <functional>
#include <set>
#include <stdexcept>
#include <utility>

#include <SQLiteCpp/SQLiteCpp.h>
#include <fmt/format.h>
#include <sqlite3.h>

#include "pm/chain.hpp"
#include "pm/error.hpp"
#include "pm/schema.hpp"

namespace pm {

const int Ledger::k_format = static_cast<int>(schema_steps().size());
const int Ledger::k_application_id = 0x504d4c47;  // "PMLG"

namespace {

/// Entries one INSERT statement writes at most (12 parameters each): the more, the fewer
/// pages each statement journals per entry (see insert_statement).
constexpr std::size_t k_rows_per_insert = 256;
constexpr int k_parameters_per_row = 12;

const char* k_columns =
    "id, kind, recorded_at, effective_at, author, source, text, ref, due, data";

}  // namespace

void rethrow_sqlite(const std::exception& e, const std::string& path, const std::string& doing) {
  if (const auto* error = dynamic_cast<const Error*>(&e)) {
    throw *error;
  }
  int code = SQLITE_ERROR;
  if (const auto* sql = dynamic_cast<const SQLite::Exception*>(&e)) {
    code = sql->getErrorCode();
  }
  switch (code) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      throw Error(fmt::format("cannot {} ledger {}: it is locked by another writer; retry in a "
                              "moment",
                              doing, path),
                  Exit::busy);
    case SQLITE_READONLY:
      throw Error(fmt::format("cannot {} ledger {}: it is read-only; check the permissions of "
                              "the file and its directory",
                              doing, path));
    case SQLITE_CANTOPEN:
      throw Error(fmt::format("cannot {} ledger {}: the file cannot be opened; check that it "
                              "exists and that its directory is writable",
                              doing, path));
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
      throw Error(fmt::format("cannot {} ledger {}: the file is not a valid SQLite database; "
                              "restore it from a backup",
                              doing, path),
                  Exit::integrity);
    case SQLITE_FULL:
      throw Error(fmt::format("cannot {} ledger {}: the disk is full", doing, path));
    default:
      throw Error(fmt::format("cannot {} ledger {}: {}", doing, path, e.what()));
  }
}

Ledger::Ledger(const std::string& path, Mode mode, int busy_timeout_ms) : m_path(path) {
  int flags = SQLite::OPEN_READWRITE;
  if (mode == Mode::read_only) {
    flags = SQLite::OPEN_READONLY;
  } else if (mode == Mode::create) {
    flags |= SQLite::OPEN_CREATE;
  }
  // One connection, one thread: no mutex around every SQLite call (imports make millions).
  flags |= SQLITE_OPEN_NOMUTEX;
  if (mode != Mode::create && path != ":memory:" && !std::filesystem::exists(path)) {
    throw Error(fmt::format("ledger {} is missing; the project's .pm/ directory is incomplete "
                            "(restore the file, or run 'pm init' in a new directory)",
                            path));
  }
  // Process-wide settings, possible only before SQLite initializes, so at the first open:
  // - no allocation statistics: they cost a global mutex and counters on every malloc and
  //   free of every statement (Debian's SQLite has no lookaside to absorb them), and pm reads
  //   none of them;
  // - statement journals (what undoes a failed statement that writes many rows, such as the
  //   importers' INSERTs of 256 rows) stay in memory up to 4 MiB instead of going to a
  //   temporary file beyond 64 KiB: an import's statements journal a few hundred pages each.
  static const bool k_configured = [] {
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    sqlite3_config(SQLITE_CONFIG_STMTJRNL_SPILL, 4 << 20);
    return true;
  }();
  (void)k_configured;
  try {
    m_db = std::make_unique<SQLite::Database>(path, flags, busy_timeout_ms);
    m_db->exec("PRAGMA foreign_keys = ON");
    if (mode == Mode::read_only) {
      int version = format();
      if (version != k_format) {
        throw Error(fmt::format("ledger {} has format {}, this pm reads format {}; run a "
                                "writing command (for example 'pm agreements --all' after "
                                "upgrading pm) to migrate it",
                                path, version, k_format));
      }
      return;
    }
    migrate();
  } catch (const std::exception& e) {
    rethrow_sqlite(e, path, "open");
  }
}

Ledger::~Ledger() = default;

SQLite::Database& Ledger::db() { return *m_db; }

int Ledger::format() const {
  return m_db->execAndGet("PRAGMA user_version").getInt();
}

void Ledger::migrate() {
  int app_id = m_db->execAndGet("PRAGMA application_id").getInt();
  int version = format();
  if (app_id != 0 && app_id != k_application_id) {
    throw Error(fmt::format("{} is a SQLite database but not a pm ledger; move it aside", m_path));
  }
  if (version > k_format) {
    throw Error(fmt::format("ledger {} has format {}, newer than this pm ({}); upgrade pm",
                            m_path, version, k_format));
  }
  if (version == k_format) {
    return;
  }
  if (app_id == 0 &&
      m_db->execAndGet("SELECT count(*) FROM sqlite_schema").getInt() != 0) {
    throw Error(fmt::format("{} is a SQLite database but not a pm ledger; move it aside", m_path));
  }
  // WAL lets readers go on while one writer appends; it is a property of the file.
  if (m_path != ":memory:") {
    m_db->exec("PRAGMA journal_mode = WAL");
  }
  SQLite::Transaction tx(*m_db, SQLite::TransactionBehavior::IMMEDIATE);
  version = format();  // another process may have migrated while we waited for the lock
  const auto& steps = schema_steps();
  for (int step = version; step < k_format; ++step) {
    const SchemaStep& s = steps[static_cast<std::size_t>(step)];
    m_db->exec(s.sql);
    if (s.after != nullptr) {
      s.after(*m_db);
    }
  }
  m_db->exec(fmt::format("PRAGMA application_id = {}", k_application_id));
  m_db->exec(fmt::format("PRAGMA user_version = {}", k_format));
  tx.commit();
}

int Ledger::forget_tail_on_commit(void* tail) {
  static_cast<Tail*>(tail)->known = false;
  return 0;  // let the commit go on
}

void Ledger::forget_tail_on_rollback(void* tail) { static_cast<Tail*>(tail)->known = false; }

SQLite::Statement& Ledger::insert_statement(std::size_t rows) {
  auto& stmt = m_inserts[static_cast<std::size_t>(std::countr_zero(rows))];
  if (!stmt) {
    // Prepared once per process and row count: imports append many entries in one
    // transaction, and a statement's own cost (cursors on the table and each index, its
    // registers) is much of the cost of a row. A statement of many rows has a statement
    // journal (the commit index calls a function, so it may fail half way), kept in memory
    // (see the constructor): each page it changes is copied once, so the more rows share the
    // index pages it changes, the less each costs.
    std::string sql =
        "INSERT INTO entries (id, kind, recorded_at, effective_at, author, source, text, ref, "
        "due, data, prev_hash, hash) VALUES ";
    for (std::size_t i = 0; i < rows; ++i) {
      sql += i == 0 ? "" : ", ";
      sql += "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    }
    stmt = std::make_unique<SQLite::Statement>(*m_db, sql);
  }
  return *stmt;
}

EntryId Ledger::insert(const Entry* entries, const std::string* data_json, std::size_t count) {
  if (!m_last) {
    m_last = std::make_unique<SQLite::Statement>(
        *m_db, "SELECT id, COALESCE(hash, '') FROM entries ORDER BY id DESC LIMIT 1");
    // The last entry this connection wrote stays the chain's tail until its transaction ends.
    sqlite3_commit_hook(m_db->getHandle(), forget_tail_on_commit, &m_tail);
    sqlite3_rollback_hook(m_db->getHandle(), forget_tail_on_rollback, &m_tail);
  }
  // Callers hold an IMMEDIATE transaction: nobody else appends between this read and the
  // insert, so the chain stays linear. Within one transaction the tail is the entry inserted
  // last, so a bulk writer reads it once, not once an entry.
  if (!m_tail.known) {
    m_tail.id = 0;
    m_tail.hash.clear();
    m_last->reset();
    if (m_last->executeStep()) {
      m_tail.id = m_last->getColumn(0).getInt64();
      m_tail.hash = m_last->getColumn(1).getString();
    }
    m_last->reset();
  }
  if (m_rows_per_insert == 0) {
    // As many as SQLite takes parameters: 32,766 since 3.32, 999 before.
    int limit = sqlite3_limit(m_db->getHandle(), SQLITE_LIMIT_VARIABLE_NUMBER, -1);
    m_rows_per_insert = std::bit_floor(std::clamp<std::size_t>(
        static_cast<std::size_t>(limit / k_parameters_per_row), 1, k_rows_per_insert));
  }
  const EntryId first = m_tail.id + 1;
  for (std::size_t done = 0; done < count;) {
    // The largest statement that fits: 256, 128, ... or 1 rows.
    std::size_t rows = std::bit_floor(std::min(count - done, m_rows_per_insert));
    if (m_rows.size() < rows) {
      m_rows.resize(rows);
    }
    SQLite::Statement& stmt = insert_statement(rows);
    stmt.tryReset();  // after a failed insert: its error was thrown then
    for (std::size_t i = 0; i < rows; ++i) {
      const Entry& e = entries[done + i];
      Row& r = m_rows[i];
      StoredEntry& s = r.stored;
      // The row's strings are reused from the last statement: no allocation per entry.
      s.id = m_tail.id + 1 + static_cast<EntryId>(i);
      s.kind = e.kind;
      if (s.recorded_at.empty() || r.recorded_at != e.recorded_at) {
        s.recorded_at = format_utc(e.recorded_at);
        r.recorded_at = e.recorded_at;
      }
      if (s.effective_at.empty() || r.effective_at != e.effective_at) {
        s.effective_at = format_utc(e.effective_at);
        r.effective_at = e.effective_at;
      }
      s.author = e.author;
      s.source = e.source;
      s.text = e.text;
      if (e.ref) {
        s.ref = std::to_string(*e.ref);
      } else {
        s.ref.clear();
      }
      s.due = e.due;
      if (data_json != nullptr) {
        s.data = data_json[done + i];
      } else {
        s.data = e.data.dump();
      }
      const std::string& prev = i == 0 ? m_tail.hash : m_rows[i - 1].hash;
      r.hash = entry_hash(prev, s);
      // Every parameter is bound each time; the strings outlive exec(), so SQLite need not
      // copy them.
      const int p = static_cast<int>(12 * i);
      stmt.bind(p + 1, static_cast<int64_t>(s.id));
      stmt.bindNoCopy(p + 2, s.kind);
      stmt.bindNoCopy(p + 3, s.recorded_at);
      stmt.bindNoCopy(p + 4, s.effective_at);
      stmt.bindNoCopy(p + 5, s.author);
      stmt.bindNoCopy(p + 6, s.source);
      stmt.bindNoCopy(p + 7, s.text);
      if (e.ref) {
        stmt.bind(p + 8, static_cast<int64_t>(*e.ref));
      } else {
        stmt.bind(p + 8);
      }
      if (e.due.empty()) {
        stmt.bind(p + 9);
      } else {
        stmt.bindNoCopy(p + 9, s.due);
      }
      stmt.bindNoCopy(p + 10, s.data);
      stmt.bindNoCopy(p + 11, prev);
      stmt.bindNoCopy(p + 12, r.hash);
    }
    m_tail.known = false;  // until the insert is done
    stmt.exec();
    stmt.reset();
    m_tail.id += static_cast<EntryId>(rows);
    m_tail.hash = m_rows[rows - 1].hash;
    m_tail.known = sqlite3_get_autocommit(m_db->getHandle()) == 0;
    done += rows;
  }
  return first;
}

EntryId Ledger::append(const Entry& entry) { return append_all({entry}).front(); }

EntryId Ledger::append_in_transaction(const Entry& entry, const std::string* data_json) {
  return append_all_in_transaction(std::span<const Entry>(&entry, 1), data_json);
}

EntryId Ledger::append_all_in_transaction(std::span<const Entry> entries,
                                          const std::string* data_json) {
  if (sqlite3_get_autocommit(m_db->getHandle()) != 0) {
    throw std::logic_error("Ledger::append_in_transaction called outside a transaction");
  }
  return insert(entries.data(), data_json, entries.size());
}

std::vector<EntryId> Ledger::append_all(const std::vector<Entry>& entries) {
  std::vector<EntryId> ids;
  try {
    SQLite::Transaction tx(*m_db, SQLite::TransactionBehavior::IMMEDIATE);
    for (const auto& e : entries) {
      if (e.ref && !find(*e.ref)) {
        throw Error(fmt::format("entry {} does not exist; 'pm log' lists the entries", *e.ref));
      }
      ids.push_back(insert(&e, nullptr, 1));
    }
    tx.commit();
  } catch (const std::exception& e) {
    rethrow_sqlite(e, m_path, "write to");
  }
  return ids;
}

Entry Ledger::read_row(SQLite::Statement& stmt) {
  Entry e;
  e.id = stmt.getColumn(0).getInt64();
  e.kind = stmt.getColumn(1).getString();
  e.recorded_at = parse_utc(stmt.getColumn(2).getString());
  e.effective_at = parse_utc(stmt.getColumn(3).getString());
  e.author = stmt.getColumn(4).getString();
  e.source = stmt.getColumn(5).getString();
  e.text = stmt.getColumn(6).getString();
  if (!stmt.getColumn(7).isNull()) {
    e.ref = stmt.getColumn(7).getInt64();
  }
  e.due = stmt.getColumn(8).getString();
  e.data = Json::parse(stmt.getColumn(9).getString(), nullptr, false);
  if (e.data.is_discarded()) {
    e.data = Json::object();
  }
  return e;
}

std::optional<Entry> Ledger::find(EntryId id) {
  SQLite::Statement stmt(*m_db, fmt::format("SELECT {} FROM entries WHERE id = ?", k_columns));
  stmt.bind(1, static_cast<int64_t>(id));
  if (stmt.executeStep()) {
    return read_row(stmt);
  }
  return std::nullopt;
}

void Ledger::each(const EntryQuery& q, const std::function<void(const Entry&)>& visit) {
  // Without statistics SQLite prefers the (kind, effective_at) index, or scans in effective_at
  // order, even where a query by ref or by due date has a far narrower index: name it.
  const char* index = q.ref                           ? " INDEXED BY entries_ref"
                      : q.due_from || q.due_until     ? " INDEXED BY entries_due"
                                                      : "";
  std::string sql = fmt::format("SELECT {} FROM entries e{} WHERE 1", k_columns, index);
  if (!q.kinds.empty()) {
    sql += " AND kind IN (";
    for (std::size_t i = 0; i < q.kinds.size(); ++i) {
      sql += i == 0 ? "?" : ", ?";
    }
    sql += ")";
  }
  if (q.effective_from) {
    sql += " AND effective_at >= ?";
  }
  if (q.effective_until) {
    sql += " AND effective_at < ?";
  }
  if (q.ref) {
    sql += " AND ref = ?";
  }
  if (q.due_from) {
    sql += " AND due >= ?";
  }
  if (q.due_until) {
    sql += " AND due < ?";
  }
  if (!q.unreferenced_by.empty()) {
    // One lookup in the ref index per candidate row.
    sql += " AND NOT EXISTS (SELECT 1 FROM entries r INDEXED BY entries_ref WHERE r.ref = e.id "
           "AND r.kind IN (";
    for (std::size_t i = 0; i < q.unreferenced_by.size(); ++i) {
      sql += i == 0 ? "?" : ", ?";
    }
    sql += q.effective_until ? ") AND r.effective_at < ?)" : "))";
  }
  sql += q.newest_first ? " ORDER BY effective_at DESC, id DESC" : " ORDER BY effective_at, id";
  if (q.limit > 0) {
    sql += fmt::format(" LIMIT {}", q.limit);
  }
  try {
    SQLite::Statement stmt(*m_db, sql);
    int index = 1;
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
    for (const auto& kind : q.unreferenced_by) {
      stmt.bind(index++, kind);
    }
    if (!q.unreferenced_by.empty() && q.effective_until) {
      stmt.bind(index++, format_utc(*q.effective_until));
    }
    while (stmt.executeStep()) {
      visit(read_row(stmt));
    }
  } catch (const Error&) {
    throw;
  } catch (const std::exception& e) {
    rethrow_sqlite(e, m_path, "read");
  }
}

std::vector<Entry> Ledger::list(const EntryQuery& q) {
  std::vector<Entry> out;
  each(q, [&](const Entry& e) { out.push_back(e); });
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

bool Ledger::is_superseded(EntryId id) {
  SQLite::Statement stmt(*m_db,
                         "SELECT 1 FROM entries n JOIN entries o ON o.id = n.ref "
                         "WHERE n.ref = ? AND n.kind = o.kind LIMIT 1");
  stmt.bind(1, static_cast<int64_t>(id));
  return stmt.executeStep();
}

std::optional<Entry> Ledger::latest(const std::string& kind) {
  SQLite::Statement stmt(
      *m_db, fmt::format("SELECT {} FROM entries e WHERE kind = ? AND NOT EXISTS "
                         "(SELECT 1 FROM entries n WHERE n.ref = e.id AND n.kind = e.kind) "
                         "ORDER BY id DESC LIMIT 1",
                         k_columns));
  stmt.bind(1, kind);
  if (stmt.executeStep()) {
    return read_row(stmt);
  }
  return std::nullopt;
}

}  // namespace pm
