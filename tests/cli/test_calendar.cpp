// The working calendar from the command line: pm calendar, pm init --calendar (and its default
// by zone), change propose --days counted in working days across the New Year holidays, and
// pm calendar export (iCalendar, read back by Python's icalendar package).
#include <catch2/catch.hpp>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "harness.hpp"

using namespace pm::test;
using nlohmann::json;

namespace {

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

const std::filesystem::path k_ics =
    std::filesystem::path(PM_SOURCE_DIR) / "tests/data/calendars/holidays.ics";

}  // namespace

TEST_CASE("pm calendar lists the working days and the New Year holidays", "[calendar]") {
  Project p({"--calendar", "ru"});
  Result r = p.pm({"calendar", "--from", "2026-12-28", "--to", "2027-01-12", "--json"});
  REQUIRE(r.code == 0);
  json j = json::parse(r.out);
  CHECK(j["calendar"] == "ru");
  CHECK(j["days"] == 16);
  CHECK(j["working_days"] == 5);
  REQUIRE(j["non_working"].size() == 11);
  CHECK(j["non_working"][0] == json{{"date", "2026-12-31"},
                                    {"weekday", "Thu"},
                                    {"kind", "day_off"},
                                    {"why", "day off moved from Sunday 4 January"}});
  CHECK(j["non_working"][1]["why"] == "holiday: New Year holidays");
  CHECK(j["non_working"][2]["why"] == "weekend; holiday: New Year holidays");
  CHECK(j["non_working"][7]["why"] == "holiday: Christmas");
  CHECK(j["non_working"][9] ==
        json{{"date", "2027-01-09"}, {"weekday", "Sat"}, {"kind", "weekend"}, {"why", "weekend"}});
  CHECK(j["working_weekend_days"] == json::array());

  r = p.pm({"calendar", "--from", "2026-12-28", "--to", "2027-01-12"});
  REQUIRE(r.code == 0);
  CHECK(r.out.starts_with("Calendar: ru (the Russian production calendar, 2025-2027); working "
                          "days mon tue wed thu fri, 09:00-18:00, Europe/Moscow\n"
                          "2026-12-28 to 2027-01-12: 5 working days of 16 days\n\nNot working:\n"));
  CHECK(has(r.out, "2027-01-07  Thu  holiday: Christmas"));
  CHECK(r.err.empty());
}

TEST_CASE("pm calendar shows a transferred working Saturday", "[calendar]") {
  Project p({"--calendar", "ru"});
  Result r = p.pm({"calendar", "--from", "2025-10-27", "--to", "2025-11-09"});
  REQUIRE(r.code == 0);
  CHECK(has(r.out, "2025-10-27 to 2025-11-09: 9 working days of 14 days\n"));
  CHECK(has(r.out, "Working on a weekend day:"));
  CHECK(has(r.out, "2025-11-01  Sat  working Saturday; its day off moved to Monday 3 November"));
  CHECK(has(r.out, "2025-11-04  Tue  holiday: Unity Day"));
  // Outside the years the built-in calendar knows, a note says so.
  r = p.pm({"calendar", "--from", "2030-01-01", "--to", "2030-01-10"});
  REQUIRE(r.code == 0);
  CHECK(r.err == "note: the built-in ru calendar covers 2025-2027; outside those years only "
                 "weekends and project.yaml's holidays count\n");
}

