// pm verify: SQLite's integrity, the hash chain, the derived tables, pm's triggers and indexes,
// and the chain's head against .pm/head or an anchor (--head); names every problem found.
#include <cstdio>

#include <SQLiteCpp/SQLiteCpp.h>
#include <fmt/format.h>

#include "cli/cli.hpp"
#include "pm/domain/project_ledger.hpp"
#include "cli/progress.hpp"
#include "pm/storage/chain.hpp"
#include "pm/storage/integrity.hpp"
#include "pm/util/error.hpp"

namespace pm::cli {

namespace {

struct VerifyOptions {
  bool json = false;
  std::string head;  ///< --head N:HASH, an anchor from a letter or an earlier verify
};

struct Findings {
  std::vector<std::string> problems;
  std::vector<std::string> notes;
  ChainHead head;
  std::int64_t entries = 0;
};

/// `with_head_file`: check .pm/head too (a ledger on a server has none: the server is the record).
Findings check(Ledger& ledger, const std::optional<ChainHead>& anchor, bool with_head_file = true) {
  Findings f;
  SQLite::Database& db = ledger.db();
  VerifyResult chain = verify_chain(db);
  f.entries = chain.entries;
  if (!chain.ok) {
    f.problems.push_back(chain.problem);
    if (chain.problem.starts_with("SQLite's integrity check")) {
      return f;  // nothing else read from a damaged file can be trusted
    }
  }
  std::vector<std::string> schema = check_schema_objects(db);
  f.problems.insert(f.problems.end(), schema.begin(), schema.end());
  // Per-kind numbers (the numbers table and each entry's own) follow from the entries' order.
  if (schema.empty()) {
    std::vector<std::string> numbers = check_numbers(db);
    f.problems.insert(f.problems.end(), numbers.begin(), numbers.end());
  }
  try {
    std::vector<std::string> derived = check_derived_tables(db);
    f.problems.insert(f.problems.end(), derived.begin(), derived.end());
  } catch (const SQLite::Exception& e) {
    // A dropped table or view: already named by the schema check.
    if (schema.empty()) {
      f.problems.push_back(fmt::format("the derived tables cannot be recomputed: {}", e.what()));
    }
  }
  f.head = chain_head(db);
  if (!with_head_file) {
    if (anchor) {
      if (std::string problem = check_anchor(db, *anchor, false); !problem.empty()) {
        f.problems.push_back(fmt::format("against --head {}: {}", anchor->text(), problem));
      }
    }
    return f;
  }
  std::filesystem::path file = pm::head_file(ledger.path());
  std::optional<ChainHead> kept = file.empty() ? std::nullopt : read_head_file(file);
  if (!kept) {
    f.notes.push_back(fmt::format("{} does not exist yet (the next pm that writes creates it): "
                                  "no check against entries cut off the end",
                                  file.string()));
  } else if (std::string problem = check_anchor(db, *kept, false); !problem.empty()) {
    f.problems.push_back(fmt::format("against {}: {}", file.string(), problem));
  } else if (kept->entries < f.head.entries) {
    f.notes.push_back(fmt::format("{} names entry {} of {}: the entries after it were written "
                                  "by a pm that stopped before updating it, or outside pm",
                                  file.string(), kept->entries, f.head.entries));
  }
  if (anchor) {
    if (std::string problem = check_anchor(db, *anchor, false); !problem.empty()) {
      f.problems.push_back(fmt::format("against --head {}: {}", anchor->text(), problem));
    }
  }
  return f;
}

void run_verify(const Globals& globals, const VerifyOptions& options) {
  std::optional<ChainHead> anchor;
  if (!options.head.empty()) {
    anchor = parse_head(options.head, "--head");
  }
  Session session = open_session(globals);
  auto ledger = session.open_ledger(true, false);
  Findings f;
  std::optional<ServerLocation> server = project_server(session.config);
  try {
    if (server) {
      // The record is the server's: every row it holds, checked here as a local ledger is;
      // then this machine's copy, which must be the server's up to its own head.
      auto record = server_ledger_copy(*server);
      f = check(*record, anchor, false);
      Findings replica = check(*ledger, std::nullopt, false);
      for (const auto& problem : replica.problems) {
        f.problems.push_back(fmt::format("this machine's copy {}: {}", ledger->path(), problem));
      }
      if (std::string problem = check_anchor(record->db(), replica.head, false);
          !problem.empty()) {
        f.problems.push_back(fmt::format("this machine's copy {} is not the server's record: {}",
                                         ledger->path(), problem));
      }
      f.notes.push_back(fmt::format("checked the server's record at {} and this machine's "
                                    "copy of it",
                                    server->where()));
    } else {
      ReadSnapshot snapshot(*ledger);  // every check sees the same entries
      ProgressLine progress(globals, "verify", "entries", ledger_size(*ledger));
      f = check(*ledger, anchor);
    }
  } catch (const Error&) {
    throw;
  } catch (const std::exception& e) {
    rethrow_sqlite(e, ledger->path(), "verify");
  }
  const std::string where = server ? server->where() : ledger->path();
  bool ok = f.problems.empty();
  if (options.json) {
    Json out{{"version", 1},
             {"ok", ok},
             {"entries", f.entries},
             {"head", f.head.text()},
             {"problem", ok ? Json(nullptr) : Json(f.problems.front())},
             {"problems", f.problems},
             {"notes", f.notes}};
    emit(dump_json(out, 2) + "\n", "");
  } else {
    for (const auto& n : f.notes) {
      note(globals, "pm: note: " + n);
    }
    if (ok) {
      std::printf("ok: %lld %s, the hash chain, derived tables, triggers and indexes are "
                  "intact\nhead: %s\n",
                  static_cast<long long>(f.entries), f.entries == 1 ? "entry" : "entries",
                  f.head.text().c_str());
    }
  }
  if (!ok) {
    // One line each; the last one is main's.
    for (std::size_t i = 0; i + 1 < f.problems.size(); ++i) {
      std::fprintf(stderr, "pm: error: ledger %s failed verification: %s\n", where.c_str(),
                   f.problems[i].c_str());
    }
    throw Error(fmt::format("ledger {} failed verification: {}", where, f.problems.back()),
                Exit::integrity);
  }
}

}  // namespace

void setup_verify(CLI::App& app, const Globals& globals) {
  auto options = std::make_shared<VerifyOptions>();
  CLI::App* cmd = app.add_subcommand(
      "verify", "Check the ledger: SQLite's integrity, the hash chain, the derived tables, "
                "pm's triggers and indexes, and the head against .pm/head");
  cmd->add_flag("--json", options->json, "JSON for scripts");
  cmd->add_option("--head", options->head,
                  "Also check against an anchor: N:HASH from a letter's 'Ledger:' line or an "
                  "earlier verify (at least 12 hex digits)")
      ->option_text("N:HASH");
  cmd->callback([options, &globals] { run_verify(globals, *options); });
}

}  // namespace pm::cli
