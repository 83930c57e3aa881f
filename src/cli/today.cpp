// pm today: the morning list, most urgent first. Exits 7 when something is overdue, so a cron
// line can mail it only then: pm today >/tmp/today || mail -s "pm today" me </tmp/today
#include <fmt/format.h>

#include "cli/cli.hpp"
#include "pm/domain/project_calendar.hpp"
#include "pm/domain/today.hpp"

namespace pm::cli {

namespace {

struct TodayOptions {
  bool json = false;
};

const char* heading(TodaySection section, int horizon) {
  switch (section) {
    case TodaySection::overdue: return "Overdue";
    case TodaySection::disputed: return "Disputed by the client";
    case TodaySection::today: return "Today";
    case TodaySection::unconfirmed: return "Awaiting confirmation";
    case TodaySection::confirmed: return "Confirmed by silence";
    case TodaySection::waiting: return "Changes waiting for a decision";
    case TodaySection::status: return "Next status update";
    case TodaySection::soon: return horizon == 3 ? "Coming up (next 3 working days)" : "Coming up";
  }
  return "";
}

Json item_json(const TodayItem& i) {
  return Json{{"section", section_name(i.section)},
              {"kind", i.kind},
              {"reference", i.reference.empty() ? Json(nullptr) : Json(i.reference)},
              {"entry_id", i.entry ? Json(*i.entry) : Json(nullptr)},
              {"text", i.text},
              {"date", i.date ? Json(format_date(*i.date)) : Json(nullptr)},
              {"note", i.note},
              {"working_days", i.working_days}};
}

void run_today(const Globals& globals, const TodayOptions& options) {
  Session session = open_session(globals);
  auto ledger = session.open_ledger(true);
  const Calendar calendar = project_calendar(session.config, session.paths.dir());
  TodayList list;
  {
    ReadSnapshot snapshot(*ledger);
    list = build_today(*ledger, session.config, calendar, session.now);
  }
  if (options.json) {
    Json out{{"version", 1},
             {"date", format_date(list.today)},
             {"overdue", list.any_overdue()},
             {"items", Json::array()}};
    for (const auto& i : list.items) {
      out["items"].push_back(item_json(i));
    }
    emit(dump_json(out, 2) + "\n", "");
  } else {
    std::string text = bold(fmt::format("{}: {}", session.config.name, long_date(list.today, "en"))) +
                       "\n";
    std::optional<TodaySection> current;
    for (const auto& i : list.items) {
      if (current != i.section) {
        current = i.section;
        text += "\n" + bold(heading(i.section, k_today_horizon)) + "\n";
      }
      std::string what = i.reference.empty() ? i.text : i.reference + "  " + i.text;
      std::string note = i.note;
      if (i.section == TodaySection::overdue) {
        note = alert(note);
      }
      text += fmt::format("  {}\n    {}\n", cell_text(what), cell_text(note));
    }
    if (list.items.empty()) {
      text += "\nNothing due, nothing to chase.\n";
    }
    emit(text, "");
  }
  if (list.any_overdue()) {
    throw ExitStatus{Exit::overdue};
  }
}

}  // namespace

void setup_today(CLI::App& app, const Globals& globals) {
  auto options = std::make_shared<TodayOptions>();
  CLI::App* cmd = app.add_subcommand(
      "today", "The morning list: what is overdue, due, awaiting the client, coming up; exits 7 "
               "when something is overdue");
  cmd->add_flag("--json", options->json, "JSON for scripts (docs/json.md)");
  cmd->callback([options, &globals] { run_today(globals, *options); });
}

}  // namespace pm::cli
