// pm verify: SQLite's integrity and the hash chain; names the first entry touched outside pm.
#include <cstdio>

#include <SQLiteCpp/SQLiteCpp.h>
#include <fmt/format.h>

#include "cli/cli.hpp"
#include "cli/progress.hpp"
#include "pm/storage/chain.hpp"
#include "pm/util/error.hpp"

namespace pm::cli {

namespace {

struct VerifyOptions {
  bool json = false;
};

void run_verify(const Globals& globals, const VerifyOptions& options) {
  Session session = open_session(globals);
  auto ledger = session.open_ledger(true);
  VerifyResult r;
  try {
    ProgressLine progress(globals, "verify", "entries", ledger_size(*ledger));
    r = verify_chain(ledger->db());
  } catch (const std::exception& e) {
    rethrow_sqlite(e, ledger->path(), "verify");
  }
  if (options.json) {
    Json out{{"version", 1}, {"ok", r.ok}, {"entries", r.entries},
             {"problem", r.ok ? Json(nullptr) : Json(r.problem)}};
    emit(dump_json(out, 2) + "\n", "");
  } else if (r.ok) {
    std::printf("ok: %lld entries, the hash chain is intact\n", static_cast<long long>(r.entries));
  }
  if (!r.ok) {
    throw Error(fmt::format("ledger {} failed verification: {}", ledger->path(), r.problem),
                Exit::integrity);
  }
}

}  // namespace

void setup_verify(CLI::App& app, const Globals& globals) {
  auto options = std::make_shared<VerifyOptions>();
  CLI::App* cmd = app.add_subcommand("verify", "Check the ledger: SQLite's integrity and the "
                                               "hash chain over every entry");
  cmd->add_flag("--json", options->json, "JSON for scripts");
  cmd->callback([options, &globals] { run_verify(globals, *options); });
}

}  // namespace pm::cli
