#include "pm/domain/meeting_schedule.hpp"

#include <charconv>

#include "pm/time/zone.hpp"

namespace pm {

namespace {

/// The Monday weeks are counted from when a schedule has no `from`.
constexpr date::sys_days k_week_epoch{date::year{1970} / date::January / 5};

/// The first day on or after `day` that falls on `wd`.
date::sys_days on_or_after(date::sys_days day, date::weekday wd) {
  return day + (wd - date::weekday{day});
}

}  // namespace

bool parse_every(const std::string& text, MeetingSchedule& schedule) {
  std::string unit = text;
  int interval = 1;
  if (auto space = text.find(' '); space != std::string::npos) {
    const std::string number = text.substr(0, space);
    auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), interval);
    if (ec != std::errc() || end != number.data() + number.size() || interval < 1 ||
        interval > 52) {
      return false;
    }
    unit = text.substr(space + 1);
    if (interval > 1) {
      if (unit == "weeks") {
        unit = "week";
      } else if (unit == "months") {
        unit = "month";
      } else {
        return false;
      }
    }
  }
  if (unit == "week" || unit == "weekly") {
    schedule.frequency = MeetingSchedule::Frequency::weekly;
  } else if ((unit == "month" || unit == "monthly") && interval <= 12) {
    schedule.frequency = MeetingSchedule::Frequency::monthly;
  } else {
    return false;
  }
  schedule.interval = interval;
  return true;
}

std::optional<date::weekday> parse_weekday(const std::string& text) {
  static const char* const k_days[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};
  for (unsigned i = 0; i < 7; ++i) {
    if (text == k_days[i]) {
      return date::weekday{i};
    }
  }
  return std::nullopt;
}

Instant local_instant(date::local_seconds local, Zone zone) {
  // A skipped time (02:30 the night clocks go forward) takes the offset before the gap, so it
  // falls an hour later (03:30), as calendars do; a repeated one takes the earlier span.
  const LocalSpans spans = zone->spans_at(local);
  return Instant{(local - spans.first.offset).time_since_epoch()};
}

Instant next_occurrence(const MeetingSchedule& s, Instant after, Zone zone) {
  const auto time_of_day = std::chrono::hours{s.hour} + std::chrono::minutes{s.minute};
  auto at = [&](date::sys_days day) {
    return local_instant(date::local_seconds{date::local_days{day.time_since_epoch()}} +
                             time_of_day,
                         zone);
  };
  date::sys_days start = date::sys_days{local_date(after, zone)} - date::days{1};
  std::optional<date::sys_days> first;
  if (!s.from.empty()) {
    first = date::sys_days{parse_date(s.from, "meetings[].from")};
    if (*first > start) {
      start = *first;
    }
  }
  if (s.frequency == MeetingSchedule::Frequency::weekly) {
    // The schedule's weeks: those a whole number of intervals from the anchor's week.
    date::sys_days anchor = first ? on_or_after(*first, s.weekday)
                                  : on_or_after(k_week_epoch, s.weekday);
    date::sys_days day = on_or_after(start, s.weekday);
    const long period = 7L * s.interval;
    long offset = ((day - anchor).count() % period + period) % period;
    if (offset != 0) {
      day += date::days{period - offset};
    }
    while (at(day) <= after) {
      day += date::days{period};
    }
    return at(day);
  }
  // Monthly: the first such weekday of every interval-th month, counted from the anchor's.
  date::year_month anchor_month =
      first ? date::year_month{date::year_month_day{*first}.year(),
                               date::year_month_day{*first}.month()}
            : date::year_month{date::year{1970}, date::January};
  date::year_month_day start_day{start};
  date::year_month month{start_day.year(), start_day.month()};
  long offset = ((month - anchor_month).count() % s.interval + s.interval) % s.interval;
  if (offset != 0) {
    month += date::months{s.interval - offset};
  }
  for (;;) {
    date::sys_days day{month / date::weekday_indexed{s.weekday, 1}};
    if ((!first || day >= *first) && at(day) > after) {
      return at(day);
    }
    month += date::months{s.interval};
  }
}

std::optional<NextMeeting> next_meeting(const std::vector<MeetingSchedule>& schedules,
                                        Instant after, Zone zone) {
  std::optional<NextMeeting> best;
  for (const auto& s : schedules) {
    Instant when = next_occurrence(s, after, zone);
    if (!best || when < best->at) {
      best = NextMeeting{&s, when};
    }
  }
  return best;
}

}  // namespace pm
