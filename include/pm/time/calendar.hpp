#pragma once
// A working calendar: which days are working days (the week's working days, public holidays,
// days off and working days moved by decree) and the working hours of a day, in a time zone.
// Every "N working days/hours" of pm is counted here (docs/calendar.md).
#include <array>
#include <chrono>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "pm/time/time.hpp"

namespace pm {

/// A day that is not what its weekday says, or a holiday, with why.
struct SpecialDay {
  enum Kind {
    holiday,      ///< a public holiday (non-working)
    day_off,      ///< a day off moved here from a holiday on a weekend (non-working)
    working_day,  ///< a working day moved here, usually a Saturday (working)
  };
  Date day;
  Kind kind = holiday;
  std::string why;  ///< "New Year holidays", "day off moved from 2025-01-04", ...
  bool working() const { return kind == working_day; }
};

/// What a date is, and why.
struct DayInfo {
  bool working = false;
  bool weekend = false;  ///< its weekday is not a working one
  const SpecialDay* special = nullptr;
};

/// The largest N of "N working days" (about 400 years) and of working hours: more is a typo.
inline constexpr int k_max_working_days = 100000;
inline constexpr long long k_max_working_hours = 1000000;

class Calendar {
 public:
  /// `weekdays`: which days of the week work, [0] Sunday ... [6] Saturday (at least one);
  /// the working day runs from `start` to `end` (local time of day, start < end) in `zone`.
  Calendar(std::array<bool, 7> weekdays, std::chrono::minutes start, std::chrono::minutes end,
           Zone zone);
  /// Monday to Friday, 09:00 to 18:00.
  explicit Calendar(Zone zone);

  /// Marks `day` (replacing what an earlier call said of it).
  void set(const SpecialDay& day);
  void set_all(const std::vector<SpecialDay>& days);

  bool is_working_day(Date day) const;
  DayInfo info(Date day) const;
  /// The special days from `from` to `to`, both included, in order.
  std::vector<SpecialDay> special_days(Date from, Date to) const;

  /// The `n`th working day after `from` (before it when `n` < 0); `from` itself for 0.
  /// Throws pm::Error when |n| > k_max_working_days.
  Date add_working_days(Date from, int n) const;
  /// Working days in (a, b] when a <= b; minus those in [b, a) when b < a. So
  /// working_days_between(a, add_working_days(a, n)) == n.
  int working_days_between(Date a, Date b) const;

  /// The instant `amount` of working time after `from` (before it when negative). A result
  /// that falls on the end of a working day is that end (18:00), not the next day's start.
  Instant add_working_time(Instant from, std::chrono::seconds amount) const;
  Instant add_working_hours(Instant from, int hours) const;
  /// Working time from `a` to `b`, negative when b < a.
  std::chrono::seconds working_time_between(Instant a, Instant b) const;
  /// Whole working hours from `a` to `b` (rounded towards zero).
  long long working_hours_between(Instant a, Instant b) const;

  /// The working hours of `day` as instants (empty span when it is not a working day).
  std::pair<Instant, Instant> working_hours_of(Date day) const;

  Zone zone() const { return m_zone; }

 private:
  const SpecialDay* find(Date day) const;
  std::array<bool, 7> m_weekdays;
  std::chrono::minutes m_start;
  std::chrono::minutes m_end;
  Zone m_zone;
  std::vector<SpecialDay> m_special;  ///< sorted by day, one per day
};

/// The built-in calendars: "ru" (the Russian production calendar, 2025-2027).
const std::vector<SpecialDay>& russian_calendar();
/// The years the built-in Russian calendar covers (first, last).
std::pair<int, int> russian_calendar_years();

/// Whether `zone` is one of Russia's (Europe/Moscow, Asia/Yekaterinburg, ...).
bool is_russian_zone(std::string_view zone);

/// The all-day events of an iCalendar file (RFC 5545) as holidays, each day of a multi-day
/// event, yearly rules expanded up to 2100. `name` names the file in errors. Throws pm::Error
/// (one line, what is wrong and how to fix it) for a file that is not iCalendar.
std::vector<SpecialDay> parse_ics_holidays(std::string_view text, const std::string& name);
/// Reads and parses `file` (at most 8 MiB of UTF-8).
std::vector<SpecialDay> read_ics_holidays(const std::filesystem::path& file);

}  // namespace pm
