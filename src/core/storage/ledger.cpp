// Opening a ledger (format checks, migrations) and writing to it (the chain's tail, inserts).
// Reading is ledger_read.cpp.
#include "pm/storage/ledger.hpp"

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>
#include <set>
#include <stdexcept>
#include <thread>
#include <utility>

#include <SQLiteCpp/SQLiteCpp.h>
#include <fmt/format.h>
#include <sqlite3.h>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pm/storage/chain.hpp"
#include "pm/storage/integrity.hpp"
#include "pm/storage/schema.hpp"
#include "pm/storage/server.hpp"
#include "pm/util/error.hpp"

namespace pm {

const int Ledger::k_format = static_cast<int>(schema_steps().size());
const int Ledger::k_application_id = 0x504d4c47;  // "PMLG"

namespace {

/// How to recover a ledger that cannot be read: every message naming a damaged file ends so.
const char* k_recovery =
    "move it aside and restore it: 'pm init' in a new directory, then 'pm import' the latest "
    "export (pm export), or copy back a backup";

std::uint32_t big_endian(const unsigned char* bytes, int size) {
  std::uint32_t value = 0;
  for (int i = 0; i < size; ++i) {
    value = (value << 8) | bytes[i];
  }
  return value;
}

/// Refuses a file that is not a whole SQLite database before SQLite sees it: SQLite takes a
/// zero-length file for a new, empty database, and a truncated one may read as fewer entries.
void check_file(const std::string& path) {
  std::error_code ec;
  auto size = std::filesystem::file_size(path, ec);
  if (ec) {
    return;  // SQLite says why it cannot open it
  }
  if (size == 0) {
    throw Error(fmt::format("ledger {} is empty (0 bytes): it was truncated or replaced, and "
                            "only 'pm init' creates a ledger; {}",
                            path, k_recovery),
                Exit::integrity);
  }
  unsigned char header[100] = {};
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return;
  }
  in.read(reinterpret_cast<char*>(header), sizeof header);
  static const char k_magic[] = "SQLite format 3";  // and its NUL: 16 bytes
  bool magic = std::equal(k_magic, k_magic + 16, header);
  if (!magic || in.gcount() < static_cast<std::streamsize>(sizeof header)) {
    throw Error(fmt::format("ledger {} is not a SQLite database{}; {}", path,
                            magic ? " (it is cut short)" : " (another file took its place)",
                            k_recovery),
                Exit::integrity);
  }
  std::uint64_t page_size = big_endian(header + 16, 2);
  if (page_size == 1) {
    page_size = 65536;
  }
  // The header's page count holds when the change counter matches "version valid for", and
  // only for a ledger at rest: a checkpoint (another pm, closing) writes the header (page 1)
  // before the pages that extend the file, and deletes the write-ahead log only after. So the
  // log's absence is read before and after the header and the size, and a shortfall seen is
  // read again after a pause: only one that lasts is a truncated file. A page missing at any
  // other time is still named when a read reaches it (SQLITE_CORRUPT, exit 5).
  auto shortfall = [&]() -> std::optional<std::pair<std::uint64_t, std::uint64_t>> {
    std::error_code error;
    if (std::filesystem::exists(path + "-wal", error) || error) {
      return std::nullopt;
    }
    unsigned char now[100] = {};
    std::ifstream again(path, std::ios::binary);
    again.read(reinterpret_cast<char*>(now), sizeof now);
    auto bytes = std::filesystem::file_size(path, error);
    if (!again || error || std::filesystem::exists(path + "-wal", error) ||
        big_endian(now + 24, 4) != big_endian(now + 92, 4)) {
      return std::nullopt;
    }
    std::uint64_t counted = big_endian(now + 28, 4) * page_size;
    if (counted <= bytes) {
      return std::nullopt;
    }
    return std::make_pair(counted, static_cast<std::uint64_t>(bytes));
  };
  auto seen = shortfall();
  for (int wait_ms = 10; seen && wait_ms <= 160; wait_ms *= 2) {
    std::this_thread::sleep_for(std::chrono::milliseconds(wait_ms));
    seen = shortfall();
  }
  if (seen) {
    throw Error(fmt::format("ledger {} is truncated: its header counts {} bytes, the file has "
                            "{}; {}",
                            path, seen->first, seen->second, k_recovery),
                Exit::integrity);
  }
}

/// `file:` URI for `path` (RFC 3986 escapes for what a URI would read as syntax).
std::string file_uri(const std::string& path, const char* query) {
  std::string out = "file:";
  for (unsigned char c : std::filesystem::absolute(path).string()) {
    if (c == '%' || c == '?' || c == '#' || c < 0x20 || c >= 0x7F) {
      out += fmt::format("%{:02X}", c);
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "?" + query;
}

bool writable(const std::filesystem::path& path) { return ::access(path.c_str(), W_OK) == 0; }

bool has_wal(const std::string& path) {
  std::error_code ec;
  auto size = std::filesystem::file_size(path + "-wal", ec);
  return !ec && size > 0;
}

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
      throw Error(fmt::format("cannot {} ledger {}: the file is damaged (SQLite: {}); {}", doing,
                              path, e.what(), k_recovery),
                  Exit::integrity);
    case SQLITE_FULL:
      throw Error(fmt::format("cannot {} ledger {}: the disk is full", doing, path));
    default:
      throw Error(fmt::format("cannot {} ledger {}: {}", doing, path, e.what()));
  }
}

Ledger::Ledger(const std::string& path, Mode mode, int busy_timeout_ms, unsigned file_mode)
    : m_path(path) {
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
  // SQLite's allocation statistics cost a global mutex and counters on every malloc and free
  // of every statement (Debian's SQLite has no lookaside to absorb them); pm reads none of
  // them. Only possible before SQLite initializes, so at the first open.
  static const bool k_configured = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) == SQLITE_OK;
  (void)k_configured;
  if (mode == Mode::create && path != ":memory:") {
    // SQLite would create it 0644 less the umask, readable by everyone; the ledger is the
    // project's record. Its -wal and -shm get this file's mode from SQLite.
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd >= 0) {
      int failed = ::fchmod(fd, file_mode);
      ::close(fd);
      if (failed != 0) {
        throw Error(fmt::format("cannot create ledger {}: {}", path, std::strerror(errno)));
      }
    } else if (errno != EEXIST) {
      throw Error(fmt::format("cannot create ledger {}: {}", path, std::strerror(errno)));
    }
  }
  if (mode != Mode::create && path != ":memory:") {
    check_file(path);
  }
  m_update_head = mode == Mode::create;
  std::filesystem::path dir = std::filesystem::absolute(path).parent_path();
  // A reader without write access to .pm/ (another user's project, a cron user) cannot create
  // the WAL's shared-memory file; with no WAL to read, the file is all there is: immutable.
  bool immutable =
      mode == Mode::read_only && path != ":memory:" && !writable(dir) && !has_wal(path);
  try {
    try {
      m_db = immutable ? std::make_unique<SQLite::Database>(file_uri(path, "immutable=1"),
                                                            flags | SQLITE_OPEN_URI,
                                                            busy_timeout_ms)
                       : std::make_unique<SQLite::Database>(path, flags, busy_timeout_ms);
      m_db->exec("PRAGMA foreign_keys = ON");
      if (mode == Mode::read_only) {
        check_application_id();
      }
    } catch (const SQLite::Exception& e) {
      if (mode == Mode::read_only && has_wal(path) && !writable(dir) &&
          e.getErrorCode() != SQLITE_CORRUPT && e.getErrorCode() != SQLITE_NOTADB) {
        throw Error(fmt::format("cannot read ledger {}: its write-ahead log ({}-wal) cannot be "
                                "read without write access to {} (SQLite: {}); ask the "
                                "project's owner to run any pm command there, which folds the "
                                "log into the ledger",
                                path, path, dir.string(), e.what()));
      }
      throw;
    }
    if (mode == Mode::read_only) {
      int version = format();
      if (version > k_format) {
        throw Error(fmt::format("ledger {} has format {}, newer than this pm ({}); upgrade pm",
                                path, version, k_format));
      }
      if (version < k_format) {
        // A ledger written by an older pm: bring it forward once, then read as asked.
        m_db.reset();
        if (!writable(path) || !writable(dir)) {
          throw Error(fmt::format("ledger format {} is older than this pm's ({}) and {} cannot "
                                  "be brought forward by this user: run a writing command "
                                  "(pm done, pm log-agreement, ...) as its owner",
                                  version, k_format, path));
        }
        { Ledger writer(path, Mode::read_write, busy_timeout_ms); }
        m_db = std::make_unique<SQLite::Database>(path, flags, busy_timeout_ms);
        m_db->exec("PRAGMA foreign_keys = ON");
      }
      return;
    }
    migrate(mode);
  } catch (const std::exception& e) {
    rethrow_sqlite(e, path, "open");
  }
}

