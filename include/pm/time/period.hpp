#pragma once
// Report periods: ISO weeks or ranges of days, taken in the project's time zone and turned into
// half-open UTC ranges [from, until) that the ledger's indexes answer directly.
#include <string>
#include <string_view>
#include <vector>

#include "pm/time/time.hpp"

namespace pm {

struct Period {
  Date first{};      ///< first local day
  Date last{};       ///< last local day, inclusive
  Instant from{};    ///< the start of `first` in the zone (inclusive)
  Instant until{};   ///< the start of the day after `last` (exclusive)
  std::string week;  ///< "2026-W47" when the period is one ISO week, else empty
};

/// What the command line asked for: `--week` ("2026-W47", "this", "last") or
/// `--since DATE [--until DATE]`. Both empty: this week.
struct PeriodSpec {
  std::string week;
  std::string since;  ///< YYYY-MM-DD
  std::string until;  ///< YYYY-MM-DD, inclusive; empty: today
};

/// `days` days after (or before, when negative) `day`.
Date add_days(Date day, int days);

/// The local days first..last in `zone`; throws pm::Error when `last` is before `first`.
Period day_period(Date first, Date last, Zone zone);
/// ISO week `week` of ISO year `year` (Monday to Sunday); throws pm::Error when that year has
/// no such week (2026 has 53, 2027 has 52).
Period iso_week_period(int year, int week, Zone zone);
/// "2026-W47", "this" or "last", relative to `now` in `zone`.
Period parse_week(std::string_view spec, Instant now, Zone zone);
/// The period `spec` names; errors name the option at fault.
Period resolve_period(const PeriodSpec& spec, Instant now, Zone zone);

/// The calendar month `month` (1-12) of `year`, first to last day.
Period month_period(int year, unsigned month, Zone zone);
/// The last whole month before the one `now` falls in (in `zone`).
Period last_month(Instant now, Zone zone);
/// `--period`: a month ("2026-11"), a quarter ("2026-Q4"), an ISO week ("2026-W47"), or
/// the one `now` falls in ("week", "month", "quarter", whole) or the one before it
/// ("last-week", "last-month", "last-quarter"); errors name the option.
Period parse_period(std::string_view spec, Instant now, Zone zone);

/// The local day of ledger times (the text format_utc writes) within `period`, found by
/// comparing the text with each day's end: no parsing and no time-zone lookup per time, for a
/// report that dates thousands of entries. A time outside the period is converted as usual.
class PeriodDays {
 public:
  PeriodDays(const Period& period, Zone zone);
  Date day_of(std::string_view utc) const;

 private:
  Date m_first;
  Zone m_zone;
  std::string m_from;
  std::vector<std::string> m_ends;  ///< [i]: the first instant after day m_first + i
};

/// "2026-W47": the ISO week holding `day`.
std::string iso_week_name(Date day);
/// "18 November", "18 ноября": a day of the month, without the year.
std::string day_month(Date day, std::string_view language);
/// "16–22 November 2026", "30 November – 6 December 2026", "16–22 ноября 2026 г.".
std::string period_label(const Period& period, std::string_view language);
/// "November 2026", "ноябрь 2026 г." for a whole calendar month; period_label otherwise.
std::string month_label(const Period& period, std::string_view language);

}  // namespace pm
