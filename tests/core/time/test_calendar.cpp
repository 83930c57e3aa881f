// The working calendar: working days and hours, the Russian production calendar, .ics files,
// project.yaml's calendar keys, and the arithmetic's round trips.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <random>
#include <unistd.h>

#include "pm/domain/project.hpp"
#include "pm/domain/project_calendar.hpp"
#include "pm/domain/project_check.hpp"
#include "pm/time/calendar.hpp"
#include "pm/util/error.hpp"

using namespace pm;
using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;
namespace fs = std::filesystem;

namespace {

Date d(const char* text) { return parse_date(text, "test"); }
std::string s(Date day) { return format_date(day); }
Instant at(const char* text) { return parse_instant(text, "test"); }

Calendar russian(const char* zone = "Europe/Moscow") {
  Calendar c(find_zone(zone));
  c.set_all(russian_calendar());
  return c;
}

const fs::path k_data = fs::path(PM_SOURCE_DIR) / "tests" / "data" / "calendars";

}  // namespace

TEST_CASE("the Russian calendar: 247 working days in 2025 and in 2026", "[calendar]") {
  Calendar ru = russian();
  CHECK(ru.working_days_between(d("2024-12-31"), d("2025-12-31")) == 247);
  CHECK(ru.working_days_between(d("2025-12-31"), d("2026-12-31")) == 247);
  // 2027 as art. 112 fixes it, before the decree moves 2 and 3 January.
  CHECK(ru.working_days_between(d("2026-12-31"), d("2027-12-31")) == 249);
  CHECK(ru.working_days_between(d("2024-12-31"), d("2025-01-31")) == 17);
  CHECK(ru.working_days_between(d("2025-12-31"), d("2026-01-31")) == 15);
}

TEST_CASE("the Russian calendar's holidays and moved days", "[calendar]") {
  Calendar ru = russian();
  for (const char* off : {"2025-01-01", "2025-01-08", "2025-05-02", "2025-05-08", "2025-06-13",
                          "2025-11-03", "2025-11-04", "2025-12-31", "2026-01-09", "2026-02-23",
                          "2026-03-09", "2026-05-11", "2026-06-12", "2026-11-04", "2026-12-31",
                          "2027-01-08", "2027-05-03", "2027-05-10", "2027-06-14"}) {
    INFO(off);
    CHECK_FALSE(ru.is_working_day(d(off)));
  }
  for (const char* on : {"2025-11-01", "2025-01-09", "2025-05-05", "2026-01-12", "2026-03-10",
                         "2027-01-11"}) {
    INFO(on);
    CHECK(ru.is_working_day(d(on)));
  }
  DayInfo saturday = ru.info(d("2025-11-01"));
  CHECK(saturday.working);
  CHECK(saturday.weekend);
  REQUIRE(saturday.special != nullptr);
  CHECK(saturday.special->kind == SpecialDay::working_day);
  DayInfo christmas = ru.info(d("2026-01-07"));
  REQUIRE(christmas.special != nullptr);
  CHECK(christmas.special->why == "Christmas");
}

TEST_CASE("working days across the Russian New Year holidays", "[calendar]") {
  Calendar ru = russian();
  CHECK(s(ru.add_working_days(d("2026-12-31"), 3)) == "2027-01-13");
  CHECK(s(ru.add_working_days(d("2026-12-30"), 1)) == "2027-01-11");
  CHECK(s(ru.add_working_days(d("2025-12-30"), 1)) == "2026-01-12");
  CHECK(s(ru.add_working_days(d("2026-12-25"), 8)) == "2027-01-15");
  CHECK(s(ru.add_working_days(d("2027-01-11"), -1)) == "2026-12-30");
  CHECK(s(ru.add_working_days(d("2027-01-05"), 0)) == "2027-01-05");
  CHECK(ru.working_days_between(d("2026-12-30"), d("2027-01-11")) == 1);
  CHECK(ru.working_days_between(d("2027-01-11"), d("2026-12-30")) == -1);
  // Without the calendar only the weekend counts.
  Calendar none(find_zone("Europe/Moscow"));
  CHECK(s(none.add_working_days(d("2026-12-31"), 3)) == "2027-01-05");
  CHECK(s(none.add_working_days(d("2026-12-25"), 1)) == "2026-12-28");
}

TEST_CASE("a transferred working Saturday counts", "[calendar]") {
  Calendar ru = russian();
  CHECK(s(ru.add_working_days(d("2025-10-31"), 1)) == "2025-11-01");
  CHECK(s(ru.add_working_days(d("2025-11-01"), 1)) == "2025-11-05");
  CHECK(s(ru.add_working_days(d("2025-11-05"), -1)) == "2025-11-01");
  CHECK(ru.working_days_between(d("2025-10-30"), d("2025-11-05")) == 3);
}