Ledger::~Ledger() {
  if (m_update_head) {
    try {
      update_head();
    } catch (const std::exception&) {
      // The head is a cross-check, not the record: a stale one shows in pm verify as entries
      // appended after it, never as entries lost.
    }
  }
}

void Ledger::update_head() {
  std::filesystem::path file = head_file(m_path);
  if (file.empty()) {
    return;
  }
  // Under the write lock: a writer that committed earlier cannot overwrite a later writer's
  // head with its older one. Nothing is written to the ledger, so COMMIT syncs nothing.
  SQLite::Transaction lock(*m_db, SQLite::TransactionBehavior::IMMEDIATE);
  write_head_file(file, chain_head(*m_db));
  lock.commit();
}

void Ledger::check_pages(std::uintmax_t up_to_bytes) {
  if (m_path != ":memory:") {
    std::error_code ec;
    auto size = std::filesystem::file_size(m_path, ec);
    if (ec || size > up_to_bytes) {
      return;
    }
  }
  std::string result;
  try {
    result = m_db->execAndGet("PRAGMA quick_check").getString();
  } catch (const std::exception& e) {
    rethrow_sqlite(e, m_path, "check");
  }
  if (result != "ok") {
    auto end = result.find('\n');
    throw Error(fmt::format("ledger {} has damaged pages (SQLite's quick check: {}); {}", m_path,
                            result.substr(0, end), k_recovery),
                Exit::integrity);
  }
}

