// pm's time zones (pm/zone.hpp) against date's tz database, which pm used before: the same
// zones, offsets, spans and day starts for every zone of the system, 1900 to 2037.
#include <catch2/catch.hpp>

#include <date/tz.h>

#include <sstream>

#include "pm/util/error.hpp"
#include "pm/time/time.hpp"
#include "pm/time/zone.hpp"

using namespace pm;
using std::chrono::seconds;
using std::chrono::sys_seconds;

namespace {

/// The day start as pm computed it with date's zones.
Instant date_start_of_day(Date day, const date::time_zone* zone) {
  auto local = date::local_days{day};
  auto info = zone->get_info(local);
  if (info.result == date::local_info::nonexistent) {
    return Instant{info.second.begin};
  }
  return std::chrono::time_point_cast<seconds>(zone->to_sys(local, date::choose::earliest));
}

std::string at(sys_seconds t) { return format_utc(t); }

/// TZif version 2 data with no transitions, one type and `footer` (RFC 8536).
std::string tzif_with_footer(const std::string& abbrev, int offset, const std::string& footer) {
  auto be32 = [](std::string& out, std::uint32_t v) {
    for (int shift = 24; shift >= 0; shift -= 8) {
      out += static_cast<char>((v >> shift) & 0xFF);
    }
  };
  std::string block;
  std::string out;
  for (int part = 0; part < 2; ++part) {
    out += "TZif2";
    out += std::string(15, '\0');
    for (std::uint32_t n : {0u, 0u, 0u, 0u, 1u, static_cast<std::uint32_t>(abbrev.size() + 1)}) {
      be32(out, n);
    }
    be32(out, static_cast<std::uint32_t>(offset));
    out += '\0';  // not DST
    out += '\0';  // abbreviation index
    out += abbrev;
    out += '\0';
  }
  return out + "\n" + footer + "\n";
}

}  // namespace

TEST_CASE("every zone of date's database is found, with the same spans and day starts",
          "[zone]") {
  const auto& db = date::get_tzdb();
  const sys_seconds from{date::sys_days{date::year{1900} / 1 / 1}};
  const sys_seconds until{date::sys_days{date::year{2037} / 1 / 1}};
  std::size_t zones = 0;
  std::size_t spans = 0;
  std::ostringstream mismatches;
  int shown = 0;
  auto mismatch = [&](const std::string& what) {
    if (shown++ < 20) {
      mismatches << what << "\n";
    }
  };
  for (const auto& theirs : db.zones) {
    Zone ours = nullptr;
    try {
      ours = find_zone(theirs.name());
    } catch (const Error& e) {
      mismatch(theirs.name() + ": " + e.what());
      continue;
    }
    ++zones;
    for (sys_seconds t = from; t < until;) {
      date::sys_info info = theirs.get_info(t);
      ZoneSpan span = ours->span_at(t);
      ++spans;
      sys_seconds last = std::min(until, sys_seconds{info.end}) - seconds{1};
      for (sys_seconds probe : {t, last, t + (last - t) / 2}) {
        date::sys_info i = theirs.get_info(probe);
        ZoneSpan s = ours->span_at(probe);
        if (s.offset != i.offset || s.dst != (i.save != std::chrono::minutes{0}) ||
            s.abbrev != i.abbrev) {
          mismatch(theirs.name() + " at " + at(probe));
        }
      }
      if ((info.begin >= from && span.begin != info.begin) ||
          (info.end < until && span.end != info.end)) {
        mismatch(theirs.name() + ": span of " + at(t) + " is " + at(span.begin) + " - " +
                 at(span.end) + ", date's " + at(info.begin) + " - " + at(info.end));
      }
      // Day starts and local dates around each change.
      if (info.begin >= from) {
        Date day = Date{date::floor<date::days>(info.begin)};
        for (int d = -1; d <= 1; ++d) {
          Date around{date::sys_days{day} + date::days{d}};
          if (start_of_day(around, ours) != date_start_of_day(around, &theirs)) {
            mismatch(theirs.name() + ": start of " + format_date(around));
          }
        }
        for (sys_seconds probe : {info.begin - seconds{1}, sys_seconds{info.begin}}) {
          auto local = date::make_zoned(&theirs, probe).get_local_time();
          if (local_date(probe, ours) != Date{date::floor<date::days>(local)} ||
              format_local(probe, ours) != date::format("%F %H:%M", local)) {
            mismatch(theirs.name() + ": local time of " + at(probe));
          }
        }
      }
      t = info.end;
    }
  }
  INFO(mismatches.str());
  CHECK(shown == 0);
  CHECK(zones == db.zones.size());
  CHECK(spans > 10000);
}

