// The working calendar from the command line: pm calendar, pm init --calendar (and its default
// by zone), and change propose --days counted in working days across the New Year holidays.
#include <catch2/catch.hpp>
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
