// pm calendar export [-o FILE] [--from DATE] [--to DATE]: the project's dates (the deadline,
// the open agreements' due dates, ...) as an iCalendar file for Thunderbird, Google or Outlook
// to import or subscribe to (docs/calendar.md). Written as is (CRLF line ends), not through
// emit(), which would escape the CRs.
#include <fmt/format.h>

#include "cli/cli.hpp"
#include "pm/domain/calendar_export.hpp"
#include "pm/domain/project_calendar.hpp"
#include "pm/time/date_expression.hpp"
#include "pm/util/error.hpp"

namespace pm::cli {

namespace {

struct CalendarExportOptions {
  std::string output;
  std::string from;
  std::string to;
};

void run_calendar_export(const Globals& globals, const CalendarExportOptions& options) {
  Session session = open_session(globals);
  const Calendar calendar = project_calendar(session.config, session.paths.dir());
  pm::CalendarExportOptions range;
  if (!options.from.empty()) {
    range.from = parse_date_expression(options.from, session.now, session.zone, "--from");
  }
  if (!options.to.empty()) {
    range.until = parse_date_expression(options.to, session.now, session.zone, "--to");
  }
  if (range.from && range.until && *range.until < *range.from) {
    throw Error(fmt::format("--to {} is before --from {}; give the earlier day first",
                            format_date(*range.until), format_date(*range.from)),
                Exit::usage);
  }
  OutputFile out(options.output, project_file_mode(session.config));
  auto ledger = session.open_ledger(true);
  const CalendarExportContext context{*ledger, session.config, calendar, session.zone,
                                      session.now,
                                      calendar_uid_domain(*ledger, session.config)};
  const std::vector<CalendarEvent> events = project_calendar_events(context, range);
  out.stream() << write_icalendar(events, session.config.timezone, session.config.name,
                                  session.now);
  out.commit();
  if (!out.is_stdout()) {
    note(globals, fmt::format("Exported {} {} to {}", events.size(),
                              events.size() == 1 ? "event" : "events", options.output));
  }
}

}  // namespace

CLI::App* setup_calendar_export(CLI::App& calendar, const Globals& globals) {
  auto options = std::make_shared<CalendarExportOptions>();
  CLI::App* cmd = calendar.add_subcommand(
      "export", "The project's dates (deadline, agreements' due dates) as iCalendar (.ics) for "
                "Thunderbird, Google or Outlook");
  cmd->add_option("-o,--output", options->output,
                  "Write to FILE (atomically; - is stdout) instead of stdout")
      ->option_text("FILE");
  cmd->add_option("--from", options->from,
                  "Leave out what ends before this day: 2026-12-01, today, -30d")
      ->option_text("DATE");
  cmd->add_option("--to,--until", options->to, "Leave out what starts after this day")
      ->option_text("DATE");
  cmd->callback([options, &globals] { run_calendar_export(globals, *options); });
  return cmd;
}

}  // namespace pm::cli
