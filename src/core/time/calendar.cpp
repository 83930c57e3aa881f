// Working-day and working-hour arithmetic over a week pattern plus a sorted vector of special
// days: one binary search a day, a day at a time (N is bounded, so no loop runs long).
#include "pm/time/calendar.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "pm/time/zone.hpp"
#include "pm/util/error.hpp"

namespace pm {

using std::chrono::minutes;
using std::chrono::seconds;

namespace {

date::sys_days days_of(Date day) { return date::sys_days{day}; }

Date next(Date day, int step) { return Date{days_of(day) + date::days{step}}; }

/// The instant of local time `at` on `day` in `zone`: in a skipped hour the first instant after
/// the gap, in a repeated hour the earlier one.
Instant local_instant(Date day, minutes at, Zone zone) {
  date::local_seconds local{date::local_days{day} + at};
  LocalSpans spans = zone->spans_at(local);
  if (spans.result == LocalSpans::nonexistent) {
    return spans.second.begin;
  }
  return Instant{(local - spans.first.offset).time_since_epoch()};
}

}  // namespace

Calendar::Calendar(std::array<bool, 7> weekdays, minutes start, minutes end, Zone zone)
    : m_weekdays(weekdays), m_start(start), m_end(end), m_zone(zone) {
  if (std::none_of(weekdays.begin(), weekdays.end(), [](bool b) { return b; })) {
    throw Error("working_days is empty: no day would ever be a working day; list at least one, "
                "e.g. working_days: [mon, tue, wed, thu, fri]");
  }
  if (!(start < end) || start < minutes{0} || end > minutes{24 * 60}) {
    throw Error("working_hours: the day must end after it starts, e.g. {start: \"09:00\", end: "
                "\"18:00\"}");
  }
}

Calendar::Calendar(Zone zone)
    : Calendar({false, true, true, true, true, true, false}, minutes{9 * 60}, minutes{18 * 60},
               zone) {}

void Calendar::set(const SpecialDay& day) {
  auto it = std::lower_bound(m_special.begin(), m_special.end(), day.day,
                             [](const SpecialDay& s, Date d) { return s.day < d; });
  if (it != m_special.end() && it->day == day.day) {
    *it = day;
  } else {
    m_special.insert(it, day);
  }
}

void Calendar::set_all(const std::vector<SpecialDay>& days) {
  for (const auto& d : days) {
    set(d);
  }
}

const SpecialDay* Calendar::find(Date day) const {
  auto it = std::lower_bound(m_special.begin(), m_special.end(), day,
                             [](const SpecialDay& s, Date d) { return s.day < d; });
  return it != m_special.end() && it->day == day ? &*it : nullptr;
}

DayInfo Calendar::info(Date day) const {
  DayInfo out;
  out.weekend = !m_weekdays[date::weekday{days_of(day)}.c_encoding()];
  out.special = find(day);
  out.working = out.special != nullptr ? out.special->working() : !out.weekend;
  return out;
}

bool Calendar::is_working_day(Date day) const { return info(day).working; }

std::vector<SpecialDay> Calendar::special_days(Date from, Date to) const {
  auto lo = std::lower_bound(m_special.begin(), m_special.end(), from,
                             [](const SpecialDay& s, Date d) { return s.day < d; });
  std::vector<SpecialDay> out;
  for (; lo != m_special.end() && lo->day <= to; ++lo) {
    out.push_back(*lo);
  }
  return out;
}

Date Calendar::add_working_days(Date from, int n) const {
  if (n > k_max_working_days || n < -k_max_working_days) {
    throw Error(fmt::format("{} working days is more than pm counts ({}); surely a typo", n,
                            k_max_working_days));
  }
  const int step = n < 0 ? -1 : 1;
  Date day = from;
  for (int left = n < 0 ? -n : n; left > 0;) {
    day = next(day, step);
    if (is_working_day(day)) {
      --left;
    }
  }
  return day;
}

int Calendar::working_days_between(Date a, Date b) const {
  if (b < a) {
    // [b, a): the same days as (b - 1, a - 1].
    return -working_days_between(next(b, -1), next(a, -1));
  }
  if ((days_of(b) - days_of(a)).count() > 2 * static_cast<long>(k_max_working_days)) {
    throw Error(fmt::format("{} to {}: a span of more than {} days is more than pm counts",
                            format_date(a), format_date(b), 2 * k_max_working_days));
  }
  int count = 0;
  for (Date day = next(a, 1); day <= b; day = next(day, 1)) {
    count += is_working_day(day) ? 1 : 0;
  }
  return count;
}

std::pair<Instant, Instant> Calendar::working_hours_of(Date day) const {
  if (!is_working_day(day)) {
    Instant at = local_instant(day, m_start, m_zone);
    return {at, at};
  }
  return {local_instant(day, m_start, m_zone), local_instant(day, m_end, m_zone)};
}

Instant Calendar::add_working_time(Instant from, seconds amount) const {
  if (amount > std::chrono::hours{k_max_working_hours} ||
      amount < -std::chrono::hours{k_max_working_hours}) {
    throw Error(fmt::format("{} working hours is more than pm counts ({}); surely a typo",
                            amount.count() / 3600, k_max_working_hours));
  }
  Date day = local_date(from, m_zone);
  Instant at = from;
  if (amount >= seconds{0}) {
    seconds left = amount;
    // The day before too: a working day's end may fall on the next local date in no zone,
    // but `from` may sit in a repeated hour; starting one day early costs nothing.
    for (day = next(day, -1); left > seconds{0}; day = next(day, 1)) {
      auto [start, end] = working_hours_of(day);
      if (end <= at) {
        continue;
      }
      at = std::max(at, start);
      if (left <= end - at) {
        return at + left;
      }
      left -= end - at;
      at = end;
    }
    return at;
  }
  seconds left = -amount;
  for (day = next(day, 1); left > seconds{0}; day = next(day, -1)) {
    auto [start, end] = working_hours_of(day);
    if (start >= at) {
      continue;
    }
    at = std::min(at, end);
    if (left <= at - start) {
      return at - left;
    }
    left -= at - start;
    at = start;
  }
  return at;
}

Instant Calendar::add_working_hours(Instant from, int hours) const {
  return add_working_time(from, std::chrono::hours{hours});
}

seconds Calendar::working_time_between(Instant a, Instant b) const {
  if (b < a) {
    return -working_time_between(b, a);
  }
  Date first = next(local_date(a, m_zone), -1);
  Date last = next(local_date(b, m_zone), 1);
  if ((days_of(last) - days_of(first)).count() > 2 * static_cast<long>(k_max_working_days)) {
    throw Error("a span of more than 200000 days is more than pm counts");
  }
  seconds total{0};
  for (Date day = first; day <= last; day = next(day, 1)) {
    auto [start, end] = working_hours_of(day);
    Instant lo = std::max(start, a);
    Instant hi = std::min(end, b);
    if (lo < hi) {
      total += hi - lo;
    }
  }
  return total;
}

long long Calendar::working_hours_between(Instant a, Instant b) const {
  return working_time_between(a, b).count() / 3600;
}

}  // namespace pm