TEST_CASE("pm calendar: defaults, a calendar of none, and mistakes", "[calendar]") {
  Project p;  // the harness's projects have calendar: none
  Result r = p.pm({"calendar", "--json"});
  REQUIRE(r.code == 0);
  json j = json::parse(r.out);
  CHECK(j["calendar"] == "none");
  CHECK(j["from"] == "2026-11-20");  // PM_NOW
  CHECK(j["to"] == "2026-12-20");
  CHECK(j["working_days"] == 21);
  r = p.pm({"calendar", "--from", "2027-01-12", "--to", "2027-01-11"});
  CHECK(r.code == 2);
  CHECK(r.err == "pm: error: --to 2027-01-11 is before --from 2027-01-12; give the earlier day "
                 "first\n");
  r = p.pm({"calendar", "--from", "2026-02-30"});
  CHECK(r.code != 0);
  CHECK(has(r.err, "2026-02-30"));
  r = p.pm({"calendar", "--from", "2020-01-01", "--to", "2035-01-01"});
  CHECK(r.code == 2);
  CHECK(has(r.err, "pm lists at most 3660 at once"));
  // project.yaml's own holidays and working days, and a day that does not exist.
  std::filesystem::path config = p.root() / "work/.pm/project.yaml";
  std::string yaml = read(config);
  std::ofstream(config) << yaml << "holidays: [2026-12-29]\nworkdays: [2026-12-26]\n";
  j = json::parse(p.pm({"calendar", "--from", "2026-12-26", "--to", "2026-12-29", "--json"}).out);
  CHECK(j["working_days"] == 2);
  CHECK(j["non_working"][1] == json{{"date", "2026-12-29"},
                                    {"weekday", "Tue"},
                                    {"kind", "holiday"},
                                    {"why", "holiday: holiday (project.yaml)"}});
  CHECK(j["working_weekend_days"][0]["date"] == "2026-12-26");
  std::ofstream(config) << yaml << "holidays: [2026-02-30]\n";
  r = p.pm({"calendar"});
  CHECK(r.code != 0);
  CHECK(has(r.err, "holidays: 2026-02-30 does not exist in the calendar\n"));
  CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
}

TEST_CASE("pm init picks the calendar by the project's zone", "[calendar][init]") {
  TempDir home;
  auto env = test_env(home.path());
  auto init = [&](const std::string& dir, std::vector<std::string> extra) {
    std::vector<std::string> args = {"init", dir, "--manager", "Anna", "--email", "a@example.com"};
    args.insert(args.end(), extra.begin(), extra.end());
    return run(args, home.path(), env);
  };
  REQUIRE(init("samara", {"--tz", "Europe/Samara"}).code == 0);
  CHECK(has(read(home / "samara/.pm/project.yaml"), "\ncalendar: ru\n"));
  REQUIRE(init("berlin", {"--tz", "Europe/Berlin"}).code == 0);
  CHECK(has(read(home / "berlin/.pm/project.yaml"), "\ncalendar: none\n"));
  REQUIRE(init("moscow", {"--tz", "Europe/Moscow", "--calendar", "none"}).code == 0);
  CHECK(has(read(home / "moscow/.pm/project.yaml"), "\ncalendar: none\n"));
  Result r = init("bad", {"--tz", "Europe/Moscow", "--calendar", "rus"});
  CHECK(r.code != 0);
  CHECK(r.err == "pm: error: '--calendar': unknown calendar 'rus'; use ru (the Russian production "
                 "calendar), none (working days only) or the path of an .ics file of holidays\n");
  CHECK_FALSE(std::filesystem::exists(home / "bad/.pm"));
  r = init("missing", {"--calendar", "nowhere.ics"});
  CHECK(r.code != 0);
  CHECK(has(r.err, "--calendar nowhere.ics: no such file"));
  // An .ics file: kept relative to .pm/, so the project moves with it.
  std::filesystem::copy_file(k_ics, home / "holidays.ics");
  REQUIRE(init("ics", {"--tz", "Europe/London", "--calendar", "holidays.ics"}).code == 0);
  CHECK(has(read(home / "ics/.pm/project.yaml"), "\ncalendar: ../../holidays.ics\n"));
  r = run({"-C", "ics", "calendar", "--from", "2026-12-24", "--to", "2026-12-28", "--json"},
          home.path(), env);
  REQUIRE(r.code == 0);
  json j = json::parse(r.out);
  CHECK(j["working_days"] == 2);
  CHECK(j["non_working"][0]["why"] == "holiday: Christmas");
}

