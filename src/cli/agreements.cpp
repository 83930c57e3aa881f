// pm agreements: the agreements on record, with their states, as a table or as JSON.
#include <fmt/format.h>

#include "cli/cli.hpp"
#include "cli/tags.hpp"
#include "pm/domain/agreement_state.hpp"
#include "pm/domain/agreements.hpp"
#include "pm/domain/project_calendar.hpp"
#include "pm/time/date_expression.hpp"
#include "pm/util/text.hpp"

namespace pm::cli {

namespace {

struct AgreementsOptions {
  bool all = false;
  std::string since;
  bool json = false;
  std::vector<std::string> tags;  ///< --tag: only those with all of these
  bool open = false;              ///< not fulfilled, withdrawn or superseded
  bool unconfirmed = false;       ///< open within the window, or disputed
  bool overdue = false;           ///< not final and past its due date
  std::string due_within;         ///< not final and due from today to this span ahead
  std::string grep;               ///< text containing this, in any case
  std::string state;              ///< in this state
};

/// Which agreements a listing shows, with what it needs to tell.
struct Filter {
  const AgreementsOptions& options;
  ConfirmationRule rule;
  Instant now;
  std::string today;       ///< YYYY-MM-DD in the project's zone
  std::string due_until;   ///< --due-within's last day; empty without it
  std::string grep;        ///< folded --grep

  bool keep(const AgreementRow& row, const AgreementStatus& s) const {
    const Entry& e = row.entry;
    const bool live = !is_final(s.state);
    if (!has_tags(e, options.tags) || (options.open && !live) ||
        (options.unconfirmed && !(s.state == AgreementState::disputed ||
                                  (s.state == AgreementState::open))) ||
        (options.overdue && !(live && !e.due.empty() && e.due < today)) ||
        (!due_until.empty() && !(live && !e.due.empty() && e.due >= today && e.due <= due_until)) ||
        (!options.state.empty() && options.state != state_name(s.state))) {
      return false;
    }
    return grep.empty() || fold_case(e.text).find(grep) != std::string::npos;
  }
};

Json agreement_json(const AgreementRow& row, const AgreementStatus& s, Zone zone) {
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
  j["state"] = state_name(s.state);
  j["confirmed_by_silence"] = s.by_silence;
  j["state_since"] = s.since ? Json(format_iso_local(*s.since, zone)) : Json(nullptr);
  j["state_by"] = s.by.empty() ? Json(nullptr) : Json(s.by);
  j["state_note"] = s.note.empty() ? Json(nullptr) : Json(s.note);
  j["state_entry_id"] = s.entry ? Json(*s.entry) : Json(nullptr);
  j["confirm_by"] = s.confirm_by ? Json(format_iso_local(*s.confirm_by, zone)) : Json(nullptr);
  return j;
}

/// Not final and past its due date on `today` (YYYY-MM-DD compares as text).
bool overdue(const Entry& e, const AgreementStatus& s, const std::string& today) {
  return !is_final(s.state) && !e.due.empty() && e.due < today;
}

/// "confirmed", "confirmed (silence)", "open (to 12-04)": the state in a few words.
std::string state_cell(const AgreementStatus& s, Zone zone) {
  switch (s.state) {
    case AgreementState::open:
      return fmt::format("open (to {})", format_date(local_date(*s.confirm_by, zone)).substr(5));
    case AgreementState::confirmed:
      return s.by_silence ? "confirmed (silence)" : "confirmed";
    case AgreementState::disputed:
      return alert("disputed");
    default:
      return dim(state_name(s.state));
  }
}

std::vector<std::string> agreement_cells(const AgreementRow& row, const AgreementStatus& s,
                                         Zone zone, const std::string& today) {
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
  return {std::to_string(e.number), format_date(local_date(e.effective_at, zone)),
          overdue(e, s, today) ? alert(e.due) : e.due.empty() ? "-" : e.due, state_cell(s, zone),
          row.with, row.tags.empty() ? "-" : row.tags, text};
}

void run_agreements(const Globals& globals, const AgreementsOptions& options) {
  Session session = open_session(globals);
  auto ledger = session.open_ledger(true);
  std::optional<Instant> since;
  if (!options.since.empty()) {
    since = parse_since_expression(options.since, session.now, session.zone, "--since");
  }
  const Calendar calendar = project_calendar(session.config, session.paths.dir());
  Filter filter{options, ConfirmationRule{&calendar, session.config.confirm_within}, session.now,
                format_date(local_date(session.now, session.zone)), "", fold_case(options.grep)};
  if (!options.due_within.empty()) {
    filter.due_until = format_date(
        parse_date_on_calendar(options.due_within, session.now, calendar, "--due-within"));
  }
  // A filter by state needs the superseded ones too, to say which are.
  const bool all = options.all || options.state == "superseded";
  // Streamed, one agreement at a time: a million of them list in a few MiB. The table needs
  // no entry's data (only whom with and the tags, which come as text); JSON and --tag do.
  ReadSnapshot snapshot(*ledger);
  const bool data = options.json || !options.tags.empty();
  auto each = [&](const auto& visit) {
    each_agreement(
        *ledger, all, since,
        [&](const AgreementRow& row) {
          const AgreementStatus s = agreement_status(row, filter.rule, session.now);
          if (filter.keep(row, s)) {
            visit(row, s);
          }
        },
        data);
  };
  if (options.json) {
    JsonListWriter out({{"version", 1}}, "agreements");
    each([&](const AgreementRow& row, const AgreementStatus& s) {
      out.add(agreement_json(row, s, session.zone));
    });
    out.finish();
    return;
  }
  std::size_t count = print_table_streamed(
      {"NO", "AGREED", "DUE", "STATE", "WITH", "TAGS", "TEXT"}, [&](const auto& print) {
        each([&](const AgreementRow& row, const AgreementStatus& s) {
          print(agreement_cells(row, s, session.zone, filter.today));
        });
      });
  const bool filtered = options.open || options.unconfirmed || options.overdue ||
                        !options.due_within.empty() || !options.grep.empty() ||
                        !options.state.empty();
  if (count == 0 && !options.tags.empty() && !filtered) {
    std::string tags;
    for (const auto& tag : options.tags) {
      tags += (tags.empty() ? "" : ", ") + tag;
    }
    std::printf("No agreements tagged %s.\n", tags.c_str());
  } else if (count == 0 && filtered) {
    std::printf("No agreements match.\n");
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
  cmd->add_flag("--open", options->open, "Only those still open: not fulfilled, withdrawn or "
                                         "superseded");
  cmd->add_flag("--unconfirmed", options->unconfirmed,
                "Only those awaiting confirmation (within their window) or disputed");
  cmd->add_flag("--overdue", options->overdue, "Only open ones past their due date");
  cmd->add_option("--due-within", options->due_within,
                  "Only open ones due from today to SPAN ahead: 7d, 2w, 5wd (working days)")
      ->option_text("SPAN");
  cmd->add_option("--grep", options->grep, "Only those whose text contains TEXT (any case)")
      ->option_text("TEXT");
  cmd->add_option("--state", options->state, "Only those in STATE")
      ->check(CLI::IsMember({"open", "confirmed", "disputed", "fulfilled", "withdrawn",
                             "superseded"}))
      ->option_text("STATE");
  cmd->add_flag("--json", options->json, "JSON for scripts (docs/json.md)");
  cmd->callback([options, &globals] { run_agreements(globals, *options); });
}

}  // namespace pm::cli
