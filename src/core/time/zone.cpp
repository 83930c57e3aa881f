// A time zone from its TZif file (RFC 8536): transitions, and the POSIX TZ rule after the
// last one. Over 400 lines because the format and the rule grammar are one job: reading what
// the zone file says, checked against the date library for every system zone in a test.
#include "pm/time/zone.hpp"

#include <algorithm>
#include <cstdint>
#include <stdexcept>

namespace pm {

using std::chrono::seconds;
using std::chrono::sys_seconds;

namespace {

// The ends of time as date's tz database had them: spans before the first transition begin,
// and spans after the last one end, here.
const sys_seconds k_min{date::sys_days{date::year{-32767} / 1 / 1}};
const sys_seconds k_max{date::sys_days{date::year{32767} / 12 / 31}};

/// Reads TZif's big-endian integers, refusing to run past the end.
class Reader {
 public:
  explicit Reader(std::string_view data) : m_data(data) {}
  std::int64_t integer(std::size_t bytes) {
    need(bytes);
    std::uint64_t value = 0;
    for (std::size_t i = 0; i < bytes; ++i) {
      value = value << 8 | static_cast<unsigned char>(m_data[m_at + i]);
    }
    m_at += bytes;
    if (bytes < 8 && (value >> (bytes * 8 - 1)) != 0) {
      value |= ~std::uint64_t{0} << (bytes * 8);  // sign-extend
    }
    return static_cast<std::int64_t>(value);
  }
  std::uint8_t byte() { return static_cast<std::uint8_t>(integer(1) & 0xFF); }
  std::string_view take(std::size_t bytes) {
    need(bytes);
    std::string_view out = m_data.substr(m_at, bytes);
    m_at += bytes;
    return out;
  }
  void skip(std::size_t bytes) { take(bytes); }
  std::string_view rest() const { return m_data.substr(m_at); }

 private:
  void need(std::size_t bytes) const {
    if (m_data.size() - m_at < bytes) {
      throw std::runtime_error("truncated TZif data");
    }
  }
  std::string_view m_data;
  std::size_t m_at = 0;
};

struct Counts {
  std::size_t isut, isstd, leap, time, type, chars;
};

Counts header(Reader& in, char& version) {
  if (in.take(4) != "TZif") {
    throw std::runtime_error("not a TZif file");
  }
  version = static_cast<char>(in.byte());
  in.skip(15);
  Counts c{};
  for (std::size_t* n : {&c.isut, &c.isstd, &c.leap, &c.time, &c.type, &c.chars}) {
    std::int64_t value = in.integer(4);
    if (value < 0 || value > (1 << 20)) {
      throw std::runtime_error("bad TZif header");
    }
    *n = static_cast<std::size_t>(value);
  }
  if (c.type == 0 || c.chars == 0) {
    throw std::runtime_error("bad TZif header");
  }
  return c;
}

// --- POSIX TZ strings (the footer: rules after the last transition) -----------------------

class TzString {
 public:
  explicit TzString(std::string_view text) : m_text(text) {}
  bool done() const { return m_at == m_text.size(); }
  bool eat(char c) {
    if (m_at < m_text.size() && m_text[m_at] == c) {
      ++m_at;
      return true;
    }
    return false;
  }
  char peek() const { return m_at < m_text.size() ? m_text[m_at] : '\0'; }
  std::string name() {
    std::string out;
    if (eat('<')) {
      while (m_at < m_text.size() && m_text[m_at] != '>') {
        out += m_text[m_at++];
      }
      if (!eat('>')) {
        throw std::runtime_error("bad TZ string");
      }
    } else {
      while (m_at < m_text.size() && ((m_text[m_at] >= 'A' && m_text[m_at] <= 'Z') ||
                                      (m_text[m_at] >= 'a' && m_text[m_at] <= 'z'))) {
        out += m_text[m_at++];
      }
    }
    if (out.size() < 3) {
      throw std::runtime_error("bad TZ string");
    }
    return out;
  }
  int number(int max) {
    if (peek() < '0' || peek() > '9') {
      throw std::runtime_error("bad TZ string");
    }
    int value = 0;
    while (peek() >= '0' && peek() <= '9') {
      value = value * 10 + (m_text[m_at++] - '0');
      if (value > max) {
        throw std::runtime_error("bad TZ string");
      }
    }
    return value;
  }
  /// [+-]hh[:mm[:ss]]
  seconds duration(int max_hours) {
    int sign = 1;
    if (eat('-')) {
      sign = -1;
    } else {
      eat('+');
    }
    long long total = number(max_hours) * 3600LL;
    if (eat(':')) {
      total += number(59) * 60LL;
      if (eat(':')) {
        total += number(59);
      }
    }
    return seconds{sign * total};
  }
  TimeZone::Rule rule() {
    TimeZone::Rule r;
    if (eat('J')) {
      r.kind = TimeZone::Rule::julian_no_leap;
      r.day = number(365);
      if (r.day < 1) {
        throw std::runtime_error("bad TZ string");
      }
    } else if (eat('M')) {
      r.kind = TimeZone::Rule::month_week_day;
      r.month = number(12);
      if (r.month < 1 || !eat('.')) {
        throw std::runtime_error("bad TZ string");
      }
      r.week = number(5);
      if (r.week < 1 || !eat('.')) {
        throw std::runtime_error("bad TZ string");
      }
      r.day = number(6);
    } else {
      r.kind = TimeZone::Rule::julian_zero;
      r.day = number(365);
    }
    if (eat('/')) {
      r.time = duration(167);
    }
    return r;
  }