TEST_CASE("adding N working days then counting back gives N", "[calendar]") {
  Calendar ru = russian();
  std::mt19937 random(20261231);
  std::uniform_int_distribution<int> day(0, 3 * 365);
  std::uniform_int_distribution<int> count(-400, 400);
  for (int i = 0; i < 2000; ++i) {
    Date start{date::sys_days{date::year{2025} / 1 / 1} + date::days{day(random)}};
    int n = count(random);
    Date end = ru.add_working_days(start, n);
    INFO(s(start) << " + " << n << " = " << s(end));
    REQUIRE(ru.working_days_between(start, end) == n);
    if (n != 0) {
      REQUIRE(ru.is_working_day(end));
    }
    if (ru.is_working_day(start)) {
      REQUIRE(ru.add_working_days(end, -n) == start);
    }
  }
}

TEST_CASE("working hours across the New Year holidays", "[calendar]") {
  Calendar ru = russian();
  Instant t = ru.add_working_hours(at("2026-12-30T17:00:00+03:00"), 2);
  CHECK(format_iso_local(t, ru.zone()) == "2027-01-11T10:00:00+03:00");
  // A result on the end of a day is that end, not the next morning.
  t = ru.add_working_hours(at("2026-12-30T16:00:00+03:00"), 2);
  CHECK(format_iso_local(t, ru.zone()) == "2026-12-30T18:00:00+03:00");
  // From outside working hours: the next working morning.
  t = ru.add_working_hours(at("2026-12-31T12:00:00+03:00"), 1);
  CHECK(format_iso_local(t, ru.zone()) == "2027-01-11T10:00:00+03:00");
  t = ru.add_working_hours(at("2027-01-11T10:00:00+03:00"), -2);
  CHECK(format_iso_local(t, ru.zone()) == "2026-12-30T17:00:00+03:00");
  CHECK(ru.working_hours_between(at("2026-12-30T09:00:00+03:00"),
                                 at("2027-01-12T09:00:00+03:00")) == 18);
  // The working Saturday has working hours.
  CHECK(ru.working_hours_between(at("2025-11-01T00:00:00+03:00"),
                                 at("2025-11-02T00:00:00+03:00")) == 9);
  CHECK(ru.add_working_time(at("2025-11-02T12:00:00+03:00"), seconds{0}) ==
        at("2025-11-02T12:00:00+03:00"));
}

TEST_CASE("adding N working hours then counting back gives N", "[calendar]") {
  for (const char* zone : {"Europe/Moscow", "Europe/Berlin", "America/New_York"}) {
    Calendar c = russian(zone);
    std::mt19937 random(42);
    std::uniform_int_distribution<long> when(0, 3L * 365 * 86400);
    std::uniform_int_distribution<long> amount(-300L * 3600, 300L * 3600);
    const Instant base = at("2025-01-01T00:00:00Z");
    for (int i = 0; i < 1000; ++i) {
      Instant start = base + seconds{when(random)};
      seconds m{amount(random)};
      Instant end = c.add_working_time(start, m);
      INFO(zone << " " << format_utc(start) << " + " << m.count() << "s = " << format_utc(end));
      REQUIRE(c.working_time_between(start, end) == m);
    }
  }
}

TEST_CASE("working hours are wall-clock hours across a DST change", "[calendar]") {
  // Every day works 01:00-05:00 in Berlin: on 29 March 2026 the clocks jump from 02:00 to
  // 03:00 (three hours of work), on 25 October 2026 they fall back from 03:00 to 02:00 (five).
  Calendar berlin({true, true, true, true, true, true, true}, minutes{60}, minutes{300},
                  find_zone("Europe/Berlin"));
  auto day_hours = [&](const char* day) {
    auto [start, end] = berlin.working_hours_of(d(day));
    return std::chrono::duration_cast<hours>(end - start).count();
  };
  CHECK(day_hours("2026-03-28") == 4);
  CHECK(day_hours("2026-03-29") == 3);
  CHECK(day_hours("2026-10-25") == 5);
  Instant t = berlin.add_working_hours(at("2026-03-29T01:00:00+01:00"), 4);
  CHECK(format_iso_local(t, berlin.zone()) == "2026-03-30T02:00:00+02:00");
  // A Friday afternoon before the change: Monday morning, in summer time.
  Calendar office(find_zone("Europe/Berlin"));
  t = office.add_working_hours(at("2026-03-27T17:00:00+01:00"), 2);
  CHECK(format_iso_local(t, office.zone()) == "2026-03-30T10:00:00+02:00");
  CHECK(office.working_hours_between(at("2026-03-27T17:00:00+01:00"), t) == 2);
}

