// pm log: every entry of the ledger, oldest first; superseded ones only with --all. Streams:
// a ledger of a million entries lists in a few MiB.
#include <cstdio>
#include <set>

#include <fmt/format.h>

#include "cli/cli.hpp"
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
  std::string text = e.text;
  if (e.data.contains("commit") && e.data["commit"].is_string()) {
    text += dim(fmt::format(" ({})", e.data["commit"].get<std::string>().substr(0, 10)));
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
    q.effective_from = parse_date_or_instant(options.since, session.zone, "--since");
  }
  std::set<EntryId> superseded = options.all ? std::set<EntryId>{} : ledger->superseded_ids();
  auto shown = [&](const Entry& e) { return superseded.count(e.id) == 0; };
  if (options.json) {
    std::fputs("{\n  \"version\": 1,\n  \"entries\": [", stdout);
    bool first = true;
    ledger->each(q, [&](const Entry& e) {
      if (!shown(e)) {
        return;
      }
      std::string item = e.to_json().dump(2);
      std::string indented = "    ";
      for (char c : item) {
        indented += c;
        if (c == '\n') {
          indented += "    ";
        }
      }
      std::fputs(first ? "\n" : ",\n", stdout);
      std::fputs(indented.c_str(), stdout);
      first = false;
    });
    std::fputs(first ? "]\n}\n" : "\n  ]\n}\n", stdout);
    return;
  }
  // Two passes: the first finds the column widths, the second prints.
  std::vector<std::size_t> widths;
  for (const auto& h : k_header) {
    widths.push_back(display_width(h));
  }
  std::size_t count = 0;
  ledger->each(q, [&](const Entry& e) {
    if (shown(e)) {
      auto row = row_of(e, session.zone);
      for (std::size_t i = 0; i < row.size(); ++i) {
        widths[i] = std::max(widths[i], display_width(row[i]));
      }
      ++count;
    }
  });
  if (count == 0) {
    std::printf("No entries.\n");
    return;
  }
  auto line = [&](const std::vector<std::string>& cells) {
    std::string out;
    for (std::size_t i = 0; i < cells.size(); ++i) {
      out += cells[i];
      if (i + 1 < cells.size()) {
        out += std::string(widths[i] - display_width(cells[i]) + 2, ' ');
      }
    }
    return out + "\n";
  };
  std::fputs(bold(line(k_header)).c_str(), stdout);
  ledger->each(q, [&](const Entry& e) {
    if (shown(e)) {
      std::fputs(line(row_of(e, session.zone)).c_str(), stdout);
    }
  });
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
