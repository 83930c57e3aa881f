// pm agreements: the agreements on record, as a table or as JSON.
#include <fmt/format.h>

#include "cli/cli.hpp"
#include "cli/tags.hpp"
#include "pm/time/date_expression.hpp"
#include "pm/domain/agreements.hpp"
#include "pm/util/text.hpp"

namespace pm::cli {

namespace {

struct AgreementsOptions {
  bool all = false;
  std::string since;
  bool json = false;
  std::vector<std::string> tags;  ///< --tag: only those with all of these
};

Json agreement_json(const AgreementRow& row, Zone zone) {
  const Entry& e = row.entry;
  Json j;
  j["id"] = e.id;
  j["entry_id"] = e.id;
  j["number"] = e.number;
  j["text"] = e.text;
  j["meeting"] = format_iso_local(e.effective_at, zone);
  j["due"] = e.due.empty() ? Json(nullptr) : Json(e.due);
  j["with"] = e.data.value("with", Json::array());
  j["tags"] = e.data.value("tags", Json::array());
  j["author"] = e.author;
  j["source"] = e.source;
  j["recorded_at"] = format_utc(e.recorded_at);
  j["supersedes"] = e.ref ? Json(*e.ref) : Json(nullptr);
  j["superseded_by"] = row.superseded_by ? Json(*row.superseded_by) : Json(nullptr);
  j["supersedes_number"] = row.supersedes_number != 0 ? Json(row.supersedes_number) : Json(nullptr);
  j["superseded_by_number"] =
      row.superseded_by_number != 0 ? Json(row.superseded_by_number) : Json(nullptr);
  return j;
}

/// Open and past its due date on `today` (YYYY-MM-DD compares as text).
bool overdue(const Entry& e, const std::string& today) { return !e.due.empty() && e.due < today; }

std::vector<std::string> agreement_cells(const AgreementRow& row, Zone zone,
                                         const std::string& today) {
  const Entry& e = row.entry;
  std::string text = e.text;
  // The marks say which version is current: a replaced one is dimmed and names its successor.
  std::string replaces =
      row.supersedes_number != 0 ? fmt::format(" (replaces № {})", row.supersedes_number) : "";
  if (row.superseded_by) {
    text = fmt::format("{} {}", dim(text + replaces),
                       dim(fmt::format("(replaced by № {})", row.superseded_by_number)));
  } else {
    text += replaces;
  }
  std::string tags = tags_text(e);
  return {std::to_string(e.number), format_date(local_date(e.effective_at, zone)),
          !row.superseded_by && overdue(e, today) ? alert(e.due) : e.due.empty() ? "-" : e.due,
          join_json(e.data.value("with", Json::array())), tags.empty() ? "-" : tags, text};
}

void run_agreements(const Globals& globals, const AgreementsOptions& options) {
  Session session = open_session(globals);
  auto ledger = session.open_ledger(true);
  std::optional<Instant> since;
  if (!options.since.empty()) {
    since = parse_since_expression(options.since, session.now, session.zone, "--since");
  }
  // Overdue: an open agreement whose due day has passed in the project's zone.
  const std::string today = format_date(local_date(session.now, session.zone));
  // Streamed, one agreement at a time: a million of them list in a few MiB.
  ReadSnapshot snapshot(*ledger);
  if (options.json) {
    JsonListWriter out({{"version", 1}}, "agreements");
    each_agreement(*ledger, options.all, since, [&](const AgreementRow& row) {
      if (has_tags(row.entry, options.tags)) {
        out.add(agreement_json(row, session.zone));
      }
    });
    out.finish();
    return;
  }
  std::size_t count =
      print_table_streamed({"NO", "AGREED", "DUE", "WITH", "TAGS", "TEXT"}, [&](const auto& print) {
        each_agreement(*ledger, options.all, since, [&](const AgreementRow& row) {
          if (has_tags(row.entry, options.tags)) {
            print(agreement_cells(row, session.zone, today));
          }
        });
      });
  if (count == 0 && !options.tags.empty()) {
    std::string tags;
    for (const auto& tag : options.tags) {
      tags += (tags.empty() ? "" : ", ") + tag;
    }
    std::printf("No agreements tagged %s.\n", tags.c_str());
  } else if (count == 0) {
    std::printf("%s\n", options.all ? "No agreements recorded yet."
                                    : "No open agreements. Record one with pm log-agreement.");
  }
}

}  // namespace

void setup_agreements(CLI::App& app, const Globals& globals) {
  auto options = std::make_shared<AgreementsOptions>();
  CLI::App* cmd = app.add_subcommand("agreements", "List agreements: the open ones (not "
                                                   "superseded), or all with --all");
  cmd->add_flag("--all", options->all, "Include superseded agreements");
  cmd->add_option("--since", options->since, "Only those agreed on or after DATE")
      ->option_text("DATE");
  add_tag_filter(cmd, options->tags);
  cmd->add_flag("--json", options->json, "JSON for scripts (docs/json.md)");
  cmd->callback([options, &globals] { run_agreements(globals, *options); });
}

}  // namespace pm::cli
