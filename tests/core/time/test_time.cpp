#include <catch2/catch.hpp>

#include "pm/util/error.hpp"
#include "pm/time/time.hpp"

using namespace pm;

TEST_CASE("parse_date accepts real dates only", "[time]") {
  CHECK(format_date(parse_date("2026-12-25", "d")) == "2026-12-25");
  CHECK(format_date(parse_date("2028-02-29", "d")) == "2028-02-29");
  CHECK_THROWS_WITH(parse_date("2026-02-30", "--due"),
                    "--due: 2026-02-30 does not exist in the calendar");
  CHECK_THROWS_WITH(parse_date("2027-02-29", "--due"),
                    "--due: 2027-02-29 does not exist in the calendar");
  CHECK_THROWS_AS(parse_date("2026-1-5", "d"), Error);
  CHECK_THROWS_AS(parse_date("25.12.2026", "d"), Error);
  CHECK_THROWS_AS(parse_date("", "d"), Error);
}

TEST_CASE("parse_instant needs an offset and converts to UTC", "[time]") {
  CHECK(format_utc(parse_instant("2026-11-20T10:00:00+03:00", "t")) == "2026-11-20T07:00:00Z");
  CHECK(format_utc(parse_instant("2026-11-20T10:00:00Z", "t")) == "2026-11-20T10:00:00Z");
  CHECK(format_utc(parse_instant("2026-11-20 01:30-0500", "t")) == "2026-11-20T06:30:00Z");
  CHECK(format_utc(parse_instant("2026-01-01T00:30:00+03:00", "t")) == "2025-12-31T21:30:00Z");
  CHECK(format_utc(parse_instant("2026-11-20T10:00+03:00", "t")) == "2026-11-20T07:00:00Z");
  CHECK(format_utc(parse_instant("2026-11-20T10:00:05.250z", "t")) == "2026-11-20T10:00:05Z");
  CHECK(format_utc(parse_instant("2026-11-20T10:00:00-0130", "t")) == "2026-11-20T11:30:00Z");
  CHECK_THROWS_AS(parse_instant("2026-11-20T10:00:00.Z", "t"), Error);
  CHECK_THROWS_AS(parse_instant("2026-11-20T10:00:00+3:00", "t"), Error);
  CHECK_THROWS_AS(parse_instant("2026-11-20T10:00:00Z ", "t"), Error);
  CHECK_THROWS_AS(parse_instant("2026-11-20T10:0:00Z", "t"), Error);
  CHECK_THROWS_AS(parse_instant("2026-11-20x10:00:00Z", "t"), Error);
  CHECK_THROWS_AS(parse_instant("", "t"), Error);
  CHECK_THROWS_AS(parse_instant("2026-11-20T10:00:00", "t"), Error);
  CHECK_THROWS_AS(parse_instant("2026-11-20T25:00:00Z", "t"), Error);
  CHECK_THROWS_AS(parse_instant("2026-02-30T10:00:00Z", "t"), Error);
}

TEST_CASE("now() honours PM_NOW", "[time]") {
  ::setenv("PM_NOW", "2026-11-20T10:00:00+03:00", 1);
  CHECK(format_utc(now()) == "2026-11-20T07:00:00Z");
  ::setenv("PM_NOW", "tomorrow", 1);
  CHECK_THROWS_AS(now(), Error);
  ::unsetenv("PM_NOW");
  CHECK(now().time_since_epoch().count() > 0);
}

TEST_CASE("local dates and day starts follow the zone", "[time]") {
  Zone moscow = find_zone("Europe/Moscow");
  // 22:30 UTC on the 19th is already the 20th in Moscow.
  Instant late = parse_instant("2026-11-19T22:30:00Z", "t");
  CHECK(format_date(local_date(late, moscow)) == "2026-11-20");
  CHECK(format_utc(start_of_day(parse_date("2026-11-20", "d"), moscow)) == "2026-11-19T21:00:00Z");
  CHECK(format_iso_local(late, moscow) == "2026-11-20T01:30:00+03:00");
  CHECK(utc_offset(late, moscow).count() == 180);
  Zone ny = find_zone("America/New_York");
  CHECK(format_utc(parse_date_or_instant("2026-07-04", ny, "d")) == "2026-07-04T04:00:00Z");
  CHECK_THROWS_WITH(find_zone("Mars/Olympus"),
                    Catch::Contains("unknown time zone 'Mars/Olympus'"));
}

TEST_CASE("an instant outside the years 1900 to 9999 in UTC is refused, not garbled", "[time]") {
  // Found by tests/fuzz/fuzz_date (corpus: 9999-12-31T23.59.59-14.00): the offset moved the
  // instant into the year 10000, and format_utc wrote it as "0000-01-01T13:59:59Z".
  CHECK_THROWS_WITH(parse_instant("9999-12-31T23:59:59-14:00", "--meeting"),
                    Catch::Contains("is after 9999 in UTC"));
  CHECK_THROWS_WITH(parse_instant("1900-01-01T00:00:00+00:01", "t"),
                    Catch::Contains("is before 1900 in UTC"));
  CHECK_THROWS_AS(parse_date_or_instant("1900-01-01", find_zone("Europe/Moscow"), "t"), Error);
  // The edges themselves are kept, and read back as they were written.
  CHECK(format_utc(parse_instant("9999-12-31T23:59:59Z", "t")) == "9999-12-31T23:59:59Z");
  CHECK(format_utc(parse_instant("1900-01-01T00:00:00Z", "t")) == "1900-01-01T00:00:00Z");
  CHECK(format_utc(parse_instant("9999-12-31T23:59:59+14:00", "t")) == "9999-12-31T09:59:59Z");
  CHECK(format_utc(parse_date_or_instant("1900-01-01", find_zone("UTC"), "t")) ==
        "1900-01-01T00:00:00Z");
  // The ledger's own times are read in any year its form can write, and no further.
  CHECK(format_utc(parse_utc("0000-01-01T00:00:00Z")) == "0000-01-01T00:00:00Z");
  CHECK_THROWS_WITH(parse_utc("9999-12-31T23:59:59-00:01"),
                    Catch::Contains("outside the years 0000 to 9999"));
}

TEST_CASE("long dates in English and Russian", "[time]") {
  Date d = parse_date("2026-12-25", "d");
  CHECK(long_date(d, "en") == "25 December 2026");
  CHECK(long_date(d, "ru") == "25 декабря 2026 г.");
}
