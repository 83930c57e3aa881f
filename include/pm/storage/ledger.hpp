#pragma once
// The project's ledger: one SQLite file, append-only in spirit and in fact.
#include <cstdint>
#include <functional>
#include <memory>
#include <set>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "pm/storage/chain.hpp"
#include "pm/storage/entry.hpp"

namespace SQLite {
class Database;
class Statement;
class Transaction;
}  // namespace SQLite

namespace pm {

class Ledger;
struct StoredRow;
struct StoredAnswer;

/// The server a ledger is the replica of (replica.hpp): a write transaction on the ledger is
/// also one on the server, which it joins when it starts and pushes to before it commits here.
class LedgerRemote {
 public:
  virtual ~LedgerRemote() = default;
  /// Inside the ledger's new write transaction, before anything is written: takes the
  /// server's lock and brings the ledger up to date with it.
  virtual void begin_write(Ledger& ledger) = 0;
  /// Sends what the transaction added and commits on the server; throws pm::Error, and the
  /// transaction then rolls back here.
  virtual void commit_write(Ledger& ledger) = 0;
  virtual void abort_write() noexcept = 0;
};

/// The newest entry and NPS answer of a ledger.
struct LedgerHead {
  std::int64_t id = 0;
  std::string hash;
  std::int64_t answer_id = 0;
};

/// A filter for reading entries; empty members do not filter.
struct EntryQuery {
  std::vector<std::string> kinds;
  std::optional<Instant> effective_from;   ///< inclusive
  std::optional<Instant> effective_until;  ///< exclusive
  std::optional<EntryId> ref;
  std::optional<std::string> due_from;   ///< YYYY-MM-DD, inclusive (uses the due index)
  std::optional<std::string> due_until;  ///< YYYY-MM-DD, exclusive
  /// Only risks and agreements still open at effective_until (without it: now), that is not
  /// closed before then by a risk-close, a done note or a superseding agreement. Read from
  /// the items table, so the cost follows the open items, not the ledger's history.
  bool open_only = false;
  bool newest_first = false;
  int limit = 0;  ///< 0: no limit
  /// Whether the entries' `data` is parsed. A listing that prints only text, dates and
  /// authors says false and gets an empty object, except for hook entries (a withdrawal is
  /// told by its data: is_withdrawal() stays right).
  bool data = true;
};

class Ledger {
 public:
  enum class Mode { read_only, read_write, create };

  /// The format this pm writes; older ledgers are migrated forward on open.
  static const int k_format;
  /// pm's PRAGMA application_id ("PMLG").
  static const int k_application_id;

  /// Opens (or with Mode::create, creates) the ledger at `path` (":memory:" for tests):
  /// WAL, a busy timeout, foreign keys, and forward migrations in one transaction.
  /// Throws pm::Error with context on every failure. A file Mode::create makes gets exactly
  /// `file_mode` (0600 unless the project is shared); SQLite gives its -wal and -shm the same.
  explicit Ledger(const std::string& path, Mode mode = Mode::read_write,
                  int busy_timeout_ms = k_busy_timeout_ms, unsigned file_mode = 0600);
  /// How long a writer waits for another one before giving up with Exit::busy.
  static constexpr int k_busy_timeout_ms = 10000;
  ~Ledger();
  Ledger(const Ledger&) = delete;
  Ledger& operator=(const Ledger&) = delete;

  /// Appends `entry` (its id is ignored) in its own transaction; returns the new id.
  EntryId append(const Entry& entry);
  /// Appends several entries in one transaction (all or nothing); returns their ids.
  std::vector<EntryId> append_all(const std::vector<Entry>& entries);
  /// Appends `entry` inside the caller's open IMMEDIATE transaction (SQLite::Transaction on
  /// db()), for writers that add rows to other tables in that same transaction; throws
  /// std::logic_error when no transaction is open. Returns the new id. `data_json`, when
  /// given, is entry.data already serialized exactly as entry.data.dump() would (bulk
  /// writers build it faster themselves).
  EntryId append_in_transaction(const Entry& entry, const std::string* data_json = nullptr);
  /// Appends `entries` in order inside the caller's open IMMEDIATE transaction, as that many
  /// calls of append_in_transaction would. `data_json`, when given, points to one serialized
  /// data per entry. Returns the first new id; the others follow it.
  EntryId append_all_in_transaction(std::span<const Entry> entries,
                                    const std::string* data_json = nullptr);

  /// From now on, entries appended through this handle carry `data.internal = true`: the
  /// team's own, which the client's view (client_view.hpp) and so `pm publish` leave out.
  void mark_internal(bool internal) { m_internal = internal; }

  std::optional<Entry> find(EntryId id);
  /// The entry of `kind` numbered `number` (agreement 3), if there is one.
  std::optional<Entry> find_numbered(const std::string& kind, std::int64_t number);
  std::vector<Entry> list(const EntryQuery& query);
  /// The same entries, one at a time: what reads the whole ledger never holds it in memory.
  void each(const EntryQuery& query, const std::function<void(const Entry&)>& visit);
  /// Ids of entries superseded by a newer entry of the same kind.
  std::set<EntryId> superseded_ids();
  /// The newest entry of `kind` that no other entry of the same kind supersedes.
  std::optional<Entry> latest(const std::string& kind);

  /// The entry columns, in the order read_entry() reads them, each prefixed with `alias.`
  /// ("e" → "e.id, e.kind, ..."): for queries that join an entry with the entries it refers to.
  static std::string entry_columns(const std::string& alias);
  /// How many columns entry_columns() names: a second entry in the same row starts there.
  static constexpr int k_entry_column_count = 11;
  /// The entry whose entry_columns() start at column `first` of `stmt`'s current row.
  /// Without `data`, as EntryQuery::data says.
  static Entry read_entry(SQLite::Statement& stmt, int first = 0, bool data = true);

