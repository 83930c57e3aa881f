#pragma once
// A project whose ledger is on a server (server.hpp): where it is, and this machine's replica
// of it. The replica is the project's .pm/ledger.db, a ledger like any other that every
// command reads; the server is the record. Each command brings the replica up to date (only
// what is new, each entry checked against the chain), and each write goes to the server
// first, under the project's lock, then here (docs/server.md).
#include <memory>
#include <string>

#include "pm/storage/ledger.hpp"
#include "pm/storage/server.hpp"

namespace pm {

/// `ledger:` in project.yaml: `postgresql://…#KEY`, the server's URL and the project's key.
struct ServerLocation {
  std::string url;  ///< as libpq reads it, without the fragment
  std::string key;  ///< the project's key on the server
  std::string text() const { return url + "#" + key; }
  /// The URL without its query and user: what messages show.
  std::string where() const;
};

/// Whether `text` names a server ("postgresql://" or "postgres://").
bool is_server_url(const std::string& text);
/// A project key: 1 to 63 of a-z, 0-9 and '-', starting with a letter or digit.
bool is_project_key(const std::string& key);
/// A new key for a project called `name`: its Latin letters and digits, then 6 random hex
/// digits ("website-redesign-3fa2c1").
std::string new_project_key(const std::string& name);
/// Checks a server URL: a postgresql:// URL without a password (credentials live in
/// ~/.pgpass, PGPASSFILE or the PG* variables, never in project files) and without a
/// fragment. `what` names where it came from, for the message. Throws pm::Error.
void check_server_url(const std::string& url, const std::string& what);
/// Parses `ledger:` ("postgresql://…#KEY"); throws pm::Error naming `what`.
ServerLocation parse_server_location(const std::string& text, const std::string& what);

/// What bringing a replica up to date did.
struct SyncResult {
  std::int64_t entries = 0;  ///< entries added
  std::int64_t answers = 0;  ///< NPS answers added
};

/// Adds to `replica` what the server holds after its head, checking each entry against the
/// chain (id, previous hash, its own hash). Runs inside the caller's write transaction when
/// there is one, else in its own. Throws pm::Error (Exit::integrity) when the server's
/// history is not the replica's continued.
SyncResult pull(Ledger& replica, Server& server, const ServerLocation& at);

/// Makes `replica` the replica of the project `at` on `server`: its writes go there.
void attach_server(Ledger& replica, std::unique_ptr<Server> server, const ServerLocation& at);

/// Copies every row of the project into `into` (an empty ledger) as the server holds it,
/// without checking: for pm verify and pm export, which check it themselves.
void copy_from_server(Server& server, const ServerLocation& at, Ledger& into);

/// Sends every row of `ledger` to the new project `at` (created with `config`), in one
/// transaction: pm ledger move. Refused when the key is taken.
void push_all(Ledger& ledger, Server& server, const ServerLocation& at, const std::string& config);

}  // namespace pm
