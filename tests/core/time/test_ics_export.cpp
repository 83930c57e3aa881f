// iCalendar export: what write_icalendar writes, parsed back with libical: local times under
// TZID with the zone's VTIMEZONE, all-day dates, RRULE and EXDATE (holidays of the Russian
// calendar taken out of a weekly meeting), UIDs, escaped Cyrillic text, folded lines.
#include <catch2/catch.hpp>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <unistd.h>

#include <libical/ical.h>

#include "pm/time/calendar.hpp"
#include "pm/time/ics_export.hpp"
#include "pm/util/check.hpp"
#include "pm/util/error.hpp"

using namespace pm;
namespace fs = std::filesystem;
using std::chrono::hours;
using std::chrono::minutes;

namespace {

Date d(const char* text) { return parse_date(text, "test"); }
Instant at(const char* text) { return parse_instant(text, "test"); }
date::local_seconds local(const char* day, int hour, int minute = 0) {
  return date::local_days{date::sys_days{d(day)}.time_since_epoch()} + hours{hour} +
         minutes{minute};
}

struct Free {
  void operator()(icalcomponent* c) const { icalcomponent_free(c); }
};
using Parsed = std::unique_ptr<icalcomponent, Free>;

Parsed parse(const std::string& text) {
  icalerror_set_errors_are_fatal(0);
  Parsed root(icalparser_parse_string(text.c_str()));
  REQUIRE(root);
  REQUIRE(icalcomponent_isa(root.get()) == ICAL_VCALENDAR_COMPONENT);
  return root;
}

icalcomponent* event(icalcomponent* cal, const std::string& uid) {
  for (icalcomponent* ev = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT);
       ev != nullptr; ev = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT)) {
    if (uid == icalcomponent_get_uid(ev)) {
      return ev;
    }
  }
  FAIL("no event " << uid);
  return nullptr;
}

std::string tzid_of(icalproperty* p) {
  icalparameter* tz = icalproperty_get_first_parameter(p, ICAL_TZID_PARAMETER);
  return tz != nullptr ? icalparameter_get_tzid(tz) : "";
}

/// The instant a DTSTART names, its zone resolved from the calendar's VTIMEZONE.
Instant instant_of(icalcomponent* cal, icalproperty* p) {
  const icaltimetype t = icalproperty_get_dtstart(p);
  const std::string tzid = tzid_of(p);
  icaltimezone* zone = icaltimezone_get_utc_timezone();
  if (!tzid.empty()) {
    zone = icalcomponent_get_timezone(cal, tzid.c_str());
    REQUIRE(zone != nullptr);
  }
  return Instant{std::chrono::seconds{icaltime_as_timet_with_zone(t, zone)}};
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (std::size_t end; (end = text.find("\r\n", start)) != std::string::npos; start = end + 2) {
    out.push_back(text.substr(start, end - start));
  }
  CHECK(start == text.size());  // every line ends with CRLF
  return out;
}

const std::string k_summary = "Созвон с клиентом, этап 2; «итоги»\nвторая строка: обсудить "
                              "тексты, макеты и сроки; очень длинная строка, чтобы её свернуть";

std::vector<CalendarEvent> sample() {
  CalendarEvent deadline;
  deadline.uid = "deadline@abc.pm";
  deadline.summary = "Сайт: срок сдачи проекта";
  deadline.day = d("2026-12-25");
  deadline.categories = {"deadline"};
  deadline.stamp = at("2026-11-18T09:30:00Z");
  deadline.sequence = 2;

  CalendarEvent call;
  call.uid = "reminder-1@abc.pm";
  call.summary = k_summary;
  call.description = "Line one\nLine two, with a comma; and a semicolon \\ backslash";
  call.start = local("2026-11-20", 10);
  call.duration = minutes{45};

  CalendarEvent weekly;
  weekly.uid = "meeting-1@abc.pm";
  weekly.summary = "Weekly status";
  weekly.start = local("2026-12-24", 11, 30);  // a Thursday
  weekly.duration = minutes{60};
  weekly.recurrence = Recurrence{};
  weekly.recurrence->until = d("2027-01-21");
  return {deadline, call, weekly};
}

}  // namespace

