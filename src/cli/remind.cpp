// pm remind TEXT --on DATE|--in SPAN [--about A3]: a reminder pm today brings up on its day.
// pm reminders [--all] [--json], pm reminders done N.
#include <fmt/format.h>

#include "cli/cli.hpp"
#include "pm/domain/agreements.hpp"
#include "pm/domain/numbers.hpp"
#include "pm/domain/project_calendar.hpp"
#include "pm/domain/reminders.hpp"

namespace pm::cli {

namespace {

struct RemindOptions {
  std::string text;
  std::string on;
  std::string in;
  std::string about;
};

void run_remind(const Globals& globals, const RemindOptions& options) {
  if (options.on.empty() == options.in.empty()) {
    throw Error("say when: --on DATE (2026-12-10, friday) or --in SPAN (3wd: three working days, "
                "2w), one of them",
                Exit::usage);
  }
  Session session = open_session(globals);
  auto ledger = session.open_ledger();
  const Calendar calendar = project_calendar(session.config, session.paths.dir());
  ReminderInput input{options.text, options.on.empty() ? options.in : options.on, options.about,
                      resolve_author(globals.author)};
  const EntryId id = add_reminder(*ledger, calendar, input, session.now);
  const Entry e = *ledger->find(id);
  note(globals, fmt::format("reminder {} on {}", e.number, e.due));
  std::printf("%lld\n", static_cast<long long>(e.number));
}

struct RemindersOptions {
  bool all = false;
  bool json = false;
  std::int64_t done = 0;
};

void run_reminders(const Globals& globals, const RemindersOptions& options) {
  Session session = open_session(globals);
  auto ledger = session.open_ledger(true);
  ReadSnapshot snapshot(*ledger);
  if (options.json) {
    JsonListWriter out({{"version", 1}}, "reminders");
    each_reminder(*ledger, options.all, [&](const Reminder& r) {
      out.add(Json{{"number", r.entry.number},
                   {"entry_id", r.entry.id},
                   {"text", r.entry.text},
                   {"due", r.entry.due},
                   {"about", r.about ? Json(reference_of(*r.about)) : Json(nullptr)},
                   {"done", r.done ? Json(format_iso_local(*r.done, session.zone)) : Json(nullptr)},
                   {"author", r.entry.author}});
    });
    out.finish();
    return;
  }
  const std::string today = format_date(local_date(session.now, session.zone));
  std::size_t count = print_table_streamed({"NO", "DUE", "ABOUT", "TEXT"}, [&](const auto& print) {
    each_reminder(*ledger, options.all, [&](const Reminder& r) {
      std::string due = r.entry.due;
      if (r.done) {
        due = dim(due + " done");
      } else if (due < today) {
        due = alert(due);
      }
      print({std::to_string(r.entry.number), due, r.about ? reference_of(*r.about) : "-",
             r.entry.text});
    });
  });
  if (count == 0) {
    std::printf("%s\n", options.all ? "No reminders recorded yet."
                                    : "No open reminders. Add one with pm remind TEXT --in 3wd.");
  }
}

void run_reminder_done(const Globals& globals, std::int64_t number) {
  Session session = open_session(globals);
  auto ledger = session.open_ledger();
  finish_reminder(*ledger, number, resolve_author(globals.author), session.now);
  note(globals, fmt::format("reminder {} done", number));
}

}  // namespace

void setup_remind(CLI::App& app, const Globals& globals) {
  auto options = std::make_shared<RemindOptions>();
  CLI::App* cmd = app.add_subcommand(
      "remind", "Add a reminder for a day (pm today lists it then); prints its number");
  cmd->add_option("text", options->text, "What to do")->required();
  cmd->add_option("--on", options->on, "The day: 2026-12-10, friday, tomorrow")
      ->option_text("DATE");
  cmd->add_option("--in", options->in,
                  "Or a span from today: 3wd (working days on the project's calendar), 7d, 2w")
      ->option_text("SPAN");
  cmd->add_option("--about", options->about,
                  "What it is about: A3 or 3 (agreement 3), C2 (change 2), E17 (entry 17)")
      ->option_text("REF");
  cmd->callback([options, &globals] { run_remind(globals, *options); });
}

void setup_reminders(CLI::App& app, const Globals& globals) {
  auto list = std::make_shared<RemindersOptions>();
  CLI::App* reminders = app.add_subcommand("reminders", "List the open reminders (all with --all)");
  reminders->add_flag("--all", list->all, "Include those done");
  reminders->add_flag("--json", list->json, "JSON for scripts (docs/json.md)");
  reminders->require_subcommand(0, 1);
  auto done = std::make_shared<std::int64_t>(0);
  CLI::App* finish = reminders->add_subcommand("done", "Mark a reminder done");
  finish->add_option("number", *done, "The reminder's number (pm reminders)")
      ->required()
      ->check(CLI::PositiveNumber);
  finish->callback([done, &globals] { run_reminder_done(globals, *done); });
  reminders->callback([list, reminders, &globals] {
    if (reminders->get_subcommands().empty()) {
      run_reminders(globals, *list);
    }
  });
}

}  // namespace pm::cli
