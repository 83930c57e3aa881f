// pm calendar [--from DATE] [--to DATE] [--json]: the working days between two dates on the
// project's calendar, the days off among them with why, and the working weekend days.
// `pm calendar export` (the project's dates as iCalendar) is calendar_export.cpp.
#include <fmt/format.h>

#include "cli/cli.hpp"
#include "pm/domain/project_calendar.hpp"
#include "pm/time/date_expression.hpp"
#include "pm/util/error.hpp"

namespace pm::cli {

namespace {

constexpr long k_max_span = 3660;  // ten years of days in one listing

struct CalendarOptions {
  std::string from;
  std::string to;
  bool json = false;
};

const char* weekday_name(Date day) {
  static const char* const k_names[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  return k_names[date::weekday{date::sys_days{day}}.c_encoding()];
}

/// Why a day is not working: its special day's reason, and "weekend" when its weekday is one.
std::string why_not_working(const DayInfo& info) {
  std::string why;
  if (info.special != nullptr) {
    why = info.special->kind == SpecialDay::holiday ? "holiday: " + info.special->why
                                                    : info.special->why;
  }
  if (info.weekend) {
    why = why.empty() ? "weekend" : "weekend; " + why;
  }
  return why;
}

const char* kind_name(const DayInfo& info) {
  if (info.special == nullptr) {
    return "weekend";
  }
  return info.special->kind == SpecialDay::holiday ? "holiday" : "day_off";
}

std::string describe(const ProjectConfig& c) {
  std::string name = calendar_name(c);
  if (name == "ru") {
    auto [first, last] = russian_calendar_years();
    name = fmt::format("ru (the Russian production calendar, {}-{})", first, last);
  } else if (name == "none") {
    name = "none (no holidays)";
  }
  std::string days;
  for (const auto& d : c.working_days) {
    days += (days.empty() ? "" : " ") + d;
  }
  return fmt::format("Calendar: {}; working days {}, {}-{}, {}", name, days,
                     c.working_hours_start, c.working_hours_end, c.timezone);
}

void run_calendar(const Globals& globals, const CalendarOptions& options) {
  Session session = open_session(globals);
  const Calendar calendar = project_calendar(session.config, session.paths.dir());
  const Date today = local_date(session.now, session.zone);
  const Date from = options.from.empty()
                        ? today
                        : parse_date_expression(options.from, session.now, session.zone, "--from");
  const Date to = options.to.empty()
                      ? Date{date::sys_days{from} + date::days{30}}
                      : parse_date_expression(options.to, session.now, session.zone, "--to");
  if (to < from) {
    throw Error(fmt::format("--to {} is before --from {}; give the earlier day first",
                            format_date(to), format_date(from)),
                Exit::usage);
  }
  const long span = (date::sys_days{to} - date::sys_days{from}).count() + 1;
  if (span > k_max_span) {
    throw Error(fmt::format("{} to {} is {} days; pm lists at most {} at once (ten years): "
                            "narrow --from and --to",
                            format_date(from), format_date(to), span, k_max_span),
                Exit::usage);
  }
  if (calendar_name(session.config) == "ru") {
    auto [first, last] = russian_calendar_years();
    if (int(from.year()) < first || int(to.year()) > last) {
      note(globals, fmt::format("note: the built-in ru calendar covers {}-{}; outside those years "
                                "only weekends and project.yaml's holidays count",
                                first, last));
    }
  }
  int working = 0;
  Json off = Json::array();
  Json moved = Json::array();
  std::vector<std::vector<std::string>> off_rows;
  std::vector<std::vector<std::string>> moved_rows;
  for (Date day = from; day <= to; day = Date{date::sys_days{day} + date::days{1}}) {
    const DayInfo info = calendar.info(day);
    if (info.working) {
      ++working;
      if (info.weekend) {
        const std::string why = info.special != nullptr ? info.special->why : "working day";
        moved.push_back({{"date", format_date(day)}, {"weekday", weekday_name(day)},
                         {"why", why}});
        moved_rows.push_back({format_date(day), weekday_name(day), why});
      }
      continue;
    }
    const std::string why = why_not_working(info);
    off.push_back({{"date", format_date(day)},
                   {"weekday", weekday_name(day)},
                   {"kind", kind_name(info)},
                   {"why", why}});
    off_rows.push_back({format_date(day), weekday_name(day), why});
  }
  if (options.json) {
    Json out = {{"version", 1},
                {"calendar", calendar_name(session.config)},
                {"from", format_date(from)},
                {"to", format_date(to)},
                {"days", span},
                {"working_days", working},
                {"non_working", off},
                {"working_weekend_days", moved}};
    emit(dump_json(out, 2) + "\n", "");
    return;
  }
  std::printf("%s\n", describe(session.config).c_str());
  std::printf("%s to %s: %d working %s of %ld %s\n", format_date(from).c_str(),
              format_date(to).c_str(), working, working == 1 ? "day" : "days", span,
              span == 1 ? "day" : "days");
  if (!off_rows.empty()) {
    std::printf("\nNot working:\n");
    print_table({"DATE", "DAY", "WHY"}, off_rows);
  }
  if (!moved_rows.empty()) {
    std::printf("\nWorking on a weekend day:\n");
    print_table({"DATE", "DAY", "WHY"}, moved_rows);
  }
}

}  // namespace

void setup_calendar(CLI::App& app, const Globals& globals) {
  auto options = std::make_shared<CalendarOptions>();
  CLI::App* cmd = app.add_subcommand(
      "calendar", "Working days between two dates on the project's calendar, and the days off");
  cmd->add_option("--from", options->from, "First day (default: today): 2026-12-28, today, +3d")
      ->option_text("DATE");
  cmd->add_option("--to", options->to, "Last day, included (default: 30 days after --from)")
      ->option_text("DATE");
  cmd->add_flag("--json", options->json, "JSON for scripts (docs/json.md)");
  CLI::App* export_cmd = setup_calendar_export(*cmd, globals);
  cmd->require_subcommand(0, 1);
  cmd->callback([options, &globals, export_cmd] {
    if (!export_cmd->parsed()) {
      run_calendar(globals, *options);
    }
  });
}

}  // namespace pm::cli