TEST_CASE("holidays from an .ics file", "[calendar]") {
  std::vector<SpecialDay> days = read_ics_holidays(k_data / "holidays.ics");
  std::vector<std::string> dates;
  for (const auto& day : days) {
    dates.push_back(s(day.day) + " " + day.why);
  }
  // A two-day all-day event, a yearly rule of three, no timed or cancelled events.
  CHECK(dates == std::vector<std::string>{"2026-12-25 Christmas", "2026-12-26 Christmas",
                                          "2027-01-01 New Year", "2028-01-01 New Year",
                                          "2029-01-01 New Year"});
  Calendar c(find_zone("Europe/London"));
  c.set_all(days);
  CHECK(s(c.add_working_days(d("2026-12-24"), 1)) == "2026-12-28");
  CHECK(c.is_working_day(d("2026-12-29")));
}

TEST_CASE("bad calendars are one clear line", "[calendar]") {
  const std::string malformed = (k_data / "malformed.ics").string();
  CHECK_THROWS_WITH(read_ics_holidays(k_data / "malformed.ics"),
                    Catch::StartsWith(malformed + ": ") &&
                        Catch::Contains("export the calendar again, or fix the file"));
  CHECK_THROWS_WITH(read_ics_holidays(k_data / "not-ics.ics"),
                    Catch::Contains("not an iCalendar file (no BEGIN:VCALENDAR)"));
  CHECK_THROWS_WITH(read_ics_holidays(k_data / "missing.ics"), Catch::Contains("missing.ics"));
  CHECK_THROWS_WITH(parse_ics_holidays("BEGIN:VCALENDAR\n\x01\nEND:VCALENDAR\n", "x.ics"),
                    Catch::StartsWith("x.ics:2: "));
  CHECK_THROWS_WITH(check_config_value(ConfigType::calendar, "calendar", "rus"),
                    "'calendar': unknown calendar 'rus'; use ru (the Russian production "
                    "calendar), none (working days only) or the path of an .ics file of holidays");
  CHECK_THROWS_WITH(Calendar({}, minutes{540}, minutes{1080}, find_zone("UTC")),
                    Catch::StartsWith("working_days is empty"));
  CHECK_THROWS_WITH(russian().add_working_days(d("2026-01-01"), 200000),
                    Catch::Contains("more than pm counts"));
}

TEST_CASE("project.yaml's calendar keys build the project's calendar", "[calendar]") {
  std::string pattern = (fs::temp_directory_path() / "pm-calendar-XXXXXX").string();
  fs::path dir = ::mkdtemp(pattern.data());
  fs::path file = dir / "project.yaml";
  auto load = [&](const std::string& extra) {
    std::ofstream(file) << "name: Website\ntimezone: Europe/Moscow\nmanager: {name: Anna}\n"
                         << extra;
    return load_config(file);
  };
  auto error = [&](const std::string& extra) -> std::string {
    try {
      load(extra);
    } catch (const Error& e) {
      return e.what();
    }
    return "";
  };
  CHECK(calendar_name(load("")) == "none");
  ProjectConfig c = load("calendar: ru\nholidays: [2026-12-29]\nworkdays: [2027-01-09]\n");
  CHECK(c.calendar == "ru");
  Calendar cal = project_calendar(c, dir);
  CHECK_FALSE(cal.is_working_day(d("2026-12-29")));
  CHECK(cal.is_working_day(d("2027-01-09")));
  CHECK(s(cal.add_working_days(d("2026-12-28"), 1)) == "2026-12-30");
  // What pm writes, pm reads back.
  std::ofstream(file) << config_to_yaml(c);
  CHECK(config_to_yaml(load_config(file)) == config_to_yaml(c));
  // An .ics file, relative to .pm/.
  fs::copy_file(k_data / "holidays.ics", dir / "holidays.ics");
  Calendar ics = project_calendar(load("calendar: holidays.ics\n"), dir);
  CHECK_FALSE(ics.is_working_day(d("2026-12-25")));
  CHECK(error("holidays: [2026-02-30]\n") ==
        file.string() + ":4: holidays: 2026-02-30 does not exist in the calendar");
  CHECK(error("holidays: 2026-12-29\n") ==
        file.string() + ":4: 'holidays' must be a list such as [2026-12-30, 2027-01-11], not "
                        "'2026-12-29'");
  CHECK(error("calendar: gregorian\n").find(":4: 'calendar': unknown calendar 'gregorian'") !=
        std::string::npos);
  CHECK_THROWS_WITH(project_calendar(load("calendar: nowhere.ics\n"), dir),
                    Catch::StartsWith("calendar: " + (dir / "nowhere.ics").string() +
                                      " does not exist"));
  CHECK(default_calendar("Asia/Yekaterinburg") == "ru");
  CHECK(default_calendar("Europe/Berlin") == "none");
  fs::remove_all(dir);
}
