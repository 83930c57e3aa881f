#include "pm/time/time.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <fcntl.h>
#include <fstream>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

#include <fmt/format.h>

#include "pm/util/error.hpp"
#include "pm/time/zone.hpp"

namespace pm {

namespace {

int to_int(std::string_view digits) {
  int value = 0;
  for (char c : digits) {
    value = value * 10 + (c - '0');
  }
  return value;
}

/// The parts of "YYYY-MM-DD[T ]hh:mm[:ss[.frac]](Z|z|±hh[:]mm)", matched by hand: std::regex
/// took 3 million instructions to compile this pattern, in every git hook run.
struct InstantParts {
  int hour = 0;
  int minute = 0;
  int second = 0;
  std::string_view zone;
};

std::optional<InstantParts> match_instant(std::string_view text) {
  auto digits = [&](std::size_t from, std::size_t count) {
    if (from + count > text.size()) {
      return false;
    }
    for (std::size_t i = from; i < from + count; ++i) {
      if (text[i] < '0' || text[i] > '9') {
        return false;
      }
    }
    return true;
  };
  if (text.size() < 17 || !digits(0, 4) || text[4] != '-' || !digits(5, 2) || text[7] != '-' ||
      !digits(8, 2) || (text[10] != 'T' && text[10] != ' ') || !digits(11, 2) ||
      text[13] != ':' || !digits(14, 2)) {
    return std::nullopt;
  }
  InstantParts parts;
  parts.hour = to_int(text.substr(11, 2));
  parts.minute = to_int(text.substr(14, 2));
  std::size_t at = 16;
  if (text[at] == ':') {
    if (!digits(at + 1, 2)) {
      return std::nullopt;
    }
    parts.second = to_int(text.substr(at + 1, 2));
    at += 3;
    if (at < text.size() && text[at] == '.') {
      std::size_t start = ++at;
      while (at < text.size() && text[at] >= '0' && text[at] <= '9') {
        ++at;
      }
      if (at == start) {
        return std::nullopt;
      }
    }
  }
  parts.zone = text.substr(at);
  std::string_view z = parts.zone;
  bool zone_ok = z == "Z" || z == "z" ||
                 ((z.size() == 5 || z.size() == 6) && (z[0] == '+' || z[0] == '-') &&
                  digits(at + 1, 2) &&
                  (z.size() == 5 ? digits(at + 3, 2) : z[3] == ':' && digits(at + 4, 2)));
  if (!zone_ok) {
    return std::nullopt;
  }
  return parts;
}

/// The first instant (UTC) of `year`.
Instant start_of_year(int year) { return Instant{date::sys_days{date::year{year} / 1 / 1}}; }

/// Whether `at` lies from the start of `first_year` to the end of 9999, in UTC.
bool within_years(Instant at, int first_year) {
  static const Instant k_last{start_of_year(10000) - std::chrono::seconds{1}};
  return at >= start_of_year(first_year) && at <= k_last;
}

/// The instants the ledger's form "YYYY-MM-DDThh:mm:ssZ" can write: an offset or a zone
/// could move a date of year 0000 or 9999 into year -1 or 10000, which format_utc cannot
/// write and nothing could read back.
void check_storable(Instant at, std::string_view text, std::string_view what) {
  if (!within_years(at, 0)) {
    throw Error(fmt::format("{}: '{}' falls outside the years 0000 to 9999 in UTC; pm cannot "
                            "record it",
                            what, text));
  }
}

}  // namespace

namespace {

/// The date `text` names, in any year from 0000 on: the ledger's own times are read this way.
Date parse_any_date(std::string_view text, std::string_view what) {
  // By hand rather than with std::regex: imports parse one date per row.
  auto digits = [&](std::size_t from, std::size_t count) {
    for (std::size_t i = from; i < from + count; ++i) {
      if (text[i] < '0' || text[i] > '9') {
        return false;
      }
    }
    return true;
  };
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' || !digits(0, 4) || !digits(5, 2) ||
      !digits(8, 2)) {
    throw Error(fmt::format("{}: '{}' is not a date; write it as YYYY-MM-DD, e.g. 2026-12-25",
                            what, text));
  }
  Date day{date::year{to_int(text.substr(0, 4))},
           date::month{static_cast<unsigned>(to_int(text.substr(5, 2)))},
           date::day{static_cast<unsigned>(to_int(text.substr(8, 2)))}};
  if (!day.ok()) {
    throw Error(fmt::format("{}: {} does not exist in the calendar", what, text));
  }
  return day;
}

}  // namespace

Date parse_date(std::string_view text, std::string_view what) {
  Date day = parse_any_date(text, what);
  if (day.year() < date::year{1900}) {
    throw Error(fmt::format("{}: {} is before 1900; pm keeps dates from 1900-01-01 to "
                            "9999-12-31",
                            what, text));
  }
  return day;
}

namespace {

/// The instant `text` names, before any check of its year.
Instant unchecked_instant(std::string_view text, std::string_view what);

/// Dates and instants pm accepts, after zone conversion (docs/reliability.md, "Limits").
void check_range(Instant when, std::string_view text, std::string_view what) {
  if (!within_years(when, 1900)) {
    throw Error(fmt::format("{}: {} is {} in UTC; pm keeps times from 1900-01-01 to 9999-12-31 "
                            "(UTC)",
                            what, text,
                            when < start_of_year(1900) ? "before 1900" : "after 9999"));
  }
}

}  // namespace

Instant parse_instant(std::string_view text, std::string_view what) {
  Instant when = unchecked_instant(text, what);
  check_range(when, text, what);
  return when;
}

