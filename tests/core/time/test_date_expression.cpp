#include <catch2/catch.hpp>

#include "pm/time/date_expression.hpp"
#include "pm/util/error.hpp"

using namespace pm;

namespace {

Instant at(const char* text) { return parse_instant(text, "t"); }

std::string day(const char* text, const char* now, const char* zone) {
  return format_date(parse_date_expression(text, at(now), find_zone(zone), "--due"));
}

std::string range(const char* text, const char* now, const char* zone) {
  DayRange r = parse_day_range(text, at(now), find_zone(zone), "--since");
  return format_date(r.first) + ".." + format_date(r.last);
}

}  // namespace

TEST_CASE("ISO dates pass through unchanged", "[date-expression]") {
  CHECK(day("2026-12-25", "2026-11-20T19:00:00+03:00", "Europe/Moscow") == "2026-12-25");
  CHECK_THROWS_WITH(day("2026-02-30", "2026-11-20T19:00:00+03:00", "Europe/Moscow"),
                    Catch::Contains("does not exist"));
}

TEST_CASE("on a Friday evening in Moscow, friday is the next one, a week ahead",
          "[date-expression]") {
  // 2026-11-20 is a Friday; 19:00 in Moscow is 16:00 UTC, still Friday in both.
  const char* friday_evening = "2026-11-20T19:00:00+03:00";
  CHECK(day("friday", friday_evening, "Europe/Moscow") == "2026-11-27");
  CHECK(day("Fri", friday_evening, "Europe/Moscow") == "2026-11-27");
  CHECK(day("next friday", friday_evening, "Europe/Moscow") == "2026-11-27");
  CHECK(day("last friday", friday_evening, "Europe/Moscow") == "2026-11-13");
  CHECK(day("today", friday_evening, "Europe/Moscow") == "2026-11-20");
  CHECK(day("saturday", friday_evening, "Europe/Moscow") == "2026-11-21");
  CHECK(day("monday", friday_evening, "Europe/Moscow") == "2026-11-23");
  CHECK(day("thursday", friday_evening, "Europe/Moscow") == "2026-11-26");
  CHECK(day("last thursday", friday_evening, "Europe/Moscow") == "2026-11-19");
  CHECK(day("Пятница", friday_evening, "Europe/Moscow") == "2026-11-27");
  CHECK(day("в пятницу", friday_evening, "Europe/Moscow") == "2026-11-27");
  CHECK(day("понедельник", friday_evening, "Europe/Moscow") == "2026-11-23");
}

TEST_CASE("relative days count from the project's day, east of UTC around midnight",
          "[date-expression]") {
  // 00:30 on Saturday 21 November in Vladivostok (+10) is still Friday 14:30 in UTC.
  const char* past_midnight = "2026-11-20T14:30:00Z";
  CHECK(day("today", past_midnight, "Asia/Vladivostok") == "2026-11-21");
  CHECK(day("today", past_midnight, "UTC") == "2026-11-20");
  CHECK(day("yesterday", past_midnight, "Asia/Vladivostok") == "2026-11-20");
  CHECK(day("tomorrow", past_midnight, "Asia/Vladivostok") == "2026-11-22");
  CHECK(day("friday", past_midnight, "Asia/Vladivostok") == "2026-11-27");
  CHECK(day("saturday", past_midnight, "Asia/Vladivostok") == "2026-11-28");
  CHECK(day("+3d", past_midnight, "Asia/Vladivostok") == "2026-11-24");
  CHECK(day("-2w", past_midnight, "Asia/Vladivostok") == "2026-11-07");
  CHECK(day("+1m", past_midnight, "Asia/Vladivostok") == "2026-12-21");
  CHECK(day("+1y", past_midnight, "Asia/Vladivostok") == "2027-11-21");
  // 23:59 on Thursday 31 December in Moscow: +1d crosses into the new year.
  const char* before_midnight = "2026-12-31T23:59:00+03:00";
  CHECK(day("+1d", before_midnight, "Europe/Moscow") == "2027-01-01");
  CHECK(day("tomorrow", before_midnight, "Europe/Moscow") == "2027-01-01");
  CHECK(day("friday", before_midnight, "Europe/Moscow") == "2027-01-01");
}

