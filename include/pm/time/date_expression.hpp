#pragma once
// Dates as people type them: "2026-12-25", but also "today", "friday", "+3d" or "last week",
// each taken in the project's time zone relative to "now" (PM_NOW). Every date option of the
// command line goes through these, so they all accept the same words (docs/guide.md).
#include <string_view>

#include "pm/time/time.hpp"

namespace pm {

/// A run of local days, both inclusive; one day when first == last.
struct DayRange {
  Date first{};
  Date last{};
};

/// One calendar day: YYYY-MM-DD; today, yesterday, tomorrow; a weekday name (monday or mon,
/// and Russian: понедельник ...), meaning the next such day after today (on a Friday,
/// "friday" is in 7 days; "today" says today), "next friday" the same, "last friday" the one
/// before today; +3d, -2w, +1m, +1y from today (a month later clamps to the month's last day:
/// 31 January +1m is 28 or 29 February). Relative to the day `now` falls on in `zone`. Throws
/// pm::Error naming `what` and the accepted forms.
Date parse_date_expression(std::string_view text, Instant now, Zone zone, std::string_view what);

/// A day (as parse_date_expression) or a period: this week, last week, next week (ISO weeks,
/// Monday to Sunday), this month, last month, next month. For --since/--until: a period's
/// first day starts it, its last day ends it.
DayRange parse_day_range(std::string_view text, Instant now, Zone zone, std::string_view what);

/// An instant with an offset (2026-11-19T15:00+03:00), or the start (in `zone`) of the day
/// parse_date_expression reads.
Instant parse_instant_expression(std::string_view text, Instant now, Zone zone,
                                 std::string_view what);

/// Where a listing's --since starts: an instant with an offset, or the start of the first day
/// of what parse_day_range reads ("last week": its Monday).
Instant parse_since_expression(std::string_view text, Instant now, Zone zone,
                               std::string_view what);

class Calendar;
/// As parse_date_expression, and spans counted from today, with or without a sign: 3wd (3
/// working days on `calendar`, whose zone says what today is), 7d, 2w, 1m, or 7 (days). For
/// --in, --due-within and the like.
Date parse_date_on_calendar(std::string_view text, Instant now, const Calendar& calendar,
                            std::string_view what);

}  // namespace pm
