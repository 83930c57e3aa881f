// pm log: every entry of the ledger, newest last; superseded ones only with --all.
#include <set>

#include <fmt/format.h>

#include "cli/cli.hpp"
#include "pm/entry.hpp"
#include "pm/error.hpp"

namespace pm::cli {

namespace {

struct LogOptions {
  std::vector<std::string> kinds;
  std::string since;
  bool all = false;
  bool json = false;
};

void run_log(const Globals& globals, const LogOptions& options) {
  for (const auto& kind : options.kinds) {
    if (!is_entry_kind(kind)) {
      std::string known;
      for (const auto& k : entry_kinds()) {
        known += (known.empty() ? "" : ", ") + std::string(k.name);
      }
      throw Error(fmt::format("--kind {}: no such kind; the kinds are {}", kind, known));
    }
  }
  Session session = open_session(globals);
  auto ledger = session.open_ledger(true);
  EntryQuery q;
  q.kinds = options.kinds;
  if (!options.since.empty()) {
    q.effective_from = parse_date_or_instant(options.since, session.zone, "--since");
  }
  std::vector<Entry> entries = ledger->list(q);
  std::set<EntryId> superseded;
  if (!options.all) {
    EntryQuery all_refs;
    all_refs.kinds = options.kinds;
    for (const auto& e : ledger->list(all_refs)) {
      if (e.ref) {
        superseded.insert(*e.ref);
      }
    }
  }
  Json out{{"version", 1}, {"entries", Json::array()}};
  std::vector<std::vector<std::string>> rows;
  for (const auto& e : entries) {
    if (superseded.count(e.id) != 0) {
      continue;
    }
    if (options.json) {
      out["entries"].push_back(e.to_json());
      continue;
    }
    std::string text = e.text;
    if (e.data.contains("commit")) {
      text += dim(fmt::format(" ({})", e.data["commit"].get<std::string>().substr(0, 10)));
    }
    rows.push_back({std::to_string(e.id), format_local(e.effective_at, session.zone), e.kind,
                    e.author, e.source, text});
  }
  if (options.json) {
    emit(out.dump(2) + "\n", "");
  } else if (rows.empty()) {
    std::printf("No entries.\n");
  } else {
    print_table({"ID", "WHEN", "KIND", "AUTHOR", "SOURCE", "TEXT"}, rows);
  }
}

}  // namespace

void setup_log(CLI::App& app, const Globals& globals) {
  auto options = std::make_shared<LogOptions>();
  CLI::App* cmd = app.add_subcommand("log", "List the ledger's entries (superseded ones with "
                                            "--all)");
  cmd->add_option("--kind", options->kinds, "Only this kind (repeatable): agreement, decision, "
                                            "change, done, next, risk, nps, ...");
  cmd->add_option("--since", options->since, "Only entries from DATE on")->option_text("DATE");
  cmd->add_flag("--all", options->all, "Include superseded entries");
  cmd->add_flag("--json", options->json, "JSON for scripts (docs/json.md)");
  cmd->callback([options, &globals] { run_log(globals, *options); });
}

}  // namespace pm::cli
