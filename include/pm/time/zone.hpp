#pragma once
// An IANA time zone read from its TZif file (RFC 8536) in the system's zoneinfo directory.
// pm looks a zone up by opening that one file: date's tz database listed all of
// /usr/share/zoneinfo (about 700 stat calls) before answering, in every command, and its
// shared library kept libstdc++ shared too (docs/performance.md).
#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include <date/date.h>

namespace pm {

/// A stretch of time with one UTC offset (date::sys_info's counterpart).
struct ZoneSpan {
  std::chrono::sys_seconds begin;  ///< inclusive
  std::chrono::sys_seconds end;    ///< exclusive
  std::chrono::seconds offset{0};  ///< local time minus UTC
  bool dst = false;
  std::string abbrev;
};

/// How a local time maps to UTC (date::local_info's counterpart).
struct LocalSpans {
  enum Result { unique, nonexistent, ambiguous };
  Result result = unique;
  ZoneSpan first;   ///< unique: its span; ambiguous: the earlier one; nonexistent: before the gap
  ZoneSpan second;  ///< ambiguous: the later span; nonexistent: the span after the gap
};

class TimeZone {
 public:
  /// Parses TZif data (versions 1 to 4); throws std::runtime_error when it is malformed.
  TimeZone(std::string name, std::string_view tzif);

  const std::string& name() const { return m_name; }
  /// The span holding `when`.
  ZoneSpan span_at(std::chrono::sys_seconds when) const;
  /// The spans a local time falls in: one, two (a repeated hour) or none (a skipped hour).
  LocalSpans spans_at(date::local_seconds local) const;

  /// A time type of the file: offset, daylight saving, abbreviation.
  struct Type {
    std::chrono::seconds offset{0};
    bool dst = false;
    std::string abbrev;
  };
  /// The file's footer (a POSIX TZ string), when it has daylight saving rules.
  struct Rule {
    enum Kind { julian_no_leap, julian_zero, month_week_day };
    Kind kind = month_week_day;
    int day = 0;    ///< Jn: 1-365; n: 0-365; Mm.w.d: the weekday d (0 = Sunday)
    int month = 0;  ///< Mm.w.d
    int week = 0;   ///< Mm.w.d: 1-5, 5 = the last
    std::chrono::seconds time{7200};  ///< local time of day of the change (may be < 0 or > 24h)
  };

 private:
  struct Transition {
    std::chrono::sys_seconds at;
    std::size_t type;
  };
  struct Event {
    std::chrono::sys_seconds at;
    bool dst;
  };
  ZoneSpan span_of(std::size_t transition) const;
  ZoneSpan footer_span(std::chrono::sys_seconds when) const;
  std::vector<Event> footer_events(int from_year, int to_year) const;

  std::string m_name;
  std::vector<Type> m_types;
  std::vector<Transition> m_transitions;  ///< the first at the beginning of time
  bool m_has_rules = false;               ///< the footer has daylight saving rules
  Type m_std;
  Type m_dst;
  Rule m_start;
  Rule m_end;
};

}  // namespace pm