TEST_CASE("pm starts without libical and opens it for iCalendar only", "[calendar][ics]") {
  // An empty libical.so.3 first on the library path: were pm linked with libical, the dynamic
  // loader would refuse it before main ("file too short"); pm opens it with dlopen only to read
  // or write an .ics file (src/core/time/ical_api.hpp), and then names the package to install.
  Project p({"--calendar", "ru"});
  TempDir libs;
  std::ofstream(libs / "libical.so.3").close();
  p.env["LD_LIBRARY_PATH"] = libs.path().string();
  Result r = p.pm({"--version"});
  CHECK(r.code == 0);
  CHECK(r.err.empty());
  r = p.pm({"calendar", "--from", "2026-12-28", "--to", "2027-01-12"});
  CHECK(r.code == 0);
  CHECK(r.err.empty());
  r = p.pm({"calendar", "export"});
  CHECK(r.code == 1);
  CHECK(r.out.empty());
  CHECK(has(r.err, "pm: error: reading or writing iCalendar (.ics) needs libical 3: install the "
                   "package libical3 (apt-get install libical3); "));
  CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
}

TEST_CASE("change propose --days counts working days across the New Year", "[calendar][change]") {
  Project p({"--calendar", "ru"});
  Result r = p.pm({"change", "propose", "Add a blog", "--reason", "News", "--days", "4"});
  REQUIRE(r.code == 0);
  CHECK(r.err == "change 1 proposed (+4 working days); it counts once both sides approve it\n");
  json c = json::parse(p.pm({"change", "show", "1", "--json"}).out)["change"];
  CHECK(c["days"] == 17);  // 25 December 2026 + 4 working days = 11 January 2027
  CHECK(c["working_days"] == 4);
  CHECK(c["days_kind"] == "working");
  r = p.pm({"change", "show", "1"});
  CHECK(has(r.out, "Impact:    +4 working days\n"));
  CHECK(has(r.out, "; 2027-01-11 if this change is approved\n"));
  r = p.pm({"render", "change-notice", "--format", "text"});
  REQUIRE(r.code == 0);
  CHECK(has(r.out, "- Timeline: +4 working days\n"));
  CHECK(has(r.out, "- Deadline: 11 January 2027 instead of 25 December 2026\n"));
  REQUIRE(p.pm({"change", "approve", "1", "--side", "client", "--by", "Ivan Sidorov"}).code == 0);
  r = p.pm({"change", "approve", "1", "--side", "team"});
  REQUIRE(r.code == 0);
  CHECK(has(r.err, "project deadline 2027-01-11 (baseline 2026-12-25, +17 days by approved "
                   "changes)"));
  // From the new deadline one working day back is the last working day of 2026.
  REQUIRE(p.pm({"change", "propose", "Drop the forum", "--reason", "Not needed", "--days", "-1"})
              .code == 0);
  c = json::parse(p.pm({"change", "show", "2", "--json"}).out)["change"];
  CHECK(c["days"] == -12);
  CHECK(c["working_days"] == -1);
}

TEST_CASE("the change notice in Russian says working days", "[calendar][change]") {
  Project p({"--lang", "ru", "--calendar", "ru"});
  REQUIRE(p.pm({"change", "propose", "Отчёт", "--reason", "Запрос клиента", "--days", "3"}).code ==
          0);
  REQUIRE(p.pm({"change", "propose", "Отчёт 2", "--reason", "Запрос", "--days", "5"}).code == 0);
  Result r = p.pm({"render", "change-notice", "--set", "change=1", "--format", "text"});
  REQUIRE(r.code == 0);
  CHECK(has(r.out, "- Сроки: +3 рабочих дня\n"));
  CHECK(has(r.out, "- Срок сдачи: 30 декабря 2026 г. вместо 25 декабря 2026 г.\n"));
  r = p.pm({"render", "change-notice", "--set", "change=2", "--format", "text"});
  CHECK(has(r.out, "- Сроки: +5 рабочих дней\n"));
  CHECK(has(r.out, "- Срок сдачи: 12 января 2027 г. вместо 25 декабря 2026 г.\n"));
}

