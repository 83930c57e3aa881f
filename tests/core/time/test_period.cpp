#include <catch2/catch.hpp>

#include "pm/util/error.hpp"
#include "pm/time/period.hpp"

using namespace pm;

namespace {

Instant at(const char* text) { return parse_instant(text, "t"); }
Date day(const char* text) { return parse_date(text, "d"); }
bool contains(const Period& p, Instant when) { return when >= p.from && when < p.until; }

}  // namespace

TEST_CASE("an ISO week is Monday to Sunday in the project's zone", "[period]") {
  Zone moscow = find_zone("Europe/Moscow");
  Period p = parse_week("2026-W47", at("2026-11-20T10:00:00Z"), moscow);
  CHECK(p.week == "2026-W47");
  CHECK(format_date(p.first) == "2026-11-16");
  CHECK(format_date(p.last) == "2026-11-22");
  CHECK(format_utc(p.from) == "2026-11-15T21:00:00Z");
  CHECK(format_utc(p.until) == "2026-11-22T21:00:00Z");
  CHECK(parse_week("2026-w47", at("2026-11-20T10:00:00Z"), moscow).week == "2026-W47");
  CHECK(parse_week("2026-W7", at("2026-11-20T10:00:00Z"), moscow).week == "2026-W07");
}

TEST_CASE("2026 has an ISO week 53 and 2027 has not", "[period]") {
  Zone utc = find_zone("UTC");
  Period w53 = iso_week_period(2026, 53, utc);
  CHECK(format_date(w53.first) == "2026-12-28");
  CHECK(format_date(w53.last) == "2027-01-03");
  CHECK(w53.week == "2026-W53");
  CHECK_THROWS_WITH(iso_week_period(2027, 53, utc), "--week 2027-W53: 2027 has ISO weeks W01 to W52");
  CHECK_THROWS_WITH(parse_week("2026-W60", at("2026-11-20T10:00:00Z"), utc),
                    "--week 2026-W60: 2026 has ISO weeks W01 to W53");
  CHECK_THROWS_WITH(parse_week("2026-W00", at("2026-11-20T10:00:00Z"), utc),
                    Catch::Contains("has ISO weeks W01 to W53"));
  for (const char* bad : {"2026W47", "47", "next", "2026-W470", "W47", "", "2026-W", "2026-X47", "20a6-W47", "2026-W4x",
                          "+026-W47", "2026-W-7", " 2026-W47"}) {
    INFO(bad);
    CHECK_THROWS_WITH(parse_week(bad, at("2026-11-20T10:00:00Z"), utc),
                      Catch::Contains("write an ISO week as 2026-W47"));
  }
}

TEST_CASE("this and last week across the year boundary", "[period]") {
  Zone utc = find_zone("UTC");
  // 1 January 2027 is a Friday in 2026-W53.
  CHECK(parse_week("this", at("2027-01-01T12:00:00Z"), utc).week == "2026-W53");
  CHECK(parse_week("last", at("2027-01-05T12:00:00Z"), utc).week == "2026-W53");
  CHECK(parse_week("this", at("2027-01-05T12:00:00Z"), utc).week == "2027-W01");
  // 29 December 2025 is the Monday of 2026-W01.
  CHECK(parse_week("this", at("2025-12-30T12:00:00Z"), utc).week == "2026-W01");
  CHECK(parse_week("last", at("2025-12-30T12:00:00Z"), utc).week == "2025-W52");
  CHECK(iso_week_name(day("2025-12-29")) == "2026-W01");
  CHECK(iso_week_name(day("2021-01-03")) == "2020-W53");
  // Sunday evening and Monday morning, in the zone.
  CHECK(parse_week("this", at("2026-11-22T23:59:59+03:00"), find_zone("Europe/Moscow")).week ==
        "2026-W47");
  CHECK(parse_week("this", at("2026-11-23T00:00:00+03:00"), find_zone("Europe/Moscow")).week ==
        "2026-W48");
}

