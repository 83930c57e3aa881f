#pragma once
// The project's regular meetings (`meetings:` in project.yaml): "weekly on Tuesday at 11:00",
// and the next one after a given instant, in the project's zone. The fields are what an
// iCalendar RRULE needs (FREQ, INTERVAL, BYDAY, DTSTART's local time, DURATION).
#include <optional>
#include <string>
#include <vector>

#include <date/date.h>

#include "pm/time/time.hpp"

namespace pm {

struct MeetingSchedule {
  enum class Frequency { weekly, monthly };
  std::string title;                     ///< "Weekly sync"
  Frequency frequency = Frequency::weekly;
  int interval = 1;                      ///< every N weeks or months
  date::weekday weekday = date::Tuesday; ///< weekly: that day; monthly: its first in the month
  int hour = 11;                         ///< local time in the project's zone
  int minute = 0;
  int duration_minutes = 60;
  /// The first meeting's day (YYYY-MM-DD), or empty. It anchors "every 2 weeks" and no
  /// meeting comes before it; without it the weeks are counted from 1970-01-05 (a Monday).
  std::string from;
  /// What project.yaml says, as written, for writing it back: `every` and `day`.
  std::string every = "week";
  std::string day = "tue";
};

/// Reads `every`: "week", "2 weeks", "month", "3 months" (and "weekly", "monthly"). Sets
/// frequency and interval; false when it is none of these.
bool parse_every(const std::string& text, MeetingSchedule& schedule);
/// The weekday of "mon" … "sun"; nullopt for anything else.
std::optional<date::weekday> parse_weekday(const std::string& text);

/// The start of the first meeting of `schedule` strictly after `after`, in `zone`. A local
/// time that a clock change skips moves forward by the gap; one that repeats is the earlier.
/// Days off are not skipped: a meeting on a holiday is still where the schedule puts it.
Instant next_occurrence(const MeetingSchedule& schedule, Instant after, Zone zone);

/// The first meeting after `after` among `schedules`, with the schedule it belongs to; nullopt
/// when there are none.
struct NextMeeting {
  const MeetingSchedule* schedule;
  Instant at;
};
std::optional<NextMeeting> next_meeting(const std::vector<MeetingSchedule>& schedules,
                                        Instant after, Zone zone);

/// A local wall-clock time in `zone` as an instant (a skipped time moves forward by the gap,
/// a repeated one is the earlier).
Instant local_instant(date::local_seconds local, Zone zone);

}  // namespace pm
