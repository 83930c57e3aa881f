#include "pm/time/date_expression.hpp"

#include <array>
#include <charconv>
#include <optional>
#include <string>

#include <fmt/format.h>

#include "pm/time/calendar.hpp"
#include "pm/time/period.hpp"
#include "pm/util/error.hpp"

namespace pm {

namespace {

/// A weekday's names, Monday first (date::weekday counts Sunday as 0).
struct WeekdayNames {
  unsigned iso;  ///< 1 = Monday ... 7 = Sunday
  std::array<std::string_view, 5> names;
};

const std::array<WeekdayNames, 7> k_weekdays = {{
    {1, {"monday", "mon", "понедельник", "пн", ""}},
    {2, {"tuesday", "tue", "вторник", "вт", ""}},
    {3, {"wednesday", "wed", "среда", "среду", "ср"}},
    {4, {"thursday", "thu", "четверг", "чт", ""}},
    {5, {"friday", "fri", "пятница", "пятницу", "пт"}},
    {6, {"saturday", "sat", "суббота", "субботу", "сб"}},
    {7, {"sunday", "sun", "воскресенье", "вс", ""}},
}};

/// `text` trimmed, with runs of spaces made one, ASCII and Cyrillic capitals made small:
/// "Last  Week" and "Пятница" are read like "last week" and "пятница".
std::string normalized(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == ' ' || c == '\t') {
      if (!out.empty() && out.back() != ' ') {
        out += ' ';
      }
      continue;
    }
    if (c >= 'A' && c <= 'Z') {
      out += static_cast<char>(c - 'A' + 'a');
    } else if (c == 0xD0 && i + 1 < text.size()) {
      // А..Я is D0 90..D0 AF; а..п is D0 B0..D0 BF, р..я is D1 80..D1 8F; Ё (D0 81) is ё (D1 91).
      unsigned char d = static_cast<unsigned char>(text[++i]);
      if (d >= 0x90 && d <= 0x9F) {
        out += '\xD0';
        out += static_cast<char>(d + 0x20);
      } else if (d >= 0xA0 && d <= 0xAF) {
        out += '\xD1';
        out += static_cast<char>(d - 0x20);
      } else if (d == 0x81) {
        out += "\xD1\x91";
      } else {
        out += '\xD0';
        out += static_cast<char>(d);
      }
    } else {
      out += static_cast<char>(c);
    }
  }
  if (!out.empty() && out.back() == ' ') {
    out.pop_back();
  }
  return out;
}

std::optional<unsigned> weekday_of(std::string_view word) {
  for (const auto& day : k_weekdays) {
    for (std::string_view name : day.names) {
      if (!name.empty() && name == word) {
        return day.iso;
      }
    }
  }
  return std::nullopt;
}

unsigned iso_weekday(Date day) { return date::weekday{date::sys_days{day}}.iso_encoding(); }

Date add_months(Date day, int months) {
  date::year_month ym = date::year_month{day.year(), day.month()} + date::months{months};
  Date out{ym.year(), ym.month(), day.day()};
  return out.ok() ? out : Date{date::year_month_day_last{ym.year(), date::month_day_last{ym.month()}}};
}

/// "+3d", "-2w", "+1m", "+1y": an offset from `today`; nullopt when `text` is not one.
std::optional<Date> offset_date(const std::string& text, Date today) {
  if (text.size() < 3 || (text[0] != '+' && text[0] != '-')) {
    return std::nullopt;
  }
  int count = 0;
  const char* begin = text.data() + 1;
  const char* end = text.data() + text.size() - 1;
  auto [ptr, ec] = std::from_chars(begin, end, count);
  if (ec != std::errc() || ptr != end || count < 0 || count > 100000) {
    return std::nullopt;
  }
  if (text[0] == '-') {
    count = -count;
  }
  switch (text.back()) {
    case 'd':
      return add_days(today, count);
    case 'w':
      return add_days(today, 7 * count);
    case 'm':
      return add_months(today, count);
    case 'y':
      return add_months(today, 12 * count);
    default:
      return std::nullopt;
  }
}

/// A single day, or nullopt when `text` (normalized) names none.
std::optional<Date> relative_day(const std::string& text, Date today) {
  if (text == "today" || text == "сегодня") {
    return today;
  }
  if (text == "yesterday" || text == "вчера") {
    return add_days(today, -1);
  }
  if (text == "tomorrow" || text == "завтра") {
    return add_days(today, 1);
  }
  if (auto day = offset_date(text, today)) {
    return day;
  }
  std::string_view word = text;
  int direction = 1;
  for (std::string_view prefix : {"next ", "следующий ", "следующую ", "следующее ", "в "}) {
    if (word.starts_with(prefix)) {
      word.remove_prefix(prefix.size());
    }
  }
  for (std::string_view prefix : {"last ", "прошлый ", "прошлую ", "прошлое "}) {
    if (word.starts_with(prefix)) {
      word.remove_prefix(prefix.size());
      direction = -1;
    }
  }
  auto wanted = weekday_of(word);
  if (!wanted) {
    return std::nullopt;
  }
  int now_day = static_cast<int>(iso_weekday(today));
  int target = static_cast<int>(*wanted);
  if (direction > 0) {
    // The next one after today: a week ahead when today is that day.
    int ahead = (target - now_day + 7) % 7;
    return add_days(today, ahead == 0 ? 7 : ahead);
  }
  int back = (now_day - target + 7) % 7;
  return add_days(today, back == 0 ? -7 : -back);
}