TEST_CASE("east of UTC, Monday 01:00 local is still Sunday in UTC", "[period]") {
  Zone tokyo = find_zone("Asia/Tokyo");
  Instant monday_1am = at("2026-11-16T01:00:00+09:00");  // 2026-11-15T16:00:00Z, a Sunday in UTC
  CHECK(format_utc(monday_1am) == "2026-11-15T16:00:00Z");
  Period w47 = parse_week("2026-W47", monday_1am, tokyo);
  Period w46 = parse_week("2026-W46", monday_1am, tokyo);
  CHECK(format_utc(w47.from) == "2026-11-15T15:00:00Z");
  CHECK(contains(w47, monday_1am));
  CHECK_FALSE(contains(w46, monday_1am));
  CHECK(parse_week("this", monday_1am, tokyo).week == "2026-W47");
  CHECK(parse_week("this", monday_1am, find_zone("UTC")).week == "2026-W46");
  // The last second of Sunday local belongs to the week before.
  CHECK(contains(w46, at("2026-11-15T23:59:59+09:00")));
  CHECK_FALSE(contains(w47, at("2026-11-15T23:59:59+09:00")));
}

TEST_CASE("a week over a DST change is 7 days and an hour long", "[period]") {
  Zone berlin = find_zone("Europe/Berlin");
  Period p = iso_week_period(2026, 43, berlin);  // clocks go back on Sunday 25 October
  CHECK(format_utc(p.from) == "2026-10-18T22:00:00Z");
  CHECK(format_utc(p.until) == "2026-10-25T23:00:00Z");
}

TEST_CASE("since and until: days in the zone, until inclusive", "[period]") {
  Zone moscow = find_zone("Europe/Moscow");
  Instant now = at("2026-11-20T10:00:00+03:00");
  Period p = resolve_period({"", "2026-11-01", "2026-11-10"}, now, moscow);
  CHECK(format_utc(p.from) == "2026-10-31T21:00:00Z");
  CHECK(format_utc(p.until) == "2026-11-10T21:00:00Z");
  CHECK(p.week.empty());
  CHECK(format_date(resolve_period({"", "2026-11-18", ""}, now, moscow).last) == "2026-11-20");
  CHECK(resolve_period({"", "2026-11-16", "2026-11-22"}, now, moscow).week == "2026-W47");
  CHECK(resolve_period({}, now, moscow).week == "2026-W47");
  CHECK(resolve_period({"last", "", ""}, now, moscow).week == "2026-W46");
  CHECK_THROWS_WITH(resolve_period({"", "2026-11-10", "2026-11-01"}, now, moscow),
                    "--until 2026-11-01 is before --since 2026-11-10");
  CHECK_THROWS_WITH(resolve_period({"", "", "2026-11-01"}, now, moscow),
                    Catch::Contains("--until needs --since"));
  CHECK_THROWS_WITH(resolve_period({"this", "2026-11-01", ""}, now, moscow),
                    Catch::Contains("not both"));
  CHECK_THROWS_WITH(resolve_period({"", "2026-11-31", ""}, now, moscow),
                    Catch::Contains("--since: 2026-11-31 does not exist"));
}

TEST_CASE("period labels in English and Russian", "[period]") {
  Zone utc = find_zone("UTC");
  auto label = [&](const char* a, const char* b, const char* lang) {
    return period_label(day_period(day(a), day(b), utc), lang);
  };
  CHECK(label("2026-11-16", "2026-11-22", "en") == "16–22 November 2026");
  CHECK(label("2026-11-30", "2026-12-06", "en") == "30 November – 6 December 2026");
  CHECK(label("2026-12-28", "2027-01-03", "en") == "28 December 2026 – 3 January 2027");
  CHECK(label("2026-11-20", "2026-11-20", "en") == "20 November 2026");
  CHECK(label("2026-11-16", "2026-11-22", "ru") == "16–22 ноября 2026 г.");
  CHECK(label("2026-11-30", "2026-12-06", "ru") == "30 ноября – 6 декабря 2026 г.");
  CHECK(label("2026-12-28", "2027-01-03", "ru") == "28 декабря 2026 г. – 3 января 2027 г.");
  CHECK(day_month(day("2026-11-18"), "en") == "18 November");
  CHECK(day_month(day("2026-11-18"), "ru") == "18 ноября");
  CHECK(format_date(add_days(day("2028-02-25"), 5)) == "2028-03-01");
  CHECK_THROWS_AS(day_period(day("2026-11-22"), day("2026-11-16"), utc), Error);
}