TEST_CASE("write_icalendar: local times in the zone with its VTIMEZONE, parsed back by libical",
          "[ics]") {
  Calendar ru(find_zone("Europe/Moscow"));
  ru.set_all(russian_calendar());
  std::vector<CalendarEvent> events = sample();
  exclude_holidays(events[2], ru, d("2026-12-01"), d("2027-02-01"));
  // 31 December 2026 (a day off moved from 4 January) and 7 January 2027 (Christmas).
  CHECK(events[2].exdates == std::vector<Date>{d("2026-12-31"), d("2027-01-07")});

  const std::string text = write_icalendar(events, "Europe/Moscow", "Сайт, этап 2; \\ \n",
                                           at("2026-11-20T07:00:00Z"));
  // The same input, the same bytes.
  CHECK(text == write_icalendar(events, "Europe/Moscow", "Сайт, этап 2; \\ \n",
                                at("2026-11-20T07:00:00Z")));

  for (const std::string& line : lines_of(text)) {
    INFO(line);
    CHECK(line.size() <= 75);  // octets, folded by libical
    CHECK(valid_utf8(line));   // never folded inside a character
  }
  CHECK(text.find("BEGIN:VTIMEZONE\r\nTZID:Europe/Moscow\r\n") != std::string::npos);
  CHECK(text.find("DTSTART;TZID=Europe/Moscow:20261120T100000\r\n") != std::string::npos);
  CHECK(text.find("DTEND;TZID=Europe/Moscow:20261120T104500\r\n") != std::string::npos);
  CHECK(text.find("DTSTART;VALUE=DATE:20261225\r\n") != std::string::npos);
  CHECK(text.find("DTEND;VALUE=DATE:20261226\r\n") != std::string::npos);
  CHECK(text.find("X-WR-TIMEZONE:Europe/Moscow\r\n") != std::string::npos);
  // libical escapes an X- property's backslashes, not its commas; the name is one line.
  CHECK(text.find("X-WR-CALNAME:Сайт, этап 2; \\\\  \r\n") != std::string::npos);
  // UNTIL in UTC, as RFC 5545 wants with a zoned DTSTART: the end of 21 January in Moscow.
  CHECK(text.find("RRULE:FREQ=WEEKLY;UNTIL=20270121T205959Z;BYDAY=TH\r\n") != std::string::npos);
  CHECK(text.find("EXDATE;TZID=Europe/Moscow:20261231T113000\r\n") != std::string::npos);
  CHECK(text.find("EXDATE;TZID=Europe/Moscow:20270107T113000\r\n") != std::string::npos);
  CHECK(text.find("DTSTAMP:20261118T093000Z\r\n") != std::string::npos);
  CHECK(text.find("SEQUENCE:2\r\n") != std::string::npos);
  std::string flat = text;  // unfolded
  for (std::size_t at; (at = flat.find("\r\n ")) != std::string::npos;) {
    flat.erase(at, 3);
  }
  CHECK(flat.find("SUMMARY:Созвон с клиентом\\, этап 2\\; «итоги»\\nвторая") != std::string::npos);

  Parsed root = parse(text);
  icalcomponent* cal = root.get();
  CHECK(icalcomponent_count_components(cal, ICAL_VEVENT_COMPONENT) == 3);
  CHECK(icalcomponent_count_components(cal, ICAL_VTIMEZONE_COMPONENT) == 1);

  icalcomponent* dl = event(cal, "deadline@abc.pm");
  icaltimetype day = icalcomponent_get_dtstart(dl);
  CHECK(day.is_date == 1);
  CHECK((day.year == 2026 && day.month == 12 && day.day == 25));
  CHECK(std::string(icalcomponent_get_summary(dl)) == "Сайт: срок сдачи проекта");

  icalcomponent* call = event(cal, "reminder-1@abc.pm");
  CHECK(std::string(icalcomponent_get_summary(call)) == k_summary);
  CHECK(std::string(icalcomponent_get_description(call)) ==
        "Line one\nLine two, with a comma; and a semicolon \\ backslash");
  icalproperty* start = icalcomponent_get_first_property(call, ICAL_DTSTART_PROPERTY);
  CHECK(tzid_of(start) == "Europe/Moscow");
  CHECK(icalproperty_get_dtstart(start).hour == 10);
  CHECK(instant_of(cal, start) == at("2026-11-20T07:00:00Z"));  // 10:00 MSK is 07:00 UTC
  CHECK(icalcomponent_get_first_property(call, ICAL_RRULE_PROPERTY) == nullptr);

  icalcomponent* weekly = event(cal, "meeting-1@abc.pm");
  CHECK(instant_of(cal, icalcomponent_get_first_property(weekly, ICAL_DTSTART_PROPERTY)) ==
        at("2026-12-24T08:30:00Z"));
  icalrecurrencetype rule =
      icalproperty_get_rrule(icalcomponent_get_first_property(weekly, ICAL_RRULE_PROPERTY));
  CHECK(rule.freq == ICAL_WEEKLY_RECURRENCE);
  CHECK(rule.interval == 1);
  int exdates = 0;
  for (icalproperty* p = icalcomponent_get_first_property(weekly, ICAL_EXDATE_PROPERTY);
       p != nullptr; p = icalcomponent_get_next_property(weekly, ICAL_EXDATE_PROPERTY)) {
    CHECK(tzid_of(p) == "Europe/Moscow");
    CHECK(icalproperty_get_exdate(p).hour == 11);
    ++exdates;
  }
  CHECK(exdates == 2);
}