TEST_CASE("only zone names are zones", "[zone]") {
  CHECK(find_zone("Europe/Berlin")->name() == "Europe/Berlin");
  CHECK(find_zone("UTC") == find_zone("UTC"));  // found once
  for (const char* name : {"", "Europe", "Europe/", "/Europe/Berlin", "../zoneinfo/UTC",
                           "Europe//Berlin", "./UTC", "zone.tab", "tzdata.zi", "posixrules",
                           "posix/UTC", "right/UTC", "Factory", "leap-seconds.list", "Mars/Olympus",
                           "Europe/Berlin/"}) {
    INFO(name);
    CHECK_THROWS_WITH(find_zone(name), Catch::Contains("unknown time zone"));
  }
}

TEST_CASE("after the last transition a zone follows its file's rules", "[zone]") {
  // A file with no transitions at all (as "slim" tzdata has for many zones): the POSIX TZ
  // string at its end says everything.
  TimeZone berlin("Test/Berlin", tzif_with_footer("CET", 3600, "CET-1CEST,M3.5.0,M10.5.0/3"));
  auto utc = [](const char* text) { return parse_instant(text, "t"); };
  CHECK(berlin.span_at(utc("2026-01-15T12:00:00Z")).offset == seconds{3600});
  ZoneSpan summer = berlin.span_at(utc("2026-07-01T12:00:00Z"));
  CHECK(summer.offset == seconds{7200});
  CHECK(summer.dst);
  CHECK(summer.abbrev == "CEST");
  CHECK(at(summer.begin) == "2026-03-29T01:00:00Z");
  CHECK(at(summer.end) == "2026-10-25T01:00:00Z");
  CHECK(at(berlin.span_at(utc("2050-12-01T00:00:00Z")).begin) == "2050-10-30T01:00:00Z");
  LocalSpans skipped = berlin.spans_at(date::local_days{date::year{2026} / 3 / 29} +
                                       std::chrono::hours{2} + std::chrono::minutes{30});
  CHECK(skipped.result == LocalSpans::nonexistent);
  CHECK(at(skipped.second.begin) == "2026-03-29T01:00:00Z");
  LocalSpans repeated = berlin.spans_at(date::local_days{date::year{2026} / 10 / 25} +
                                        std::chrono::hours{2} + std::chrono::minutes{30});
  CHECK(repeated.result == LocalSpans::ambiguous);
  CHECK(repeated.first.offset == seconds{7200});
  CHECK(repeated.second.offset == seconds{3600});

  // The southern hemisphere: summer time across the new year.
  TimeZone sydney("Test/Sydney",
                  tzif_with_footer("AEST", 36000, "AEST-10AEDT,M10.1.0,M4.1.0/3"));
  CHECK(sydney.span_at(utc("2045-01-15T00:00:00Z")).offset == seconds{39600});
  CHECK(sydney.span_at(utc("2045-07-15T00:00:00Z")).offset == seconds{36000});
  CHECK(at(sydney.span_at(utc("2045-01-15T00:00:00Z")).end) == "2045-04-01T16:00:00Z");

  // Real files after 2037, where date's database kept the last offset for ever.
  Zone real = find_zone("Europe/Berlin");
  CHECK(utc_offset(utc("2040-07-01T12:00:00Z"), real).count() == 120);
  CHECK(utc_offset(utc("2040-12-01T12:00:00Z"), real).count() == 60);
  CHECK(format_utc(start_of_day(parse_date("2040-07-01", "d"), real)) == "2040-06-30T22:00:00Z");

  CHECK_THROWS_AS(TimeZone("x", "TZif2"), std::runtime_error);
  CHECK_THROWS_AS(TimeZone("x", "not a zone file at all, but long enough to hold a header"),
                  std::runtime_error);
}
