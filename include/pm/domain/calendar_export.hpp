#pragma once
// The project's dates as an iCalendar file (`pm calendar export`, docs/calendar.md): the project
// deadline as approved changes moved it, the open agreements' due dates, and whatever else a
// source in calendar_event_sources() adds (reminders, meetings). Recurring events skip the
// working calendar's holidays (EXDATE).
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "pm/domain/project.hpp"
#include "pm/storage/ledger.hpp"
#include "pm/time/calendar.hpp"
#include "pm/time/ics_export.hpp"

namespace pm {

/// What a source of events is given.
struct CalendarExportContext {
  Ledger& ledger;
  const ProjectConfig& config;
  const Calendar& calendar;
  Zone zone;
  Instant now;
  /// The right side of every UID: `<kind>-<number>@<uid_domain>` (calendar_uid).
  std::string uid_domain;
};

/// A source of events: appends its own to `out`. Its UIDs must stay the same from one export
/// to the next (build them with calendar_uid), its stamps come from the ledger (the entry's
/// recorded_at), so the same ledger gives the same file.
using CalendarEventSource =
    std::function<void(const CalendarExportContext& context, std::vector<CalendarEvent>& out)>;

/// The sources, in the order their events are written: the deadline, then the agreements.
/// A new kind of dated item (reminders, meetings) adds a row here.
const std::vector<CalendarEventSource>& calendar_event_sources();

/// The project's UID domain: "<16 hex digits>.pm", from the hash of the ledger's first entry
/// (fixed once written, copied by export and import), or from the project's name while the
/// ledger is empty.
std::string calendar_uid_domain(Ledger& ledger, const ProjectConfig& config);
/// "<kind>-<number>@<domain>" ("agreement-3@…"); "<kind>@<domain>" for number 0.
std::string calendar_uid(const std::string& kind, std::int64_t number, const std::string& domain);

struct CalendarExportOptions {
  std::optional<Date> from;   ///< leave out events (series) that end before it
  std::optional<Date> until;  ///< leave out events (series) that start after it
  /// How far after its start a series without an end has its holidays excluded.
  int holiday_horizon_days = 3 * 366;
};

/// The events of every source, filtered by `options`, with recurring ones' holidays excluded.
std::vector<CalendarEvent> project_calendar_events(const CalendarExportContext& context,
                                                   const CalendarExportOptions& options);

/// The iCalendar file of the project (write_icalendar of project_calendar_events).
std::string export_project_calendar(Ledger& ledger, const ProjectConfig& config,
                                    const Calendar& calendar, Zone zone, Instant now,
                                    const CalendarExportOptions& options = {});

}  // namespace pm