void Ledger::check_application_id() {
  int app_id = m_db->execAndGet("PRAGMA application_id").getInt();
  if (app_id != k_application_id) {
    throw Error(fmt::format("{} is a SQLite database but not a pm ledger (application_id {}, "
                            "not pm's {}); {}",
                            m_path, app_id, k_application_id, k_recovery),
                Exit::integrity);
  }
}

SQLite::Database& Ledger::db() { return *m_db; }

int Ledger::format() const {
  return m_db->execAndGet("PRAGMA user_version").getInt();
}

void Ledger::migrate(Mode mode) {
  int version = format();
  // Only 'pm init' (Mode::create) makes a ledger of an empty database: any other file that is
  // not pm's was put in the ledger's place.
  bool may_create = mode == Mode::create || m_path == ":memory:";
  if (!may_create || m_db->execAndGet("PRAGMA application_id").getInt() != 0) {
    check_application_id();
  }
  if (version > k_format) {
    throw Error(fmt::format("ledger {} has format {}, newer than this pm ({}); upgrade pm",
                            m_path, version, k_format));
  }
  if (version == k_format) {
    return;
  }
  if (version == 0 &&
      m_db->execAndGet("SELECT count(*) FROM sqlite_schema").getInt() != 0) {
    throw Error(fmt::format("{} is a SQLite database but not a pm ledger; {}", m_path,
                            k_recovery),
                Exit::integrity);
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

int Ledger::forget_tail_on_commit(void* ledger) {
  auto* self = static_cast<Ledger*>(ledger);
  self->m_tail.known = false;
  // A replica's write commits only after the server took it (WriteTransaction::commit).
  return self->m_remote_open ? 1 : 0;
}

void Ledger::forget_tail_on_rollback(void* ledger) {
  static_cast<Ledger*>(ledger)->m_tail.known = false;
}

EntryId Ledger::insert(const Entry* entries, const std::string* data_json, std::size_t count) {
  if (!m_insert) {
    // Prepared once per process: imports append many entries in one transaction. One row a
    // statement: an INSERT of several rows needs a statement journal (the commit index calls
    // a function, so a statement may fail half way), which SQLite writes to a temporary file
    // beyond 64 KiB: slower than the statements it saves. (Keeping it in memory longer, with
    // SQLITE_CONFIG_STMTJRNL_SPILL, gains 5% but is unsafe: spilling a chunk of 128 KiB or
    // more fails with SQLITE_FULL, as the unix VFS writes at most 128 KiB a call.)
    m_insert = std::make_unique<SQLite::Statement>(
        *m_db,
        "INSERT INTO entries (id, kind, recorded_at, effective_at, author, source, text, ref, "
        "due, data, prev_hash, hash, number) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    m_last = std::make_unique<SQLite::Statement>(
        *m_db, "SELECT id, COALESCE(hash, '') FROM entries ORDER BY id DESC LIMIT 1");
    m_last_number = std::make_unique<SQLite::Statement>(
        *m_db, "SELECT COALESCE(max(number), 0) FROM numbers WHERE kind = ?");
    m_insert_number = std::make_unique<SQLite::Statement>(
        *m_db, "INSERT INTO numbers (entry_id, kind, number) VALUES (?, ?, ?)");
    // The last entry this connection wrote stays the chain's tail until its transaction ends.
    sqlite3_commit_hook(m_db->getHandle(), forget_tail_on_commit, this);
    sqlite3_rollback_hook(m_db->getHandle(), forget_tail_on_rollback, this);
  }
  if (m_remote && !m_remote_open) {
    throw std::logic_error("a replica's entries are appended inside a WriteTransaction");
  }
  // Callers hold an IMMEDIATE transaction: nobody else appends between this read and the
  // insert, so the chain stays linear. Within one transaction the tail is the entry inserted
  // last, so a bulk writer reads it once, not once an entry.
  if (!m_tail.known) {
    m_tail.id = 0;
    m_tail.hash.clear();
    m_tail.next_number.clear();
    m_last->reset();
    if (m_last->executeStep()) {
      m_tail.id = m_last->getColumn(0).getInt64();
      m_tail.hash = m_last->getColumn(1).getString();
    }
    m_last->reset();
  }
  m_update_head = true;
  const EntryId first = m_tail.id + 1;
  SQLite::Statement& stmt = *m_insert;
  for (std::size_t i = 0; i < count; ++i) {
    const Entry& e = entries[i];
    // The backstop: nothing malformed reaches the ledger, whichever caller wrote the entry.
    check_entry(e, data_json != nullptr ? &data_json[i] : nullptr);
    Row& r = m_row;
    StoredEntry& s = r.stored;
    // The row's strings are reused from the last insert: no allocation per entry.
    s.id = m_tail.id + 1;
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
    if (m_internal) {
      Json data = data_json != nullptr ? Json::parse(data_json[i]) : e.data;
      data["internal"] = true;
      s.data = data.dump();
    } else if (data_json != nullptr) {
      s.data = data_json[i];
    } else {
      s.data = e.data.dump();
    }
    // A numbered kind's next number is read inside this IMMEDIATE transaction, like the
    // tail: two writers never get the same one, and numbers follow ids.
    std::int64_t number = 0;
    if (is_numbered_kind(e.kind)) {
      auto found = m_tail.next_number.find(e.kind);
      if (found == m_tail.next_number.end()) {
        m_last_number->reset();
        m_last_number->bind(1, e.kind);
        m_last_number->executeStep();
        found = m_tail.next_number.emplace(e.kind, m_last_number->getColumn(0).getInt64() + 1)
                    .first;
        m_last_number->reset();
      }
      number = found->second;
      if (e.number != 0 && e.number != number) {
        throw Error(fmt::format("entry {} would be {} {}, but it is numbered {}: the numbers of "
                                "each kind run 1, 2, 3... in the order of the entries",
                                s.id, e.kind, number, e.number));
      }
    } else if (e.number != 0) {
      throw Error(fmt::format("entry {} is {}, which is not numbered, but carries the number {}",
                              s.id, kind_with_article(e.kind), e.number));
    }
    s.number = number != 0 && e.number_hashed ? std::to_string(number) : std::string();
    r.hash = entry_hash(m_tail.hash, s);
    // Every parameter is bound each time; the strings outlive exec(), so SQLite need not copy
    // them.
    stmt.tryReset();  // after a failed insert: its error was thrown then
    stmt.bind(1, static_cast<int64_t>(s.id));
    stmt.bindNoCopy(2, s.kind);
    stmt.bindNoCopy(3, s.recorded_at);
    stmt.bindNoCopy(4, s.effective_at);
    stmt.bindNoCopy(5, s.author);
    stmt.bindNoCopy(6, s.source);
    stmt.bindNoCopy(7, s.text);
    if (e.ref) {
      stmt.bind(8, static_cast<int64_t>(*e.ref));
    } else {
      stmt.bind(8);
    }
    if (e.due.empty()) {
      stmt.bind(9);
    } else {
      stmt.bindNoCopy(9, s.due);
    }
    stmt.bindNoCopy(10, s.data);
    stmt.bindNoCopy(11, m_tail.hash);
    stmt.bindNoCopy(12, r.hash);
    if (s.number.empty()) {
      stmt.bind(13);
    } else {
      stmt.bind(13, static_cast<int64_t>(number));
    }
    m_tail.known = false;  // until the insert is done
    stmt.exec();
    stmt.reset();
    if (number != 0) {
      m_insert_number->reset();
      m_insert_number->bind(1, static_cast<int64_t>(s.id));
      m_insert_number->bind(2, e.kind);
      m_insert_number->bind(3, static_cast<int64_t>(number));
      m_insert_number->exec();
      m_insert_number->reset();
      m_tail.next_number[e.kind] = number + 1;
    }
    m_tail.id = s.id;
    std::swap(m_tail.hash, r.hash);
    m_tail.known = sqlite3_get_autocommit(m_db->getHandle()) == 0;
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
  auto insert_all = [&] {
    for (const auto& e : entries) {
      if (e.ref && !find(*e.ref)) {
        throw Error(fmt::format("entry {} does not exist; 'pm log' lists the entries", *e.ref));
      }
      ids.push_back(insert(&e, nullptr, 1));
    }
  };
  try {
    if (sqlite3_get_autocommit(m_db->getHandle()) == 0) {
      // Inside the caller's write transaction (a command that renders a letter before the
      // entry commits): a savepoint keeps this call all or nothing, the caller commits.
      m_db->exec("SAVEPOINT pm_append_all");
      try {
        insert_all();
      } catch (...) {
        m_db->exec("ROLLBACK TO pm_append_all");
        m_db->exec("RELEASE pm_append_all");
        m_tail.known = false;  // no rollback hook runs for a savepoint
        throw;
      }
      m_db->exec("RELEASE pm_append_all");
      return ids;
    }
    WriteTransaction tx(*this);
    insert_all();
    tx.commit();
  } catch (const Error&) {
    throw;
  } catch (const std::exception& e) {
    rethrow_sqlite(e, m_path, "write to");
  }
  return ids;
}

void Ledger::set_remote(std::unique_ptr<LedgerRemote> remote) {
  m_remote = std::move(remote);
  sqlite3_commit_hook(m_db->getHandle(), forget_tail_on_commit, this);
  sqlite3_rollback_hook(m_db->getHandle(), forget_tail_on_rollback, this);
}

LedgerHead Ledger::head() {
  LedgerHead head;
  SQLite::Statement last(*m_db, "SELECT id, COALESCE(hash, '') FROM entries ORDER BY id DESC "
                                "LIMIT 1");
  if (last.executeStep()) {
    head.id = last.getColumn(0).getInt64();
    head.hash = last.getColumn(1).getString();
  }
  head.answer_id = m_db->execAndGet("SELECT COALESCE(max(id), 0) FROM nps_answers").getInt64();
  return head;
}

namespace {

void bind_text_or_null(SQLite::Statement& stmt, int index, const std::optional<std::string>& s) {
  if (s) {
    stmt.bindNoCopy(index, *s);
  } else {
    stmt.bind(index);
  }
}

void bind_or_null(SQLite::Statement& stmt, int index, const std::string& s) {
  if (s.empty()) {
    stmt.bind(index);
  } else {
    stmt.bindNoCopy(index, s);
  }
}

}  // namespace

void Ledger::append_stored(const StoredRow& row) {
  if (!m_insert_stored) {
    m_insert_stored = std::make_unique<SQLite::Statement>(
        *m_db,
        "INSERT INTO entries (id, kind, recorded_at, effective_at, author, source, text, ref, "
        "due, data, prev_hash, hash, number) VALUES (?, ?, ?, ?, ?, ?, ?, CAST(? AS INTEGER), "
        "?, ?, ?, ?, CAST(? AS INTEGER))");
  }
  const StoredEntry& e = row.entry;
  SQLite::Statement& stmt = *m_insert_stored;
  stmt.tryReset();
  stmt.bind(1, static_cast<int64_t>(e.id));
  stmt.bindNoCopy(2, e.kind);
  stmt.bindNoCopy(3, e.recorded_at);
  stmt.bindNoCopy(4, e.effective_at);
  stmt.bindNoCopy(5, e.author);
  stmt.bindNoCopy(6, e.source);
  stmt.bindNoCopy(7, e.text);
  bind_or_null(stmt, 8, e.ref);
  bind_or_null(stmt, 9, e.due);
  stmt.bindNoCopy(10, e.data);
  bind_text_or_null(stmt, 11, row.prev_hash);
  bind_text_or_null(stmt, 12, row.hash);
  bind_or_null(stmt, 13, e.number);
  m_tail.known = false;
  stmt.exec();
  stmt.reset();
  if (row.kind_number != 0) {
    if (!m_insert_number) {  // the statement insert() prepares, shared
      m_insert_number = std::make_unique<SQLite::Statement>(
          *m_db, "INSERT INTO numbers (entry_id, kind, number) VALUES (?, ?, ?)");
    }
    SQLite::Statement& number = *m_insert_number;
    number.reset();
    number.bind(1, static_cast<int64_t>(e.id));
    number.bind(2, e.kind);
    number.bind(3, static_cast<int64_t>(row.kind_number));
    number.exec();
    number.reset();
  }
  m_update_head = true;
}

void Ledger::append_stored(const StoredAnswer& a) {
  if (!m_insert_stored_answer) {
    m_insert_stored_answer = std::make_unique<SQLite::Statement>(
        *m_db,
        "INSERT INTO nps_answers (id, entry_id, answered_on, score, client, contact, manager, "
        "fingerprint, comment, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  }
  SQLite::Statement& stmt = *m_insert_stored_answer;
  stmt.tryReset();
  stmt.bind(1, static_cast<int64_t>(a.id));
  stmt.bind(2, static_cast<int64_t>(a.entry_id));
  stmt.bindNoCopy(3, a.answered_on);
  stmt.bind(4, static_cast<int64_t>(a.score));
  stmt.bindNoCopy(5, a.client);
  stmt.bindNoCopy(6, a.contact);
  stmt.bindNoCopy(7, a.manager);
  if (a.fingerprint) {
    stmt.bind(8, static_cast<int64_t>(*a.fingerprint));
  } else {
    stmt.bind(8);
  }
  bind_text_or_null(stmt, 9, a.comment);
  bind_text_or_null(stmt, 10, a.at);
  stmt.exec();
  stmt.reset();
}

void Ledger::each_stored(std::int64_t after_entry, std::int64_t after_answer,
                         const std::function<void(const StoredRow&)>& entry,
                         const std::function<void(const StoredAnswer&)>& answer) {
  SQLite::Statement rows(
      *m_db,
      "SELECT e.id, e.kind, e.recorded_at, e.effective_at, e.author, e.source, e.text, e.ref, "
      "e.due, e.data, e.prev_hash, e.hash, e.number, n.number FROM entries e "
      "LEFT JOIN numbers n ON n.entry_id = e.id WHERE e.id > ? ORDER BY e.id");
  rows.bind(1, static_cast<int64_t>(after_entry));
  auto text_or_null = [&](int i) -> std::optional<std::string> {
    if (rows.getColumn(i).isNull()) {
      return std::nullopt;
    }
    return rows.getColumn(i).getString();
  };
  StoredRow row;
  while (rows.executeStep()) {
    StoredEntry& e = row.entry;
    e.id = rows.getColumn(0).getInt64();
    e.kind = rows.getColumn(1).getString();
    e.recorded_at = rows.getColumn(2).getString();
    e.effective_at = rows.getColumn(3).getString();
    e.author = rows.getColumn(4).getString();
    e.source = rows.getColumn(5).getString();
    e.text = rows.getColumn(6).getString();
    e.ref = rows.getColumn(7).isNull() ? "" : rows.getColumn(7).getString();
    e.due = rows.getColumn(8).isNull() ? "" : rows.getColumn(8).getString();
    e.data = rows.getColumn(9).getString();
    row.prev_hash = text_or_null(10);
    row.hash = text_or_null(11);
    e.number = rows.getColumn(12).isNull() ? "" : rows.getColumn(12).getString();
    row.kind_number = rows.getColumn(13).isNull() ? 0 : rows.getColumn(13).getInt64();
    entry(row);
  }
  SQLite::Statement answers(*m_db,
                            "SELECT id, entry_id, answered_on, score, client, contact, manager, "
                            "fingerprint, comment, at FROM nps_answers WHERE id > ? ORDER BY id");
  answers.bind(1, static_cast<int64_t>(after_answer));
  StoredAnswer a;
  while (answers.executeStep()) {
    a.id = answers.getColumn(0).getInt64();
    a.entry_id = answers.getColumn(1).getInt64();
    a.answered_on = answers.getColumn(2).getString();
    a.score = answers.getColumn(3).getInt64();
    a.client = answers.getColumn(4).getString();
    a.contact = answers.getColumn(5).getString();
    a.manager = answers.getColumn(6).getString();
    a.fingerprint = answers.getColumn(7).isNull()
                        ? std::nullopt
                        : std::optional<std::int64_t>(answers.getColumn(7).getInt64());
    a.comment = answers.getColumn(8).isNull()
                    ? std::nullopt
                    : std::optional<std::string>(answers.getColumn(8).getString());
    a.at = answers.getColumn(9).isNull()
               ? std::nullopt
               : std::optional<std::string>(answers.getColumn(9).getString());
    answer(a);
  }
}

WriteTransaction::WriteTransaction(Ledger& ledger)
    : m_ledger(ledger),
      m_tx(std::make_unique<SQLite::Transaction>(ledger.db(),
                                                 SQLite::TransactionBehavior::IMMEDIATE)) {
  if (m_ledger.m_remote) {
    m_ledger.m_remote_open = true;
    try {
      m_ledger.m_remote->begin_write(m_ledger);
    } catch (...) {
      m_ledger.m_remote_open = false;
      m_ledger.m_remote->abort_write();
      throw;
    }
  }
}

WriteTransaction::~WriteTransaction() {
  if (m_ledger.m_remote_open) {
    m_ledger.m_remote_open = false;
    m_ledger.m_remote->abort_write();
  }
}

void WriteTransaction::commit() {
  if (m_ledger.m_remote_open) {
    m_ledger.m_remote->commit_write(m_ledger);  // throws: the destructor rolls back here
    m_ledger.m_remote_open = false;
  }
  m_tx->commit();
}


}  // namespace pm
