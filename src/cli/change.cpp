// pm change propose|approve|reject|list|show: the change protocol. A change counts only once
// both sides approved it; the project deadline moves with approved changes only.
#include <fmt/format.h>

#include "cli/cli.hpp"
#include "cli/letters.hpp"
#include "pm/domain/agreements.hpp"
#include "pm/domain/changes.hpp"
#include "pm/domain/numbers.hpp"
#include "pm/domain/project_calendar.hpp"
#include "pm/util/error.hpp"
#include "pm/time/period.hpp"
#include "pm/util/words.hpp"

namespace pm::cli {

namespace {

struct LetterOptions {
  bool letter = false;
  bool send = false;  ///< --send: the letter goes through the mail command, recorded as sent
  std::string format = "eml";
  std::string output;
};

struct ProposeOptions {
  ChangeInput input;
  bool calendar_days = false;  // --calendar-days: --days are calendar days
  LetterOptions letter;
};

struct DecideOptions {
  std::int64_t number = 0;  // the change's number
  std::string side;
  std::string by;
  std::string reason;
  std::string evidence;
  LetterOptions letter;
};

struct ListOptions {
  std::int64_t number = 0;  // show
  std::string status;
  bool json = false;
};

std::string deadline_line(const Deadline& d) {
  if (!d.current) {
    return "no deadline set (add deadline: YYYY-MM-DD to .pm/project.yaml)";
  }
  if (!d.shifted()) {
    return fmt::format("{} (the baseline; no approved change moved it)", format_date(*d.current));
  }
  return fmt::format("{} (baseline {}, {} by approved changes)", format_date(*d.current),
                     format_date(*d.baseline), days_text(d.days, "en"));
}

Json deadline_json(const Deadline& d) {
  auto date_or_null = [](const std::optional<Date>& day) {
    return day ? Json(format_date(*day)) : Json(nullptr);
  };
  return {{"baseline", date_or_null(d.baseline)},
          {"current", date_or_null(d.current)},
          {"days", d.days},
          {"shifted", d.shifted()}};
}

Json change_json(const Change& c, Zone zone) {
  auto or_null = [](const std::string& s) { return s.empty() ? Json(nullptr) : Json(s); };
  Json decisions = Json::array();
  for (const auto& d : c.decisions) {
    decisions.push_back({{"id", d.id},
                         {"side", side_name(d.side)},
                         {"verdict", verdict_name(d.verdict)},
                         {"by", d.by},
                         {"reason", or_null(d.reason)},
                         {"evidence", or_null(d.evidence)},
                         {"at", format_iso_local(d.at, zone)}});
  }
  return {{"id", c.entry.id},
          {"entry_id", c.entry.id},
          {"number", c.entry.number},
          {"text", c.entry.text},
          {"reason", c.reason},
          {"status", status_name(c.state.status)},
          {"days", c.days},
          {"working_days", c.working_days ? Json(*c.working_days) : Json(nullptr)},
          {"days_kind", c.working_days ? "working" : "calendar"},
          {"cost", or_null(c.cost)},
          {"currency", or_null(c.currency)},
          {"ask", or_null(c.ask)},
          {"proposed_at", format_iso_local(c.entry.effective_at, zone)},
          {"author", c.entry.author},
          {"decided_at", c.decided_at ? Json(format_iso_local(*c.decided_at, zone)) : Json(nullptr)},
          {"decisions", decisions}};
}

std::string verdict_cell(const Change& c, Side side) {
  for (const auto& d : c.decisions) {
    if (d.side == side) {
      return fmt::format("{} ({})", d.verdict == Verdict::approve ? "approved" : "rejected", d.by);
    }
  }
  return c.state.status == ChangeStatus::proposed ? "waiting" : "-";
}

LetterRequest change_letter(EntryId entry, std::int64_t number, const LetterOptions& options) {
  LetterRequest request;
  request.entry = entry;
  request.name = "change-notice";
  request.format = options.format;
  request.sets.emplace_back("change", std::to_string(number));
  return request;
}

void run_propose(const Globals& globals, ProposeOptions options) {
  Session session = open_session(globals);
  auto ledger = session.open_ledger();
  options.input.author = resolve_author(globals.author);
  if (options.calendar_days) {
    options.input.calendar_days = true;
  } else if (options.input.days != 0) {
    // --days N: N working days on the project's calendar, counted from the current deadline
    // (or today, without one); the ledger keeps both N and the calendar days they come to.
    const Calendar calendar = project_calendar(session.config, session.paths.dir());
    const Deadline deadline = project_deadline(*ledger, session.config.deadline,
                                               session.now + std::chrono::seconds{1});
    const Date from = deadline.current ? *deadline.current : local_date(session.now, session.zone);
    count_working_days(options.input, options.input.days, calendar, from);
  }
  // The change's number, after saying what it does.
  auto proposed = [&](EntryId id) {
    Change c = load_change(*ledger, id);
    std::string impact = impact_text(c, "en");
    note(globals, fmt::format("change {} proposed ({}); it counts once both sides approve it",
                              c.entry.number,
                              impact.empty() ? "no effect on dates or cost" : impact));
    return c.entry.number;
  };
  if (!options.letter.letter && !options.letter.send) {
    const std::int64_t number = proposed(propose_change(*ledger, options.input, session.now));
    std::printf("%lld\n", static_cast<long long>(number));
    return;
  }
  // The change and its notice: both or neither (record_with_letter).
  EntryId id = record_with_letter(session, *ledger, options.letter.output, [&] {
    EntryId entry = propose_change(*ledger, options.input, session.now);
    return change_letter(entry, ledger->find(entry)->number, options.letter);
  }, true, options.letter.send);
  proposed(id);
}

void run_decide(const Globals& globals, const DecideOptions& options, Verdict verdict) {
  Session session = open_session(globals);
  auto ledger = session.open_ledger();
  Side side = parse_side(options.side);
  const EntryId id = numbered_entry(*ledger, "change", options.number).id;
  std::string author = resolve_author(globals.author);
  // Who decided is checked before anything else: a wrong --by is the likelier mistake.
  approver_for(session.config, side, options.by, author);
  if (options.letter.letter || options.letter.send) {
    // The notice goes out when the change is decided; check before recording anything.
    Change before = load_change(*ledger, id);
    ChangeState after = next_state(before.state, side, verdict);
    if (decision_problem(before.state, side, verdict, options.number).empty() &&
        after.status == ChangeStatus::proposed) {
      throw Error(fmt::format("{}: this approval does not decide change {} (the {} has not "
                              "approved it yet); the change notice goes with the final decision, "
                              "or render it now with: pm render change-notice --set change={}",
                              options.letter.send ? "--send" : "--letter", options.number,
                              side == Side::client ? "team" : "client", options.number));
    }
  }
  auto decide = [&] {
    return decide_change(*ledger, session.config, id, side, verdict,
                         DecisionInput{options.by, options.reason, options.evidence, author},
                         session.now);
  };
  Change c;
  if (options.letter.letter || options.letter.send) {
    // The decision and the notice: both or neither (record_with_letter).
    record_with_letter(session, *ledger, options.letter.output, [&] {
      c = decide();
      LetterRequest request = change_letter(c.entry.id, c.entry.number, options.letter);
      for (const auto& d : c.decisions) {
        if (d.side == side) {
          request.entry = d.id;  // what was recorded: this side's decision
        }
      }
      return request;
    }, true, options.letter.send);
  } else {
    c = decide();
  }
  std::string message = fmt::format("change {}: {}", c.entry.number, status_text(c.state, "en"));
  if (c.state.status == ChangeStatus::approved && c.days != 0) {
    const Deadline deadline = project_deadline(*ledger, session.config.deadline,
                                               session.now + std::chrono::seconds{1});
    message += deadline.current ? "; project deadline " + deadline_line(deadline)
                                : "; " + deadline_line(deadline);
  }
  note(globals, message);
}

std::vector<std::string> change_cells(const Change& c, Zone zone) {
  std::string impact = impact_text(c, "en");
  return {std::to_string(c.entry.number), format_date(local_date(c.entry.effective_at, zone)),
          status_name(c.state.status), verdict_cell(c, Side::client), verdict_cell(c, Side::team),
          impact.empty() ? "-" : impact, c.entry.text};
}

void run_list(const Globals& globals, const ListOptions& options) {
  Session session = open_session(globals);
  auto ledger = session.open_ledger(true);
  std::optional<ChangeStatus> only;
  if (!options.status.empty()) {
    only = parse_status(options.status);
  }
  // Streamed, one change at a time: a million of them list in a few MiB. The deadline is read
  // from the same snapshot as the list.
  ReadSnapshot snapshot(*ledger);
  auto each_shown = [&](const std::function<void(const Change&)>& visit) {
    each_change(*ledger, [&](const Change& c) {
      if (!only || c.state.status == *only) {
        visit(c);
      }
    });
  };
  Deadline deadline =
      project_deadline(*ledger, session.config.deadline, session.now + std::chrono::seconds{1});
  if (options.json) {
    JsonListWriter out({{"version", 1}, {"deadline", deadline_json(deadline)}}, "changes");
    each_shown([&](const Change& c) { out.add(change_json(c, session.zone)); });
    out.finish();
    return;
  }
  std::size_t count = print_table_streamed(
      {"NO", "PROPOSED", "STATUS", "CLIENT", "TEAM", "IMPACT", "TEXT"}, [&](const auto& print) {
        each_shown([&](const Change& c) { print(change_cells(c, session.zone)); });
      });
  if (count == 0) {
    std::printf("%s\n", only ? fmt::format("No {} changes.", options.status).c_str()
                             : "No changes recorded yet. Propose one with pm change propose.");
  }
  std::printf("\nDeadline: %s\n", deadline_line(deadline).c_str());
}

void run_show(const Globals& globals, const ListOptions& options) {
  Session session = open_session(globals);
  auto ledger = session.open_ledger(true);
  Change c = load_change(*ledger, numbered_entry(*ledger, "change", options.number).id);
  Deadline deadline =
      project_deadline(*ledger, session.config.deadline, session.now + std::chrono::seconds{1});
  if (options.json) {
    Json out;
    out["version"] = 1;
    out["change"] = change_json(c, session.zone);
    out["deadline"] = deadline_json(deadline);
    emit(dump_json(out, 2) + "\n", "");
    return;
  }
  std::string impact = impact_text(c, "en");
  std::string out = fmt::format("Change {}: {}\n", c.entry.number, bold(c.entry.text));
  out += fmt::format("Status:    {}\n", status_text(c.state, "en"));
  out += fmt::format("Reason:    {}\n", c.reason);
  out += fmt::format("Impact:    {}\n", impact.empty() ? "none on dates or cost" : impact);
  if (!c.ask.empty()) {
    out += fmt::format("Ask:       {}\n", c.ask);
  }
  out += fmt::format("Proposed:  {} by {}\n", format_local(c.entry.effective_at, session.zone),
                     c.entry.author);
  for (Side side : {Side::client, Side::team}) {
    std::string line = c.state.status == ChangeStatus::proposed ? "waiting" : "-";
    std::string evidence;
    for (const auto& d : c.decisions) {
      if (d.side == side) {
        line = fmt::format("{} by {} on {}{}", d.verdict == Verdict::approve ? "approved" : "rejected",
                           d.by, format_local(d.at, session.zone),
                           d.reason.empty() ? "" : fmt::format(": {}", d.reason));
        evidence = d.evidence;
      }
    }
    out += fmt::format("{:<11}{}\n", side == Side::client ? "Client:" : "Team:", line);
    if (!evidence.empty()) {
      out += fmt::format("{:<11}evidence: {}\n", "", evidence);
    }
  }
  out += fmt::format("Deadline:  {}", deadline_line(deadline));
  if (c.state.status == ChangeStatus::proposed && c.days != 0 && deadline.current) {
    out += fmt::format("; {} if this change is approved",
                       format_date(add_days(*deadline.current, c.days)));
  }
  emit(out + "\n", "");
}

void add_letter_options(CLI::App* cmd, LetterOptions& options, const char* when) {
  CLI::Option* letter = cmd->add_flag(
      "--letter", options.letter, fmt::format("Print the change-notice letter on stdout {}", when));
  cmd->add_flag("--send", options.send,
                "Send the change-notice letter through the mail command instead of printing "
                "it, and record it as sent (pm send)")
      ->excludes(letter);
  cmd->add_option("--format", options.format, "Letter format with --letter: eml, text, md")
      ->check(CLI::IsMember({"eml", "text", "md"}))
      ->default_str("eml");
  cmd->add_option("-o,--output", options.output, "Write the letter to FILE");
}

CLI::Validator side_validator() {
  return CLI::Validator(
      [](std::string& value) -> std::string {
        if (value == "client" || value == "team") {
          return "";
        }
        return fmt::format("'{}' is not a side: each side decides on its own, give client or team "
                           "(and run the command once for each)",
                           value);
      },
      "client|team", "side");
}

void setup_decide(CLI::App* change, const Globals& globals, const char* name, Verdict verdict) {
  auto options = std::make_shared<DecideOptions>();
  bool approve = verdict == Verdict::approve;
  CLI::App* cmd = change->add_subcommand(
      name, approve ? "Record one side's approval; the change is approved once both sides approved"
                    : "Record one side's rejection; one rejection rejects the change");
  cmd->add_option("number", options->number, "The change's number (pm change list)")
      ->required()
      ->check(CLI::PositiveNumber);
  cmd->add_option("--side", options->side, "Whose decision: client or team")
      ->required()
      ->check(side_validator());
  cmd->add_option("--by", options->by,
                  "Who decided: a person of that side, by name or address (required for the "
                  "client; the team's default is you, or the manager)")
      ->option_text("NAME");
  cmd->add_option("--evidence", options->evidence,
                  "What shows it: a Message-ID, a URL, \"call 2026-11-20 14:00\"")
      ->option_text("TEXT");
  if (!approve) {
    cmd->add_option("--reason", options->reason, "Why it was rejected");
  }
  add_letter_options(cmd, options->letter, "when this decision decides the change");
  cmd->callback([options, &globals, verdict] { run_decide(globals, *options, verdict); });
}

}  // namespace

void setup_change(CLI::App& app, const Globals& globals) {
  CLI::App* change = app.add_subcommand(
      "change", "Change requests of scope, dates or money: propose, approve, reject, list, show");
  change->require_subcommand(1);

  auto propose = std::make_shared<ProposeOptions>();
  CLI::App* cmd = change->add_subcommand("propose", "Record a change request; prints its number");
  cmd->add_option("text", propose->input.text, "What changes")->required();
  cmd->add_option("--reason", propose->input.reason, "Why it is needed")->required();
  cmd->add_option("--days", propose->input.days,
                  "Shift of the project deadline in working days on the project's calendar "
                  "(negative: earlier)")
      ->option_text("N");
  cmd->add_flag("--calendar-days", propose->calendar_days,
                "--days counts calendar days, not working days");
  cmd->add_option("--cost", propose->input.cost, "Budget impact, e.g. 1500 or 1500.50 (not negative)")
      ->option_text("AMOUNT");
  cmd->add_option("--currency", propose->input.currency, "ISO 4217 code of --cost, e.g. EUR")
      ->option_text("CODE");
  cmd->add_option("--ask", propose->input.ask, "What is asked of the client (shown in the letter)");
  add_letter_options(cmd, propose->letter, "(the number goes to stderr)");
  cmd->callback([propose, &globals] { run_propose(globals, *propose); });

  setup_decide(change, globals, "approve", Verdict::approve);
  setup_decide(change, globals, "reject", Verdict::reject);

  auto list = std::make_shared<ListOptions>();
  cmd = change->add_subcommand("list", "List change requests and the current deadline");
  cmd->add_option("--status", list->status, "Only proposed, approved or rejected ones")
      ->check(CLI::IsMember({"proposed", "approved", "rejected"}));
  cmd->add_flag("--json", list->json, "JSON for scripts (docs/json.md)");
  cmd->callback([list, &globals] { run_list(globals, *list); });

  auto show = std::make_shared<ListOptions>();
  cmd = change->add_subcommand("show", "Show one change request with its decisions");
  cmd->add_option("number", show->number, "The change's number (pm change list)")
      ->required()
      ->check(CLI::PositiveNumber);
  cmd->add_flag("--json", show->json, "JSON for scripts (docs/json.md)");
  cmd->callback([show, &globals] { run_show(globals, *show); });
}

}  // namespace pm::cli
