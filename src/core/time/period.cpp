#include "pm/time/period.hpp"

#include <algorithm>
#include <array>
#include <string>

#include <date/iso_week.h>
#include <fmt/format.h>

#include "pm/time/date_expression.hpp"
#include "pm/util/error.hpp"

namespace pm {

Date add_days(Date day, int days) { return Date{date::sys_days{day} + date::days{days}}; }

Period day_period(Date first, Date last, Zone zone) {
  if (date::sys_days{last} < date::sys_days{first}) {
    throw Error(fmt::format("the period ends ({}) before it starts ({}); swap the dates",
                            format_date(last), format_date(first)));
  }
  Period p;
  p.first = first;
  p.last = last;
  p.from = start_of_day(first, zone);
  p.until = start_of_day(add_days(last, 1), zone);
  return p;
}

PeriodDays::PeriodDays(const Period& period, Zone zone)
    : m_first(period.first), m_zone(zone), m_from(format_utc(period.from)) {
  for (Date day = period.first; date::sys_days{day} <= date::sys_days{period.last};
       day = add_days(day, 1)) {
    m_ends.push_back(format_utc(start_of_day(add_days(day, 1), zone)));
  }
}

Date PeriodDays::day_of(std::string_view utc) const {
  if (utc >= m_from) {
    // The first day that ends after the time holds it (the text sorts as the time does).
    auto end = std::upper_bound(m_ends.begin(), m_ends.end(), utc);
    if (end != m_ends.end()) {
      return add_days(m_first, static_cast<int>(end - m_ends.begin()));
    }
  }
  return local_date(parse_utc(utc), m_zone);
}

Period iso_week_period(int year, int week, Zone zone) {
  iso_week::year y{year};
  auto last_week = static_cast<int>(static_cast<unsigned>((y / iso_week::last).weeknum()));
  if (week < 1 || week > last_week) {
    throw Error(fmt::format("--week {:04}-W{:02}: {} has ISO weeks W01 to W{:02}", year, week,
                            year, last_week));
  }
  auto monday = date::sys_days{y / iso_week::weeknum{static_cast<unsigned>(week)} / iso_week::mon};
  Period p = day_period(Date{monday}, Date{monday + date::days{6}}, zone);
  p.week = iso_week_name(p.first);
  return p;
}

Period month_period(int year, unsigned month, Zone zone) {
  date::year_month ym{date::year{year}, date::month{month}};
  Date first = parse_date(fmt::format("{:04}-{:02}-01", year, month), "--period");
  return day_period(first, Date{ym / date::last}, zone);
}

Period last_month(Instant now, Zone zone) {
  Date today = local_date(now, zone);
  date::year_month previous = date::year_month{today.year(), today.month()} - date::months{1};
  return month_period(static_cast<int>(previous.year()),
                      static_cast<unsigned>(previous.month()), zone);
}

Period parse_period(std::string_view spec, Instant now, Zone zone) {
  auto digits = [](std::string_view t) {
    return !t.empty() && std::all_of(t.begin(), t.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  if (spec.size() == 7 && spec[4] == '-' && digits(spec.substr(0, 4)) && digits(spec.substr(5))) {
    int year = std::stoi(std::string(spec.substr(0, 4)));
    unsigned month = static_cast<unsigned>(std::stoi(std::string(spec.substr(5))));
    if (month < 1 || month > 12) {
      throw Error(fmt::format("--period '{}': a month is 01 to 12", spec));
    }
    return month_period(year, month, zone);
  }
  if (spec.size() >= 7 && (spec[5] == 'W' || spec[5] == 'w')) {
    return parse_week(spec, now, zone);
  }
  const date::year_month_day today{date::sys_days{local_date(now, zone)}};
  const int year = static_cast<int>(today.year());
  const unsigned month = static_cast<unsigned>(today.month());
  auto quarter = [&](int y, unsigned q) {
    Period first = month_period(y, 3 * q - 2, zone);
    Period last = month_period(y, 3 * q, zone);
    return day_period(first.first, last.last, zone);
  };
  if (spec == "week" || spec == "last-week") {
    return parse_week(spec == "week" ? "this" : "last", now, zone);
  }
  if (spec == "month") {
    return month_period(year, month, zone);
  }
  if (spec == "last-month") {
    return last_month(now, zone);
  }
  if (spec == "quarter" || spec == "last-quarter") {
    int y = year;
    int q = static_cast<int>((month - 1) / 3 + 1);
    if (spec == "last-quarter" && --q == 0) {
      q = 4;
      --y;
    }
    return quarter(y, static_cast<unsigned>(q));
  }
  if (spec.size() == 7 && spec[4] == '-' && (spec[5] == 'Q' || spec[5] == 'q') &&
      digits(spec.substr(0, 4)) && spec[6] >= '1' && spec[6] <= '4') {
    return quarter(std::stoi(std::string(spec.substr(0, 4))), static_cast<unsigned>(spec[6] - '0'));
  }
  throw Error(fmt::format("--period '{}': write a month as 2026-11, a quarter as 2026-Q4, an ISO "
                          "week as 2026-W47, or week, month, quarter (this one), last-week, "
                          "last-month, last-quarter",
                          spec));
}

std::string iso_week_name(Date day) {
  iso_week::year_weeknum_weekday ywd{date::sys_days{day}};
  return fmt::format("{:04}-W{:02}", static_cast<int>(ywd.year()),
                     static_cast<unsigned>(ywd.weeknum()));
}

Period parse_week(std::string_view spec, Instant now, Zone zone) {
  if (spec == "this" || spec == "last") {
    Date today = local_date(now, zone);
    iso_week::year_weeknum_weekday ywd{date::sys_days{today}};
    Date monday{date::sys_days{today} - date::days{static_cast<unsigned>(ywd.weekday()) - 1}};
    if (spec == "last") {
      monday = add_days(monday, -7);
    }
    iso_week::year_weeknum_weekday start{date::sys_days{monday}};
    return iso_week_period(static_cast<int>(start.year()),
                           static_cast<int>(static_cast<unsigned>(start.weeknum())), zone);
  }
  // YYYY-Www or YYYY-Ww, by hand: compiling a std::regex cost a report a quarter of its run.
  auto digits = [](std::string_view t) {
    return !t.empty() && std::all_of(t.begin(), t.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  auto number = [](std::string_view t) {
    int n = 0;
    for (char c : t) {
      n = n * 10 + (c - '0');
    }
    return n;
  };
  std::string_view year = spec.substr(0, std::min<std::size_t>(spec.size(), 4));
  std::string_view week = spec.size() > 6 ? spec.substr(6) : std::string_view();
  if (spec.size() < 7 || spec.size() > 8 || !digits(year) || spec[4] != '-' ||
      (spec[5] != 'W' && spec[5] != 'w') || !digits(week)) {
    throw Error(fmt::format("--week '{}': write an ISO week as 2026-W47, or this or last", spec));
  }
  return iso_week_period(number(year), number(week), zone);
}

Period resolve_period(const PeriodSpec& spec, Instant now, Zone zone) {
  if (!spec.week.empty() && (!spec.since.empty() || !spec.until.empty())) {
    throw Error("give either --week or --since/--until, not both");
  }
  if (spec.since.empty() && !spec.until.empty()) {
    throw Error("--until needs --since: give the first day of the period too");
  }
  if (spec.since.empty()) {
    return parse_week(spec.week.empty() ? "this" : spec.week, now, zone);
  }
  // "--since 'last week'" alone is that week; a day alone runs to today.
  DayRange since = parse_day_range(spec.since, now, zone, "--since");
  Date first = since.first;
  Date last = !spec.until.empty() ? parse_day_range(spec.until, now, zone, "--until").last
              : since.first != since.last ? since.last
                                          : local_date(now, zone);
  if (date::sys_days{last} < date::sys_days{first}) {
    throw Error(fmt::format("--until {} is before --since {}", format_date(last),
                            format_date(first)));
  }
  Period p = day_period(first, last, zone);
  // A range that is exactly one ISO week is named like one.
  iso_week::year_weeknum_weekday ywd{date::sys_days{first}};
  if (static_cast<unsigned>(ywd.weekday()) == 1 &&
      date::sys_days{last} - date::sys_days{first} == date::days{6}) {
    p.week = iso_week_name(first);
  }
  return p;
}

std::string day_month(Date day, std::string_view language) {
  // long_date ends with the year ("2026" or "2026 г.").
  std::string text = long_date(day, language);
  return text.substr(0, text.find(fmt::format(" {}", static_cast<int>(day.year()))));
}

std::string period_label(const Period& period, std::string_view language) {
  const Date& a = period.first;
  const Date& b = period.last;
  if (a == b) {
    return long_date(a, language);
  }
  if (a.year() == b.year() && a.month() == b.month()) {
    return fmt::format("{}–{}", static_cast<unsigned>(a.day()), long_date(b, language));
  }
  if (a.year() == b.year()) {
    return fmt::format("{} – {}", day_month(a, language), long_date(b, language));
  }
  return fmt::format("{} – {}", long_date(a, language), long_date(b, language));
}

std::string month_label(const Period& period, std::string_view language) {
  const Date& a = period.first;
  const Date& b = period.last;
  date::year_month ym{a.year(), a.month()};
  if (a.day() != date::day{1} || b != Date{ym / date::last}) {
    return period_label(period, language);
  }
  static const std::array<const char*, 12> k_en = {
      "January", "February", "March",     "April",   "May",      "June",
      "July",    "August",   "September", "October", "November", "December"};
  // Nominative: "за ноябрь 2026 г.", "Итоги: ноябрь 2026 г.".
  static const std::array<const char*, 12> k_ru = {
      "январь", "февраль", "март",     "апрель",  "май",    "июнь",
      "июль",   "август",  "сентябрь", "октябрь", "ноябрь", "декабрь"};
  unsigned month = static_cast<unsigned>(a.month()) - 1;
  int year = static_cast<int>(a.year());
  if (language == "ru") {
    return fmt::format("{} {} г.", k_ru[month], year);
  }
  return fmt::format("{} {}", k_en[month], year);
}

}  // namespace pm