/// "this week", "last month", ...: nullopt when `text` (normalized) names no period.
std::optional<DayRange> relative_period(const std::string& text, Date today) {
  int shift = 0;
  std::string_view rest = text;
  struct Prefix {
    std::string_view text;
    int shift;
  };
  static const std::array<Prefix, 12> k_prefixes = {{{"this ", 0},
                                                     {"last ", -1},
                                                     {"next ", 1},
                                                     {"эта ", 0},
                                                     {"эту ", 0},
                                                     {"этот ", 0},
                                                     {"прошлая ", -1},
                                                     {"прошлую ", -1},
                                                     {"прошлый ", -1},
                                                     {"следующая ", 1},
                                                     {"следующую ", 1},
                                                     {"следующий ", 1}}};
  bool found = false;
  for (const auto& prefix : k_prefixes) {
    if (rest.starts_with(prefix.text)) {
      rest.remove_prefix(prefix.text.size());
      shift = prefix.shift;
      found = true;
      break;
    }
  }
  if (!found) {
    return std::nullopt;
  }
  if (rest == "week" || rest == "неделя" || rest == "неделю") {
    Date monday = add_days(today, 1 - static_cast<int>(iso_weekday(today)) + 7 * shift);
    return DayRange{monday, add_days(monday, 6)};
  }
  if (rest == "month" || rest == "месяц") {
    Date first = add_months(Date{today.year(), today.month(), date::day{1}}, shift);
    Date last{date::year_month_day_last{first.year(), date::month_day_last{first.month()}}};
    return DayRange{first, last};
  }
  return std::nullopt;
}

[[noreturn]] void unknown(std::string_view text, std::string_view what, bool periods) {
  throw Error(fmt::format(
      "{}: '{}' is not a date; write YYYY-MM-DD (2026-12-25), today, yesterday, tomorrow, a "
      "weekday (friday: the next one), +3d, -2w, +1m{}",
      what, text, periods ? ", this week, last week, this month or last month" : ""));
}

bool looks_iso(std::string_view text) {
  return text.size() >= 4 && text[0] >= '0' && text[0] <= '9' && text[1] >= '0' &&
         text[1] <= '9' && text[2] >= '0' && text[2] <= '9' && text[3] >= '0' && text[3] <= '9';
}

}  // namespace

Date parse_date_expression(std::string_view text, Instant now, Zone zone, std::string_view what) {
  if (looks_iso(text)) {
    return parse_date(text, what);  // its message names the ISO form
  }
  if (auto day = relative_day(normalized(text), local_date(now, zone))) {
    return *day;
  }
  unknown(text, what, false);
}

DayRange parse_day_range(std::string_view text, Instant now, Zone zone, std::string_view what) {
  if (looks_iso(text)) {
    Date day = parse_date(text, what);
    return {day, day};
  }
  std::string words = normalized(text);
  Date today = local_date(now, zone);
  if (auto day = relative_day(words, today)) {
    return {*day, *day};
  }
  if (auto period = relative_period(words, today)) {
    return *period;
  }
  unknown(text, what, true);
}

Instant parse_instant_expression(std::string_view text, Instant now, Zone zone,
                                 std::string_view what) {
  if (looks_iso(text) && text.size() > 10) {
    return parse_instant(text, what);
  }
  return start_of_day(parse_date_expression(text, now, zone, what), zone);
}

Instant parse_since_expression(std::string_view text, Instant now, Zone zone,
                               std::string_view what) {
  if (looks_iso(text) && text.size() > 10) {
    return parse_instant(text, what);
  }
  return start_of_day(parse_day_range(text, now, zone, what).first, zone);
}

Date parse_date_on_calendar(std::string_view text, Instant now, const Calendar& calendar,
                           std::string_view what) {
  std::string words = normalized(text);
  const Date today = local_date(now, calendar.zone());
  std::string_view span = words;
  int sign = 1;
  if (!span.empty() && (span.front() == '+' || span.front() == '-')) {
    sign = span.front() == '-' ? -1 : 1;
    span.remove_prefix(1);
  }
  // Digits and a unit: 3wd (working days), 7d, 2w, 1m, 1y, or digits alone (days).
  const std::size_t digits = span.find_first_not_of("0123456789");
  if (digits != 0 && !span.empty()) {
    std::string_view unit = digits == std::string_view::npos ? "d" : span.substr(digits);
    int count = 0;
    auto [ptr, ec] = std::from_chars(span.data(), span.data() + std::min(digits, span.size()),
                                     count);
    if (ec == std::errc() && count <= k_max_working_days) {
      if (unit == "wd" || unit == "рд") {
        return calendar.add_working_days(today, sign * count);
      }
      if (unit.size() == 1 && std::string_view("dwmy").find(unit) != std::string_view::npos) {
        return *offset_date(fmt::format("{}{}{}", sign < 0 ? '-' : '+', count, unit), today);
      }
    }
  }
  if (looks_iso(text)) {
    return parse_date(text, what);
  }
  if (auto day = relative_day(words, today)) {
    return *day;
  }
  throw Error(fmt::format(
      "{}: '{}' is neither a date nor a span; write YYYY-MM-DD, today, a weekday, 3wd (working "
      "days), 7d, 2w or 1m",
      what, text));
}

}  // namespace pm