TEST_CASE("change propose --calendar-days opts out of working days", "[calendar][change]") {
  Project p({"--calendar", "ru"});
  Result r = p.pm({"change", "propose", "Add a blog", "--reason", "News", "--days", "4",
                   "--calendar-days"});
  REQUIRE(r.code == 0);
  CHECK(r.err == "change 1 proposed (+4 days); it counts once both sides approve it\n");
  json c = json::parse(p.pm({"change", "show", "1", "--json"}).out)["change"];
  CHECK(c["days"] == 4);
  CHECK(c["working_days"] == nullptr);
  CHECK(c["days_kind"] == "calendar");
  r = p.pm({"change", "propose", "X", "--reason", "Y", "--days", "4000"});
  CHECK(r.code != 0);
  CHECK(r.err == "pm: error: --days 4000: a shift of more than 3650 days is surely a typo\n");
}

namespace {

/// The value of the first line of `ics` starting with `name` (":" or ";" included) after
/// `from`, unfolded; empty when there is none.
std::string ics_value(const std::string& ics, const std::string& name, std::size_t from = 0) {
  std::size_t at = ics.find("\r\n" + name, from);
  if (at == std::string::npos) {
    return "";
  }
  at += 2 + name.size();
  std::string value;
  for (std::size_t end; (end = ics.find("\r\n", at)) != std::string::npos;) {
    value += ics.substr(at, end - at);
    if (ics.compare(end + 2, 1, " ") != 0) {
      break;
    }
    at = end + 3;
  }
  return value;
}

/// The VEVENT whose UID starts with `uid_prefix`, as text.
std::string ics_event(const std::string& ics, const std::string& uid_prefix) {
  const std::size_t uid = ics.find("\r\nUID:" + uid_prefix);
  if (uid == std::string::npos) {
    return "";
  }
  const std::size_t begin = ics.rfind("BEGIN:VEVENT", uid);
  const std::size_t end = ics.find("END:VEVENT", uid);
  return ics.substr(begin, end - begin);
}

}  // namespace