TEST_CASE("a month later is the month's last day when the day does not exist",
          "[date-expression]") {
  CHECK(day("+1m", "2027-01-31T12:00:00Z", "UTC") == "2027-02-28");
  CHECK(day("+1m", "2028-01-31T12:00:00Z", "UTC") == "2028-02-29");
  CHECK(day("-1m", "2026-03-31T12:00:00Z", "UTC") == "2026-02-28");
}

TEST_CASE("periods are ISO weeks and calendar months in the project's zone",
          "[date-expression]") {
  // Monday 23 November 00:30 in Vladivostok is still Sunday in UTC.
  const char* monday = "2026-11-22T14:30:00Z";
  CHECK(range("this week", monday, "Asia/Vladivostok") == "2026-11-23..2026-11-29");
  CHECK(range("this week", monday, "UTC") == "2026-11-16..2026-11-22");
  CHECK(range("last week", monday, "Asia/Vladivostok") == "2026-11-16..2026-11-22");
  CHECK(range("Last  Week", monday, "Asia/Vladivostok") == "2026-11-16..2026-11-22");
  CHECK(range("this month", monday, "Asia/Vladivostok") == "2026-11-01..2026-11-30");
  CHECK(range("last month", "2027-01-01T00:30:00+03:00", "Europe/Moscow") ==
        "2026-12-01..2026-12-31");
  CHECK(range("last month", "2026-03-15T12:00:00Z", "UTC") == "2026-02-01..2026-02-28");
  CHECK(range("прошлая неделя", monday, "Asia/Vladivostok") == "2026-11-16..2026-11-22");
  CHECK(range("yesterday", monday, "Asia/Vladivostok") == "2026-11-22..2026-11-22");
}

TEST_CASE("what is not a date is refused with the forms that are", "[date-expression]") {
  const char* now = "2026-11-20T19:00:00+03:00";
  for (const char* bad : {"fridya", "", "+3", "+d", "3d", "+3x", "last", "next year", "this week",
                          "+99999999999d"}) {
    CAPTURE(bad);
    CHECK_THROWS_WITH(day(bad, now, "Europe/Moscow"),
                      Catch::Contains("is not a date") && Catch::Contains("--due"));
  }
  CHECK_THROWS_WITH(range("last year", now, "Europe/Moscow"), Catch::Contains("last month"));
  // Periods are for --since/--until; a due date is one day.
  CHECK_THROWS_WITH(day("last week", now, "Europe/Moscow"), Catch::Contains("is not a date"));
}

TEST_CASE("an instant expression is an instant with an offset or the start of a day",
          "[date-expression]") {
  Zone moscow = find_zone("Europe/Moscow");
  Instant now = at("2026-11-20T19:00:00+03:00");
  CHECK(format_utc(parse_instant_expression("2026-11-19T15:00+03:00", now, moscow, "--meeting")) ==
        "2026-11-19T12:00:00Z");
  CHECK(format_utc(parse_instant_expression("2026-11-19", now, moscow, "--meeting")) ==
        "2026-11-18T21:00:00Z");
  CHECK(format_utc(parse_instant_expression("yesterday", now, moscow, "--meeting")) ==
        "2026-11-18T21:00:00Z");
}

TEST_CASE("a listing's --since starts at the first day of a period", "[date-expression]") {
  Zone moscow = find_zone("Europe/Moscow");
  Instant now = at("2026-11-20T19:00:00+03:00");
  CHECK(format_utc(parse_since_expression("last week", now, moscow, "--since")) ==
        "2026-11-08T21:00:00Z");  // Monday 9 November, 00:00 in Moscow
  CHECK(format_utc(parse_since_expression("yesterday", now, moscow, "--since")) ==
        "2026-11-18T21:00:00Z");
  CHECK(format_utc(parse_since_expression("2026-11-19T15:00:00Z", now, moscow, "--since")) ==
        "2026-11-19T15:00:00Z");
}
