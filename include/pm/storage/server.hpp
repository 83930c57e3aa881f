#pragma once
// A ledger server: many projects' ledgers in one PostgreSQL database (docs/server.md). The
// engine is a module, pm-postgresql.so, opened only when a project keeps its ledger on a
// server: libpq and libpqxx would add 15 ms of dynamic loading to every command, the git hook
// too (docs/ARCHITECTURE.md, "The ledger server"). So this interface is the boundary: plain
// types only, and no exception crosses it (the module and pm may carry different C++
// runtimes); every call says whether it worked and error() says why not.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "pm/storage/chain.hpp"

namespace pm {

/// One row of a ledger exactly as stored: the entry's columns, its place in the chain and its
/// number; what a server holds and what a replica is made of.
struct StoredRow {
  StoredEntry entry;  ///< `number`: the number the hash covers, or empty
  std::optional<std::string> prev_hash, hash;
  std::int64_t kind_number = 0;  ///< the per-kind number (the numbers table); 0: none
};

/// One NPS answer row exactly as stored (nps_answers).
struct StoredAnswer {
  std::int64_t id = 0;
  std::int64_t entry_id = 0;
  std::string answered_on;
  std::int64_t score = 0;
  std::string client, contact, manager;
  std::optional<std::int64_t> fingerprint;
  std::optional<std::string> comment, at;
};

/// A project's place on a server: its newest entry and answer, and its settings as last sent.
struct ServerProject {
  std::string key;
  std::int64_t head_id = 0;
  std::string head_hash;
  std::int64_t answers = 0;  ///< the newest answer's id
  std::string config;        ///< project.yaml as last written by a pm working on it
};

/// What went wrong with a server call.
enum class ServerFailure {
  none,
  unreachable,  ///< no connection, or it was lost: nothing was written
  in_doubt,     ///< the connection was lost while committing: the write may have landed
  denied,       ///< the role may not do that (or a trigger refused it)
  conflict,     ///< another writer got there first (a key or an entry that exists)
  format,       ///< the server's tables are newer than this pm, or absent and not creatable
  failed,       ///< anything else
};

/// A connection to a ledger server. Calls return false on failure, and error() says why.
class Server {
 public:
  virtual ~Server() = default;

  /// The server's tables' format (pm creates and migrates them on connecting when it may).
  virtual int format() const = 0;

  /// Adds a project with its first settings; false with ServerFailure::conflict when the key
  /// is taken.
  virtual bool create_project(const std::string& key, const std::string& config) = 0;
  /// The project, when the server has it (`found` false otherwise).
  virtual bool project(const std::string& key, ServerProject& out, bool& found) = 0;
  /// Every project, by key.
  virtual bool projects(std::vector<ServerProject>& out) = 0;
  /// Records the project's settings when they differ from the last recorded.
  virtual bool record_config(const std::string& key, const std::string& config) = 0;

  /// The project's entries after `after_entry` and answers after `after_answer`, in id
  /// order: inside the open write (as locked), else from one snapshot.
  virtual bool fetch(const std::string& key, std::int64_t after_entry,
                     std::int64_t after_answer, const std::function<void(StoredRow&)>& entry,
                     const std::function<void(StoredAnswer&)>& answer) = 0;

  /// Starts a write to the project: a transaction holding the project's lock, so one writer
  /// at a time, from any machine, extends its chain.
  virtual bool begin_write(const std::string& key) = 0;
  virtual bool insert(const StoredRow& row) = 0;
  virtual bool insert(const StoredAnswer& answer) = 0;
  virtual bool commit() = 0;
  virtual void rollback() noexcept = 0;

  ServerFailure failure() const { return m_failure; }
  const std::string& error() const { return m_error; }

 protected:
  bool fail(ServerFailure failure, std::string message) {
    m_failure = failure;
    m_error = std::move(message);
    return false;
  }
  void clear_failure() {
    m_failure = ServerFailure::none;
    m_error.clear();
  }

 private:
  ServerFailure m_failure = ServerFailure::none;
  std::string m_error;
};

/// The module's one entry point, `pm_server_connect`: a connection to `url` (libpq's URI or
/// key=value form; credentials from PGPASSFILE, ~/.pgpass and the PG* variables), or null with
/// `failure` and `error` set. The module's tables format is pm_server_format.
extern "C" {
using ServerConnectFn = Server* (*)(const char* url, ServerFailure* failure, std::string* error);
}
/// The interface's version: pm refuses a module built for another.
constexpr int k_server_interface = 1;

/// Opens pm-postgresql.so (PM_MODULE_DIR, else next to pm, else ../lib/pm from it) and
/// connects to `url`. Throws pm::Error: Exit::unreachable when the server cannot be reached,
/// Exit::error naming the module when it is missing.
std::unique_ptr<Server> connect_server(const std::string& url);

/// Turns a failed call into a pm::Error saying what was being done (`doing`: "write to").
[[noreturn]] void throw_server_error(const Server& server, const std::string& where,
                                     const std::string& doing);

}  // namespace pm