 private:
  std::string_view m_text;
  std::size_t m_at = 0;
};

/// The local day a rule falls on in `year`.
date::local_days rule_day(const TimeZone::Rule& r, int year) {
  using namespace date;
  const class year y{year};
  switch (r.kind) {
    case TimeZone::Rule::julian_no_leap: {
      // Day 1-365, February 29 never counted.
      local_days day = local_days{y / January / 1} + days{r.day - 1};
      return y.is_leap() && r.day >= 60 ? day + days{1} : day;
    }
    case TimeZone::Rule::julian_zero:
      return local_days{y / January / 1} + days{r.day};
    case TimeZone::Rule::month_week_day:
      break;
  }
  month m{static_cast<unsigned>(r.month)};
  weekday wd{static_cast<unsigned>(r.day)};
  if (r.week == 5) {
    return local_days{y / m / wd[last]};
  }
  return local_days{y / m / wd[static_cast<unsigned>(r.week)]};
}

bool same(const TimeZone::Type& a, const TimeZone::Type& b) {
  return a.offset == b.offset && a.dst == b.dst && a.abbrev == b.abbrev;
}

}  // namespace

TimeZone::TimeZone(std::string name, std::string_view tzif) : m_name(std::move(name)) {
  Reader in(tzif);
  char version = 0;
  Counts c = header(in, version);
  std::size_t time_size = 4;
  if (version != '\0') {
    // Skip the 32-bit block: the 64-bit one after it says the same, for all of time.
    in.skip(c.time * 5 + c.type * 6 + c.chars + c.leap * 8 + c.isstd + c.isut);
    char again = 0;
    c = header(in, again);
    time_size = 8;
  }
  std::vector<std::int64_t> times(c.time);
  for (auto& t : times) {
    t = in.integer(time_size);
  }
  std::vector<std::size_t> indices(c.time);
  for (auto& i : indices) {
    i = in.byte();
    if (i >= c.type) {
      throw std::runtime_error("bad TZif type index");
    }
  }
  struct Raw {
    std::int64_t offset;
    bool dst;
    std::size_t abbrev;
  };
  std::vector<Raw> raw(c.type);
  for (auto& r : raw) {
    r.offset = in.integer(4);
    r.dst = in.byte() != 0;
    r.abbrev = in.byte();
    if (r.abbrev >= c.chars) {
      throw std::runtime_error("bad TZif abbreviation index");
    }
  }
  std::string_view chars = in.take(c.chars);
  in.skip(c.leap * (time_size + 4) + c.isstd + c.isut);
  for (const auto& r : raw) {
    std::string_view abbrev = chars.substr(r.abbrev);
    m_types.push_back({seconds{r.offset}, r.dst, std::string(abbrev.substr(0, abbrev.find('\0')))});
  }
  // Before the first transition: the first standard-time type, as date's tz database had it
  // (zic writes it first).
  std::size_t initial = 0;
  for (std::size_t i = 0; i < m_types.size(); ++i) {
    if (!m_types[i].dst) {
      initial = i;
      break;
    }
  }
  m_transitions.push_back({k_min, initial});
  for (std::size_t i = 0; i < times.size(); ++i) {
    sys_seconds at{seconds{times[i]}};
    if (at <= m_transitions.back().at) {
      throw std::runtime_error("TZif transitions out of order");
    }
    // A transition to the same offset, kind and name changes nothing: merged.
    if (!same(m_types[indices[i]], m_types[m_transitions.back().type])) {
      m_transitions.push_back({at, indices[i]});
    }
  }
  if (version != '\0') {
    std::string_view rest = in.rest();
    if (rest.size() >= 2 && rest[0] == '\n') {
      std::size_t eol = rest.find('\n', 1);
      if (eol != std::string_view::npos) {
        TzString tz(rest.substr(1, eol - 1));
        try {
          if (!tz.done()) {
            m_std.abbrev = tz.name();
            m_std.offset = -tz.duration(24);
            if (!tz.done()) {
              m_dst.abbrev = tz.name();
              m_dst.dst = true;
              m_dst.offset = tz.peek() == ',' ? m_std.offset + std::chrono::hours{1}
                                              : -tz.duration(24);
              if (tz.eat(',')) {
                m_start = tz.rule();
                if (tz.eat(',')) {
                  m_end = tz.rule();
                  m_has_rules = tz.done();
                }
              }
            }
          }
        } catch (const std::runtime_error&) {
          m_has_rules = false;  // a footer this reader does not follow: the last type holds
        }
      }
    }
  }
}

std::vector<TimeZone::Event> TimeZone::footer_events(int from_year, int to_year) const {
  std::vector<Event> events;
  for (int year = from_year; year <= to_year; ++year) {
    // Each change is given in the local time in force before it.
    events.push_back({sys_seconds{(rule_day(m_start, year) + m_start.time - m_std.offset)
                                      .time_since_epoch()},
                      true});
    events.push_back(
        {sys_seconds{(rule_day(m_end, year) + m_end.time - m_dst.offset).time_since_epoch()},
         false});
  }
  std::stable_sort(events.begin(), events.end(), [](const Event& a, const Event& b) {
    return a.at < b.at || (a.at == b.at && !a.dst && b.dst);
  });
  return events;
}

ZoneSpan TimeZone::footer_span(sys_seconds when) const {
  const Transition& last = m_transitions.back();
  int year = static_cast<int>(date::year_month_day{date::floor<date::days>(when)}.year());
  std::vector<Event> events = footer_events(year - 2, year + 2);
  // The last event at or before `when` says which half of the year it is in.
  auto after = std::upper_bound(events.begin(), events.end(), when,
                                [](sys_seconds t, const Event& e) { return t < e.at; });
  bool dst = after == events.begin() ? m_types[last.type].dst : after[-1].dst;
  ZoneSpan span;
  const Type& type = dst ? m_dst : m_std;
  span.offset = type.offset;
  span.dst = type.dst;
  span.abbrev = type.abbrev;
  // It began with the first of the events before it that agree with it (a repeated event
  // changes nothing), and not before the last transition of the table.
  auto first = after;
  while (first != events.begin() && first[-1].dst == dst) {
    --first;
  }
  span.begin = first != events.begin() && first != after ? std::max(last.at, first->at) : last.at;
  span.end = k_max;
  for (auto it = after; it != events.end(); ++it) {
    if (it->dst != dst) {
      span.end = it->at;
      break;
    }
  }
  return span;
}

ZoneSpan TimeZone::span_of(std::size_t i) const {
  const Type& type = m_types[m_transitions[i].type];
  ZoneSpan span{m_transitions[i].at, k_max, type.offset, type.dst, type.abbrev};
  if (i + 1 < m_transitions.size()) {
    span.end = m_transitions[i + 1].at;
  } else if (m_has_rules) {
    span.end = footer_span(span.begin).end;
  }
  return span;
}

ZoneSpan TimeZone::span_at(sys_seconds when) const {
  auto next = std::upper_bound(m_transitions.begin(), m_transitions.end(), when,
                               [](sys_seconds t, const Transition& tr) { return t < tr.at; });
  if (next == m_transitions.begin()) {
    next = m_transitions.begin() + 1;  // before the beginning of time: the first span
  }
  std::size_t i = static_cast<std::size_t>(next - m_transitions.begin()) - 1;
  if (i + 1 == m_transitions.size() && m_has_rules) {
    return footer_span(when);
  }
  return span_of(i);
}

LocalSpans TimeZone::spans_at(date::local_seconds local) const {
  // Offsets stay within a day of UTC: the spans around `local` taken as UTC, two days each
  // way, hold every answer.
  const seconds window{2 * 86400};
  sys_seconds as_utc{local.time_since_epoch()};
  std::vector<ZoneSpan> spans;
  for (ZoneSpan span = span_at(as_utc - window);; span = span_at(span.end)) {
    spans.push_back(span);
    if (span.end >= as_utc + window || span.end >= k_max) {
      break;
    }
  }
  LocalSpans out;
  std::vector<const ZoneSpan*> holding;
  for (const auto& span : spans) {
    sys_seconds utc = as_utc - span.offset;
    if (utc >= span.begin && utc < span.end) {
      holding.push_back(&span);
    }
  }
  if (holding.size() == 1) {
    out.first = *holding[0];
    return out;
  }
  if (holding.size() >= 2) {
    out.result = LocalSpans::ambiguous;
    out.first = *holding[0];
    out.second = *holding[1];
    return out;
  }
  for (std::size_t i = 0; i + 1 < spans.size(); ++i) {
    // Skipped: clocks jumped from the end of one span in its offset to the next one's.
    if (as_utc >= spans[i].end + spans[i].offset && as_utc < spans[i + 1].begin + spans[i + 1].offset) {
      out.result = LocalSpans::nonexistent;
      out.first = spans[i];
      out.second = spans[i + 1];
      return out;
    }
  }
  out.first = spans.front();  // unreachable for a well-formed zone
  return out;
}

}  // namespace pm
