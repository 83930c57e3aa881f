#pragma once
// Opening a project's ledger, wherever it is kept: .pm/ledger.db, or a ledger server of which
// .pm/ledger.db is this machine's replica (storage/replica.hpp, docs/server.md).
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "pm/domain/project.hpp"
#include "pm/storage/ledger.hpp"
#include "pm/storage/replica.hpp"

namespace pm {

/// The project's server, when its ledger is on one (`ledger:` in project.yaml): the server's
/// URL from PM_LEDGER_URL when that is set (another address of the same server, or a test's),
/// else from `ledger:`; the key from `ledger:`.
std::optional<ServerLocation> project_server(const ProjectConfig& config);

/// PM_LEDGER_URL when set: the server `pm init` puts new projects on. Throws pm::Error when it
/// is not a server URL or holds a password.
std::optional<std::string> default_server_url();

/// Opens the project's ledger. For a project on a server: connects, brings the replica up to
/// date, and for writing attaches it to the server (and records project.yaml there when it
/// changed). A reader whose server cannot be reached reads the replica as it is, with a
/// warning in `warnings`; a writer gets the error (Exit::unreachable).
std::unique_ptr<Ledger> open_project_ledger(const ProjectPaths& paths, const ProjectConfig& config,
                                            Ledger::Mode mode, std::vector<std::string>& warnings,
                                            int busy_timeout_ms = Ledger::k_busy_timeout_ms);

/// The whole ledger of a project on a server, copied as the server holds it into an
/// in-memory ledger (pm verify, pm export: what they read is the record, not the replica).
std::unique_ptr<Ledger> server_ledger_copy(const ServerLocation& at);

}  // namespace pm
