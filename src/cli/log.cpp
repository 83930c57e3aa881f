// pm log: every entry of the ledger, newest last; superseded ones only with --all.
#include <algorithm>
#include <cstdio>

#include <fmt/format.h>

#include "cli/cli.hpp"
#include "pm/entry.hpp"
#include "pm/error.hpp"

namespace pm::cli {

namespace {

/// Display width: one column per code point, as print_table counts.
std::size_t display_width(const std::string& text) {
  std::size_t n = 0;
  for (unsigned char c : text) {
    if ((c & 0xC0) != 0x80) {
      ++n;
    }
  }
  return n;
}

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
  if (!options.all) {
    // Superseded: referred to by an entry of the kinds listed (of any kind without --kind);
    // SQLite asks the ref index per row, so no set of ids is held.
    q.unreferenced_by = options.kinds;
    if (q.unreferenced_by.empty()) {
      for (const auto& k : entry_kinds()) {
        q.unreferenced_by.emplace_back(k.name);
      }
    }
  }
  // The ledger is read row by row, twice for a table (widths, then lines), so memory stays
  // bounded at any size (docs/performance.md).
  if (options.json) {
    std::string out = "{\n  \"version\": 1,\n  \"entries\": [";
    bool first = true;
    ledger->for_each(q, [&](Entry& e) {
      std::string entry = e.to_json().dump(2);
      out += first ? "\n    " : ",\n    ";
      first = false;
      for (char c : entry) {
        out += c;
        if (c == '\n') {
          out += "    ";
        }
      }
      if (out.size() > 1 << 16) {
        emit(out, "");
        out.clear();
      }
    });
    out += first ? "]\n}\n" : "\n  ]\n}\n";
    emit(out, "");
    return;
  }
  auto row = [&](const Entry& e) {
    std::string text = e.text;
    if (auto it = e.data.find("commit"); it != e.data.end() && it->is_string()) {
      text += dim(fmt::format(" ({})", it->get<std::string>().substr(0, 10)));
    }
    return std::vector<std::string>{std::to_string(e.id), format_local(e.effective_at, session.zone),
                                    e.kind, e.author, e.source, text};
  };
  const std::vector<std::string> header = {"ID", "WHEN", "KIND", "AUTHOR", "SOURCE", "TEXT"};
  std::vector<std::size_t> widths;
  for (const auto& h : header) {
    widths.push_back(display_width(h));
  }
  std::size_t count = 0;
  ledger->for_each(q, [&](Entry& e) {
    auto cells = row(e);
    for (std::size_t i = 0; i < cells.size(); ++i) {
      widths[i] = std::max(widths[i], display_width(cells[i]));
    }
    ++count;
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
  std::string out = bold(line(header).substr(0, line(header).size() - 1)) + "\n";
  ledger->for_each(q, [&](Entry& e) {
    out += line(row(e));
    if (out.size() > 1 << 16) {
      emit(out, "");
      out.clear();
    }
  });
  emit(out, "");
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