TEST_CASE("occurrence_days follows the RRULE as libical does", "[ics]") {
  CalendarEvent e;
  e.uid = "meeting-2@abc.pm";
  e.start = local("2026-12-22", 15);  // a Tuesday
  e.recurrence = Recurrence{};
  e.recurrence->interval = 2;
  e.recurrence->count = 3;
  CHECK(occurrence_days(e, d("2026-01-01"), d("2027-12-31")) ==
        std::vector<Date>{d("2026-12-22"), d("2027-01-05"), d("2027-01-19")});
  // Over the New Year holidays of the Russian calendar: 5 January is one.
  Calendar ru(find_zone("Europe/Moscow"));
  ru.set_all(russian_calendar());
  exclude_holidays(e, ru, d("2026-12-01"), d("2027-02-01"));
  CHECK(e.exdates == std::vector<Date>{d("2027-01-05")});

  CalendarEvent monthly;
  monthly.uid = "meeting-3@abc.pm";
  monthly.start = local("2027-02-01", 9);  // the first Monday of February
  monthly.recurrence = Recurrence{Recurrence::monthly, 1, date::Monday, 1, 3, std::nullopt};
  CHECK(occurrence_days(monthly, d("2027-01-01"), d("2027-12-31")) ==
        std::vector<Date>{d("2027-02-01"), d("2027-03-01"), d("2027-04-05")});
  const std::string text = write_icalendar({monthly}, "Europe/Moscow", "x", Instant{});
  CHECK(text.find("RRULE:FREQ=MONTHLY;COUNT=3;BYDAY=1MO\r\n") != std::string::npos);

  CalendarEvent one_off;
  one_off.uid = "x@abc.pm";
  one_off.day = d("2027-01-05");
  exclude_holidays(one_off, ru, d("2027-01-01"), d("2027-01-31"));
  CHECK(one_off.exdates.empty());  // a one-off event on a holiday stays: it was set there
}

TEST_CASE("write_icalendar in UTC writes UTC times and no VTIMEZONE", "[ics]") {
  CalendarEvent e;
  e.uid = "reminder-2@abc.pm";
  e.summary = "Check";
  e.start = local("2026-11-20", 10);
  e.duration = minutes{30};
  const std::string text = write_icalendar({e}, "UTC", "x", at("2026-11-20T07:00:00Z"));
  CHECK(text.find("BEGIN:VTIMEZONE") == std::string::npos);
  CHECK(text.find("DTSTART:20261120T100000Z\r\n") != std::string::npos);
  CHECK(text.find("DTSTAMP:20261120T070000Z\r\n") != std::string::npos);  // the export's now
}