  /// Runs SQLite's quick check over every page, unless the file is larger than `up_to_bytes`
  /// (it reads the whole file: about 10 ms a MiB); throws pm::Error (Exit::integrity) naming
  /// the damage and the way to recover. Commands that read the whole ledger, or run once a
  /// week, call it so damaged pages never give a partial answer with exit 0.
  void check_pages(std::uintmax_t up_to_bytes = UINTMAX_MAX);
  /// The size up to which the weekly commands (report, nps) check pages first.
  static constexpr std::uintmax_t k_quick_check_bytes = std::uintmax_t{16} << 20;

  /// Makes this ledger the replica of a server's: from now on every write transaction goes
  /// through the server too (WriteTransaction), and an append outside one is refused.
  void set_remote(std::unique_ptr<LedgerRemote> remote);
  LedgerRemote* remote() const { return m_remote.get(); }

  /// The newest entry and answer, as committed or as this transaction wrote them.
  LedgerHead head();
  /// Appends a row exactly as another copy of this ledger stores it (a server's): id, hashes
  /// and numbers as given. Inside the caller's write transaction; the caller checks the chain
  /// (replica.cpp). An answer row likewise.
  void append_stored(const StoredRow& row);
  void append_stored(const StoredAnswer& answer);
  /// The stored rows after entry `after_entry` and answer `after_answer`, in id order.
  void each_stored(std::int64_t after_entry, std::int64_t after_answer,
                   const std::function<void(const StoredRow&)>& entry,
                   const std::function<void(const StoredAnswer&)>& answer);

  int format() const;
  SQLite::Database& db();
  const std::string& path() const { return m_path; }

 private:
  /// The newest entry as this connection last wrote it; known only inside the write
  /// transaction that wrote it (commit and rollback hooks forget it).
  struct Tail {
    bool known = false;
    EntryId id = 0;
    std::string hash;
    /// The next number of each numbered kind, as far as this transaction has read it.
    std::unordered_map<std::string, std::int64_t> next_number;
  };
  static int forget_tail_on_commit(void* ledger);
  static void forget_tail_on_rollback(void* ledger);
  friend class WriteTransaction;

  void migrate(Mode mode);
  /// Refuses a database whose application_id is not pm's (Exit::integrity).
  void check_application_id();
  /// Rewrites .pm/head (integrity.hpp) with the ledger's head as committed now.
  void update_head();
  Entry read_row(SQLite::Statement& stmt, bool data = true);
  /// each(), handing over entries the visitor may take (list() moves them).
  void scan(const EntryQuery& query, const std::function<void(Entry&)>& visit);
  /// The prepared statement for `sql`, reset and unbound; a fresh one in `spare` while the
  /// cached one is still being stepped (a visitor reading the ledger in turn).
  SQLite::Statement& prepared(const std::string& sql, std::unique_ptr<SQLite::Statement>& spare);
  /// Appends entries[0, count): the caller holds a write transaction.
  EntryId insert(const Entry* entries, const std::string* data_json, std::size_t count);

  std::string m_path;
  std::unique_ptr<SQLite::Database> m_db;
  // Statements are declared after m_db: destroyed before it.
  std::unique_ptr<SQLite::Statement> m_insert;
  std::unique_ptr<SQLite::Statement> m_last;
  std::unique_ptr<SQLite::Statement> m_last_number;
  std::unique_ptr<SQLite::Statement> m_insert_number;
  /// Reads prepared once per process, by their SQL: a report reads hundreds of changes.
  std::unordered_map<std::string, std::unique_ptr<SQLite::Statement>> m_reads;
  Tail m_tail;
  /// This connection created the ledger or appended to it: the destructor rewrites .pm/head.
  bool m_update_head = false;
  bool m_internal = false;  ///< mark_internal
  std::unique_ptr<LedgerRemote> m_remote;
  /// A WriteTransaction holds the server's lock and has not yet pushed: a commit now would
  /// leave the server behind, so the commit hook turns it into a rollback.
  bool m_remote_open = false;
  std::unique_ptr<SQLite::Statement> m_insert_stored;
  std::unique_ptr<SQLite::Statement> m_insert_stored_answer;
  /// The entry the last insert bound: its strings are reused.
  struct Row {
    StoredEntry stored;
    Instant recorded_at{}, effective_at{};  // what stored.recorded_at, .effective_at show
    std::string hash;
  };
  Row m_row;
};

/// A write transaction on the ledger (BEGIN IMMEDIATE), rolled back unless committed. On a
/// replica it is also a transaction on the server: begun under the server's lock with the
/// replica brought up to date, and pushed there before it commits here. Every writer that
/// opens its own transaction uses this, never SQLite::Transaction.
class WriteTransaction {
 public:
  explicit WriteTransaction(Ledger& ledger);
  ~WriteTransaction();
  WriteTransaction(const WriteTransaction&) = delete;
  WriteTransaction& operator=(const WriteTransaction&) = delete;
  void commit();

 private:
  Ledger& m_ledger;
  std::unique_ptr<SQLite::Transaction> m_tx;
};

/// Translates a SQLite failure into a pm::Error that says what was being done with which
/// ledger, and how to fix it (busy → Exit::busy, read-only → a hint on permissions).
[[noreturn]] void rethrow_sqlite(const std::exception& e, const std::string& path,
                                 const std::string& doing);

}  // namespace pm
