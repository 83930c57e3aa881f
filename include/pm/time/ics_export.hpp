#pragma once
// Writing iCalendar (RFC 5545) with libical: events (all-day or timed, one-off or recurring) in
// the project's zone, with its VTIMEZONE, for Thunderbird, Google or Outlook to import or
// subscribe to (docs/calendar.md). Knows nothing of projects: the domain collects the events
// (pm/domain/calendar_export.hpp).
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "pm/time/calendar.hpp"
#include "pm/time/time.hpp"

namespace pm {

/// How an event repeats (an RRULE).
struct Recurrence {
  enum Frequency { weekly, monthly };
  Frequency frequency = weekly;
  int interval = 1;  ///< every `interval` weeks (months), 1 or more
  /// weekly: the day of the week (BYDAY); empty: the start's. monthly with `week`: that weekday
  /// of the month's `week`th week ("the first Monday"); monthly without: the start's day of
  /// the month.
  std::optional<date::weekday> weekday;
  int week = 0;  ///< monthly: 1 to 4, or -1 for the last; 0: none
  int count = 0;  ///< occurrences in all; 0: no limit by count
  std::optional<Date> until;  ///< the last day an occurrence may fall on (included)
};

/// One VEVENT.
struct CalendarEvent {
  /// Unique within the calendar and the same on every export, so a client that imports the file
  /// again (or refreshes a subscription) updates the event instead of adding a second one.
  std::string uid;
  std::string summary;
  std::string description;
  std::vector<std::string> categories;
  /// An all-day event on this day (DTSTART;VALUE=DATE). Empty: a timed event at `start`.
  std::optional<Date> day;
  /// A timed event's start as the wall clock in the calendar's zone shows it. A recurring
  /// event starts on its first occurrence (on the rule's weekday): calendars count DTSTART as
  /// one, whatever the rule says.
  date::local_seconds start{};
  std::chrono::minutes duration{0};  ///< a timed event's length (0: a moment)
  std::optional<Recurrence> recurrence;
  /// Occurrences of a recurring event left out (EXDATE), by day: holidays.
  std::vector<Date> exdates;
  /// When the item was last recorded: DTSTAMP and LAST-MODIFIED. The epoch: the export's now.
  Instant stamp{};
  int sequence = 0;  ///< the revision: a newer version of the same uid has a higher one
};

/// The days `event` occurs on from `from` to `to` (both included), as its RRULE gives them
/// (libical's expansion, the one clients follow), before its exdates; its day (start) alone
/// for a one-off event.
std::vector<Date> occurrence_days(const CalendarEvent& event, Date from, Date to);

/// Adds to `event`'s exdates each occurrence from `from` to `to` that falls on a holiday or a
/// day off of `calendar` (not on a plain weekend: a meeting set on a Saturday stays). No-op
/// for a one-off event.
void exclude_holidays(CalendarEvent& event, const Calendar& calendar, Date from, Date to);

/// The iCalendar text (CRLF line ends, lines folded at 75 octets) of `events` in the zone
/// `tzid` (an IANA name: timed events carry DTSTART;TZID=tzid and the file its VTIMEZONE;
/// "UTC" writes UTC times), named `calendar_name` (X-WR-CALNAME). `now` stamps events without
/// a stamp. The same arguments give the same bytes. Throws pm::Error for a zone libical does
/// not know, or an event it cannot write (an empty uid, a bad date).
std::string write_icalendar(const std::vector<CalendarEvent>& events, const std::string& tzid,
                            const std::string& calendar_name, Instant now);

}  // namespace pm