TEST_CASE("write_icalendar: the VTIMEZONE gives winter and summer times their offsets", "[ics]") {
  CalendarEvent winter;
  winter.uid = "w@abc.pm";
  winter.summary = "Winter";
  winter.start = local("2027-01-14", 10);
  CalendarEvent summer = winter;
  summer.uid = "s@abc.pm";
  summer.start = local("2027-07-15", 10);
  for (const char* zone : {"Europe/Berlin", "America/New_York"}) {
    INFO(zone);
    Parsed root = parse(write_icalendar({winter, summer}, zone, "x", Instant{}));
    auto start = [&](const char* uid) {
      return instant_of(root.get(), icalcomponent_get_first_property(event(root.get(), uid),
                                                                     ICAL_DTSTART_PROPERTY));
    };
    const bool berlin = std::string(zone) == "Europe/Berlin";
    CHECK(start("w@abc.pm") == at(berlin ? "2027-01-14T09:00:00Z" : "2027-01-14T15:00:00Z"));
    CHECK(start("s@abc.pm") == at(berlin ? "2027-07-15T08:00:00Z" : "2027-07-15T14:00:00Z"));
  }
  // GMT is libical's UTC: UTC times, no VTIMEZONE.
  const std::string gmt = write_icalendar({winter}, "GMT", "x", Instant{});
  CHECK(gmt.find("DTSTART:20270114T100000Z\r\n") != std::string::npos);
  CHECK(gmt.find("BEGIN:VTIMEZONE") == std::string::npos);
}

TEST_CASE("write_icalendar refuses an event without a UID and an unknown zone", "[ics]") {
  CalendarEvent e;
  e.summary = "No uid";
  e.day = d("2026-11-20");
  CHECK_THROWS_AS(write_icalendar({e}, "Europe/Moscow", "x", Instant{}), Error);
  e.uid = "a@b";
  CHECK_THROWS_AS(write_icalendar({e}, "Mars/Olympus", "x", Instant{}), Error);
}

namespace {

/// A Python that has the icalendar package: python3 on PATH, else the system's (Debian's
/// python3-icalendar is installed for /usr/bin/python3, which a pyenv on PATH hides); empty
/// when neither has it.
std::string python_with_icalendar() {
  for (const char* python : {"python3", "/usr/bin/python3"}) {
    if (std::system((std::string(python) + " -c 'import icalendar' >/dev/null 2>&1").c_str()) ==
        0) {
      return python;
    }
  }
  return "";
}

/// What tests/core/time/check_ics.py prints for `text` (one line per event), or nullopt when
/// Python's icalendar package is missing: then the test says so on stderr, never passes silently.
std::optional<std::string> parsed_by_python(const std::string& text) {
  const std::string python = python_with_icalendar();
  if (python.empty()) {
    std::fprintf(stderr, "SKIPPED: python3-icalendar not installed (scripts/deps installs it); "
                         "the .ics was checked with libical only\n");
    WARN("SKIPPED: python3-icalendar not installed");
    return std::nullopt;
  }
  const fs::path dir = fs::temp_directory_path() / ("pm-ics-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "cal.ics", std::ios::binary) << text;
  const std::string command = python + " '" +
                              (fs::path(PM_SOURCE_DIR) / "tests/core/time/check_ics.py").string() +
                              "' '" + (dir / "cal.ics").string() + "' > '" +
                              (dir / "out.txt").string() + "'";
  const int status = std::system(command.c_str());
  std::ifstream in(dir / "out.txt");
  std::string out((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  fs::remove_all(dir);
  REQUIRE(status == 0);
  return out;
}

}  // namespace

TEST_CASE("write_icalendar's output parsed by Python's icalendar package", "[ics][python]") {
  Calendar ru(find_zone("Europe/Moscow"));
  ru.set_all(russian_calendar());
  std::vector<CalendarEvent> events = sample();
  exclude_holidays(events[2], ru, d("2026-12-01"), d("2027-02-01"));
  const auto out =
      parsed_by_python(write_icalendar(events, "Europe/Moscow", "Сайт", at("2026-11-20T07:00:00Z")));
  if (!out) {
    return;
  }
  CHECK(*out ==
        "deadline@abc.pm\t2026-12-25\t2026-12-26\t2\t\t\tСайт: срок сдачи проекта\n"
        "reminder-1@abc.pm\t2026-11-20T10:00:00+03:00\t2026-11-20T10:45:00+03:00\t0\t\t\t" +
            [] {
              std::string s = k_summary;
              return s.replace(s.find('\n'), 1, "\\n");
            }() +
            "\n"
            "meeting-1@abc.pm\t2026-12-24T11:30:00+03:00\t2026-12-24T12:30:00+03:00\t0\t"
            "FREQ=WEEKLY;UNTIL=20270121T205959Z;BYDAY=TH\t"
            "2026-12-31T11:30:00+03:00,2027-01-07T11:30:00+03:00\tWeekly status\n");
}