TEST_CASE("pm calendar export: the deadline and the agreements' due dates as iCalendar",
          "[calendar][ics]") {
  Project p({"--calendar", "ru"});
  REQUIRE(p.pm({"log-agreement", "Texts, images; the menu\nall from the client", "--with",
                "Ivan Sidorov", "--due", "2026-12-01"}).code == 0);
  REQUIRE(p.pm({"log-agreement", "Design review", "--due", "2026-12-10"}).code == 0);
  REQUIRE(p.pm({"log-agreement", "No date"}).code == 0);
  REQUIRE(p.pm({"log-agreement", "Design review, later", "--due", "2026-12-15", "--supersedes",
                "2"}).code == 0);
  REQUIRE(p.pm({"change", "propose", "Add a blog", "--reason", "News", "--calendar-days",
                "--days", "3"}).code == 0);
  REQUIRE(p.pm({"change", "approve", "1", "--side", "client", "--by", "Ivan Sidorov"}).code == 0);
  REQUIRE(p.pm({"change", "approve", "1", "--side", "team"}).code == 0);

  Result r = p.pm({"calendar", "export"});
  REQUIRE(r.code == 0);
  CHECK(r.err.empty());
  const std::string ics = r.out;
  CHECK(ics.starts_with("BEGIN:VCALENDAR\r\n"));
  CHECK(ics.ends_with("END:VCALENDAR\r\n"));
  CHECK(has(ics, "\r\nX-WR-CALNAME:Website\r\n"));
  CHECK(has(ics, "\r\nBEGIN:VTIMEZONE\r\nTZID:Europe/Moscow\r\n"));

  const std::string deadline = ics_event(ics, "deadline@");
  REQUIRE(!deadline.empty());
  CHECK(ics_value(deadline, "DTSTART;VALUE=DATE:") == "20261228");  // 25 December + 3 days
  CHECK(ics_value(deadline, "SUMMARY:") == "Website: Project deadline");
  CHECK(ics_value(deadline, "SEQUENCE:") == "1");
  CHECK(ics_value(deadline, "DESCRIPTION:") ==
        "2026-12-28\\, moved from the original 2026-12-25 (+3 days by approved changes).");

  const std::string first = ics_event(ics, "agreement-1@");
  REQUIRE(!first.empty());
  CHECK(ics_value(first, "DTSTART;VALUE=DATE:") == "20261201");
  CHECK(ics_value(first, "SUMMARY:") == "Agreement #1 due: Texts\\, images\\; the menu");
  CHECK(ics_value(first, "DESCRIPTION:") ==
        "Texts\\, images\\; the menu\\nall from the client\\n\\nAgreed on 2026-11-20 with Ivan "
        "Sidorov.");
  CHECK(ics_value(first, "DTSTAMP:") == "20261120T070000Z");  // recorded at PM_NOW
  // Agreement 4 replaced 2: the event keeps 2's UID, a calendar moves it to the new day.
  const std::string second = ics_event(ics, "agreement-2@");
  REQUIRE(!second.empty());
  CHECK(ics_value(second, "DTSTART;VALUE=DATE:") == "20261215");
  CHECK(ics_value(second, "SEQUENCE:") == "1");
  CHECK(ics_value(second, "SUMMARY:") == "Agreement #4 due: Design review\\, later");
  CHECK(ics_event(ics, "agreement-3@").empty());  // no due date
  CHECK(ics_event(ics, "agreement-4@").empty());

  // The same ledger and PM_NOW: the same bytes; -o writes them to a file.
  CHECK(p.pm({"calendar", "export"}).out == ics);
  r = p.pm({"calendar", "export", "-o", "project.ics"});
  REQUIRE(r.code == 0);
  CHECK(r.err == "Exported 3 events to project.ics\n");
  CHECK(read(p.root() / "work/project.ics") == ics);

  // --from and --to keep what falls between them.
  r = p.pm({"calendar", "export", "--from", "2026-12-05", "--to", "2026-12-20"});
  REQUIRE(r.code == 0);
  CHECK(ics_event(r.out, "agreement-1@").empty());
  CHECK(!ics_event(r.out, "agreement-2@").empty());
  CHECK(ics_event(r.out, "deadline@").empty());
  r = p.pm({"calendar", "export", "--from", "2026-12-20", "--to", "2026-12-05"});
  CHECK(r.code == 2);

  // Python's icalendar package reads it, each event on its day (Debian's python3-icalendar is
  // installed for /usr/bin/python3, which a pyenv on PATH hides).
  std::string python;
  for (const char* candidate : {"python3", "/usr/bin/python3"}) {
    if (python.empty() &&
        std::system((std::string(candidate) + " -c 'import icalendar' >/dev/null 2>&1").c_str()) ==
            0) {
      python = candidate;
    }
  }
  if (python.empty()) {
    std::fprintf(stderr, "SKIPPED: python3-icalendar not installed (scripts/deps installs it)\n");
    WARN("SKIPPED: python3-icalendar not installed");
    return;
  }
  const std::string command =
      python + " '" +
      (std::filesystem::path(PM_SOURCE_DIR) / "tests/core/time/check_ics.py").string() + "' '" +
      (p.root() / "work/project.ics").string() + "'";
  Result py = sh(command, p.root(), p.env);
  INFO(py.err);
  REQUIRE(py.code == 0);
  CHECK(has(py.out, "\t2026-12-28\t2026-12-29\t1\t\t\tWebsite: Project deadline\n"));
  CHECK(has(py.out, "\t2026-12-01\t2026-12-02\t0\t\t\tAgreement #1 due: Texts, images; the menu\n"));
  CHECK(has(py.out, "\t2026-12-15\t2026-12-16\t1\t\t\tAgreement #4 due: Design review, later\n"));
}