namespace {

Instant unchecked_instant(std::string_view text, std::string_view what) {
  auto m = match_instant(text);
  if (!m) {
    throw Error(fmt::format(
        "{}: '{}' is not a time with an offset; write it as 2026-11-20T10:00:00+03:00", what,
        text));
  }
  Date day = parse_any_date(text.substr(0, 10), what);
  int hour = m->hour;
  int minute = m->minute;
  int second = m->second;
  if (hour > 23 || minute > 59 || second > 59) {
    throw Error(fmt::format("{}: '{}' has no such time of day", what, text));
  }
  std::string zone(m->zone);
  int offset_minutes = 0;
  if (zone != "Z" && zone != "z") {
    std::string digits;
    for (char c : zone.substr(1)) {
      if (c != ':') {
        digits += c;
      }
    }
    offset_minutes = to_int(digits.substr(0, 2)) * 60 + to_int(digits.substr(2, 2));
    if (to_int(digits.substr(0, 2)) > 14 || to_int(digits.substr(2, 2)) > 59) {
      throw Error(fmt::format("{}: '{}' has an impossible UTC offset", what, text));
    }
    if (zone[0] == '-') {
      offset_minutes = -offset_minutes;
    }
  }
  auto local = date::sys_days{day} + std::chrono::hours{hour} + std::chrono::minutes{minute} +
               std::chrono::seconds{second};
  return Instant{local - std::chrono::minutes{offset_minutes}};
}

/// The instant `text` names, in any year the ledger's form can write: the ledger's own times
/// are read this way.
Instant parse_any_instant(std::string_view text, std::string_view what) {
  Instant at = unchecked_instant(text, what);
  check_storable(at, text, what);
  return at;
}

}  // namespace

Instant parse_date_or_instant(std::string_view text, Zone zone, std::string_view what) {
  if (text.size() == 10) {
    Instant when = start_of_day(parse_date(text, what), zone);
    check_range(when, text, what);
    return when;
  }
  return parse_instant(text, what);
}

Instant now() {
  if (const char* fixed = std::getenv("PM_NOW"); fixed != nullptr && *fixed != '\0') {
    return parse_instant(fixed, "PM_NOW");
  }
  return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
}


namespace {

/// Writes `value` as `width` decimal digits at `out`.
void put_digits(char* out, unsigned value, int width) {
  for (int i = width - 1; i >= 0; --i) {
    out[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
}

}  // namespace

std::string format_utc(Instant when) {
  // By hand rather than with date::format or fmt: imports write two of these per row.
  auto day = date::floor<date::days>(when);
  Date ymd{day};
  auto seconds = static_cast<unsigned>((when - day).count());
  std::string out = "0000-00-00T00:00:00Z";
  put_digits(out.data(), static_cast<unsigned>(static_cast<int>(ymd.year())), 4);
  put_digits(out.data() + 5, static_cast<unsigned>(ymd.month()), 2);
  put_digits(out.data() + 8, static_cast<unsigned>(ymd.day()), 2);
  put_digits(out.data() + 11, seconds / 3600, 2);
  put_digits(out.data() + 14, seconds / 60 % 60, 2);
  put_digits(out.data() + 17, seconds % 60, 2);
  return out;
}

Instant parse_utc(std::string_view text) { return parse_any_instant(text, "ledger time"); }

std::string format_date(Date day) {
  std::string out = "0000-00-00";
  put_digits(out.data(), static_cast<unsigned>(static_cast<int>(day.year())), 4);
  put_digits(out.data() + 5, static_cast<unsigned>(day.month()), 2);
  put_digits(out.data() + 8, static_cast<unsigned>(day.day()), 2);
  return out;
}

namespace {

date::local_seconds local_time(Instant when, Zone zone) {
  return date::local_seconds{(when + zone->span_at(when).offset).time_since_epoch()};
}

}  // namespace

Date local_date(Instant when, Zone zone) {
  return Date{date::floor<date::days>(local_time(when, zone))};
}

std::string format_local(Instant when, Zone zone) {
  return date::format("%F %H:%M", local_time(when, zone));
}

std::string format_iso_local(Instant when, Zone zone) {
  auto offset = utc_offset(when, zone).count();
  return date::format("%FT%T", local_time(when, zone)) +
         fmt::format("{}{:02}:{:02}", offset < 0 ? '-' : '+', std::abs(offset) / 60,
                     std::abs(offset) % 60);
}

Instant start_of_day(Date day, Zone zone) {
  date::local_seconds local{date::local_days{day}};
  LocalSpans spans = zone->spans_at(local);
  if (spans.result == LocalSpans::nonexistent) {
    return spans.second.begin;  // midnight was skipped: the first instant after the gap
  }
  // A repeated midnight: the earlier one.
  return Instant{(local - spans.first.offset).time_since_epoch()};
}

std::chrono::minutes utc_offset(Instant when, Zone zone) {
  return std::chrono::duration_cast<std::chrono::minutes>(zone->span_at(when).offset);
}

std::string long_date(Date day, std::string_view language) {
  static const std::array<const char*, 12> k_en = {
      "January", "February", "March",     "April",   "May",      "June",
      "July",    "August",   "September", "October", "November", "December"};
  static const std::array<const char*, 12> k_ru = {
      "января", "февраля", "марта",    "апреля",  "мая",    "июня",
      "июля",   "августа", "сентября", "октября", "ноября", "декабря"};
  unsigned month = static_cast<unsigned>(day.month()) - 1;
  unsigned d = static_cast<unsigned>(day.day());
  int year = static_cast<int>(day.year());
  if (language == "ru") {
    return fmt::format("{} {} {} г.", d, k_ru[month], year);
  }
  return fmt::format("{} {} {}", d, k_en[month], year);
}

}  // namespace pm
