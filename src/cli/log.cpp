// pm log: every entry of the ledger, oldest first; superseded ones only with --all. Streams:
// a ledger of a million entries lists in a few MiB.
#include <cstdio>
#include <set>

#include <fmt/format.h>

#include "cli/cli.hpp"
#include "pm/domain/client_view.hpp"
#include "cli/tags.hpp"
#include "pm/time/date_expression.hpp"
#include "pm/domain/numbers.hpp"
#include "pm/storage/entry.hpp"
#include "pm/util/error.hpp"

namespace pm::cli {

namespace {

struct LogOptions {
  std::vector<std::string> kinds;
  std::string since;
  bool all = false;
  bool json = false;
  std::vector<std::string> tags;  ///< --tag: only entries with all of these
};

// ID is the ledger-wide entry id; NO the per-kind reference (A3) of numbered kinds.
const std::vector<std::string> k_header = {"ID", "NO", "WHEN", "KIND", "AUTHOR", "SOURCE", "TEXT"};

void check_kinds(const std::vector<std::string>& kinds) {
  for (const auto& kind : kinds) {
    if (!is_entry_kind(kind)) {
      std::string known;
      for (const auto& k : entry_kinds()) {
        known += (known.empty() ? "" : ", ") + std::string(k.name);
      }
      throw Error(fmt::format("--kind {}: no such kind; the kinds are {}", kind, known));
    }
  }
}

std::vector<std::string> row_of(const Entry& e, Zone zone) {
  std::string text = is_withdrawal(e) ? fmt::format("withdrawn: {}", e.text) : e.text;
  if (e.data.contains("commit") && e.data["commit"].is_string()) {
    text += dim(fmt::format(" ({})", e.data["commit"].get<std::string>().substr(0, 10)));
  }
  if (std::string tags = tags_text(e); !tags.empty()) {
    text += dim(fmt::format(" [{}]", tags));
  }
  if (is_internal(e)) {
    text += dim(" (internal)");  // the team's own: the client's pages leave it out
  }
  return {std::to_string(e.id), e.number != 0 ? reference_of(e) : "-",
          format_local(e.effective_at, zone), e.kind, e.author, e.source,
          text};
}

void run_log(const Globals& globals, const LogOptions& options) {
  check_kinds(options.kinds);
  Session session = open_session(globals);
  auto ledger = session.open_ledger(true);
  EntryQuery q;
  q.kinds = options.kinds;
  if (!options.since.empty()) {
    q.effective_from = parse_since_expression(options.since, session.now, session.zone, "--since");
  }
  std::set<EntryId> superseded = options.all ? std::set<EntryId>{} : ledger->superseded_ids();
  // A withdrawal (a trailer an amend removed) is history, as superseded entries are.
  auto shown = [&](const Entry& e) {
    return (options.all || (superseded.count(e.id) == 0 && !is_withdrawal(e))) &&
           has_tags(e, options.tags);
  };
  if (options.json) {
    JsonListWriter out({{"version", 1}}, "entries");
    ledger->each(q, [&](const Entry& e) {
      if (shown(e)) {
        out.add(e.to_json());
      }
    });
    out.finish();
    return;
  }
  std::size_t count = print_table_streamed(k_header, [&](const auto& print) {
    ledger->each(q, [&](const Entry& e) {
      if (shown(e)) {
        print(row_of(e, session.zone));
      }
    });
  });
  if (count == 0) {
    std::printf("No entries.\n");
  }
}

}  // namespace

void setup_log(CLI::App& app, const Globals& globals) {
  auto options = std::make_shared<LogOptions>();
  CLI::App* cmd = app.add_subcommand("log", "List the ledger's entries (superseded ones with "
                                            "--all)");
  cmd->add_option("--kind", options->kinds,
                  "Only this kind (repeatable): agreement, decision, change, done, next, risk, "
                  "nps-import, ... (an unknown one is answered with the list)");
  cmd->add_option("--since", options->since, "Only entries from DATE on")->option_text("DATE");
  cmd->add_flag("--all", options->all, "Include superseded entries");
  add_tag_filter(cmd, options->tags);
  cmd->add_flag("--json", options->json, "JSON for scripts (docs/json.md)");
  cmd->callback([options, &globals] { run_log(globals, *options); });
}

}  // namespace pm::cli