TEST_CASE("pm calendar export in Russian", "[calendar][ics]") {
  Project p({"--lang", "ru"});
  REQUIRE(p.pm({"log-agreement", "Тексты от клиента; макеты, меню", "--due", "2026-12-01"}).code ==
          0);
  Result r = p.pm({"calendar", "export"});
  REQUIRE(r.code == 0);
  CHECK(ics_value(ics_event(r.out, "agreement-1@"), "SUMMARY:") ==
        "Срок по договорённости № 1: Тексты от клиента\\; макеты\\, меню");
  CHECK(has(r.out, "UID:deadline@"));
}

TEST_CASE("pm calendar export: open reminders, withdrawn agreements and done reminders leave",
          "[calendar][ics][lifecycle]") {
  Project p;
  REQUIRE(p.pm({"log-agreement", "Logo files", "--due", "2026-12-01"}).code == 0);
  REQUIRE(p.pm({"log-agreement", "Photos", "--due", "2026-12-02"}).code == 0);
  REQUIRE(p.pm({"remind", "Call Ivan; the logo", "--on", "2026-11-25", "--about", "1"}).code == 0);
  REQUIRE(p.pm({"remind", "Invoice", "--in", "2wd"}).code == 0);
  std::string ics = p.pm({"calendar", "export"}).out;
  const std::string call = ics_event(ics, "reminder-1@");
  REQUIRE(!call.empty());
  CHECK(ics_value(call, "DTSTART;VALUE=DATE:") == "20261125");
  CHECK(ics_value(call, "SUMMARY:") == "Reminder: Call Ivan\\; the logo");
  CHECK(ics_value(call, "DESCRIPTION:") == "Call Ivan\\; the logo\\n\\nA1 Logo files");
  CHECK(ics_value(ics_event(ics, "reminder-2@"), "DTSTART;VALUE=DATE:") == "20261124");
  CHECK(!ics_event(ics, "agreement-2@").empty());

  REQUIRE(p.pm({"agreement", "withdraw", "2", "--reason", "no photos"}).code == 0);
  REQUIRE(p.pm({"reminders", "done", "2"}).code == 0);
  ics = p.pm({"calendar", "export"}).out;
  CHECK(ics_event(ics, "agreement-2@").empty());
  CHECK(ics_event(ics, "reminder-2@").empty());
  CHECK(!ics_event(ics, "reminder-1@").empty());
  CHECK(!ics_event(ics, "agreement-1@").empty());
}

TEST_CASE("pm calendar export: meetings at their time, the schedule as a rule without holidays",
          "[calendar][ics][meetings]") {
  Project p({"--calendar", "ru"});
  {
    std::ofstream yaml(p.root() / "work/.pm/project.yaml", std::ios::app);
    yaml << "meetings:\n  - {title: Weekly sync, every: week, day: tue, time: \"11:00\", "
            "duration: 45, from: 2026-12-01}\n";
  }
  REQUIRE(p.pm({"meeting", "Kick-off", "--on", "2026-11-23 15:00", "--with", "Ivan Sidorov"})
              .code == 0);
  Result r = p.pm({"calendar", "export"});
  REQUIRE(r.code == 0);
  const std::string kickoff = ics_event(r.out, "meeting-1@");
  REQUIRE(!kickoff.empty());
  CHECK(ics_value(kickoff, "DTSTART;TZID=Europe/Moscow:") == "20261123T150000");
  CHECK(ics_value(kickoff, "SUMMARY:") == "Kick-off");
  const std::string weekly = ics_event(r.out, "series-");
  REQUIRE(!weekly.empty());
  CHECK(ics_value(weekly, "DTSTART;TZID=Europe/Moscow:") == "20261201T110000");
  CHECK(has(weekly, "RRULE:FREQ=WEEKLY;BYDAY=TU"));
  CHECK((has(weekly, "DURATION:PT45M") || has(weekly, "DTEND;TZID=Europe/Moscow:20261201T114500")));
  // Tuesday 5 January 2027 is a New Year holiday: that meeting is left out.
  CHECK(has(weekly, "20270105T110000"));
  CHECK(!has(weekly, "20261208T110000"));
  CHECK(p.pm({"calendar", "export"}).out == r.out);
}
