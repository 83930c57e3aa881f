// The agreement lifecycle, reminders and pm today, end to end: what the manager types, what
// pm prints, its exit codes, and the ledger.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <fstream>

#include "harness.hpp"

using namespace pm::test;
using nlohmann::json;

namespace {

json agreements(const Project& p, std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {"agreements", "--json"};
  args.insert(args.end(), extra.begin(), extra.end());
  Result r = p.pm(args);
  REQUIRE(r.code == 0);
  return json::parse(r.out)["agreements"];
}

std::vector<int> numbers(const json& list) {
  std::vector<int> out;
  for (const auto& a : list) {
    out.push_back(a["number"].get<int>());
  }
  return out;
}

}  // namespace

TEST_CASE("agreements are confirmed, disputed, fulfilled and withdrawn", "[lifecycle]") {
  Project p;  // now: Friday 20 November 2026, 10:00 Moscow
  REQUIRE(p.pm({"log-agreement", "Launch on 12 December", "--due", "2026-12-12"}).code == 0);
  REQUIRE(p.pm({"log-agreement", "Texts by 25 November", "--due", "2026-11-25"}).code == 0);
  REQUIRE(p.pm({"log-agreement", "A blog section"}).code == 0);
  REQUIRE(p.pm({"log-agreement", "Photos from the client"}).code == 0);
  int before = p.entry_count();

  Result r = p.pm({"agreement", "confirm", "1", "--by", "Ivan Sidorov", "--evidence",
                   "reply of 20 Nov"});
  REQUIRE(r.code == 0);
  CHECK(r.err.find("agreement 1 confirmed by Ivan Sidorov (reply of 20 Nov)") != std::string::npos);
  REQUIRE(p.pm({"agreement", "dispute", "2", "--by", "ivan@acme.example", "--reason",
                "the 27th"}).code == 0);
  REQUIRE(p.pm({"agreement", "withdraw", "3", "--reason", "dropped"}).code == 0);
  CHECK(p.entry_count() == before + 3);

  // Refused: nothing written, one line that says what to do.
  r = p.pm({"agreement", "withdraw", "4"});
  CHECK(r.code == 2);
  r = p.pm({"agreement", "confirm", "4", "--by", "Anna Petrova"});
  CHECK(r.code == 1);
  CHECK(r.err.find("Anna Petrova") != std::string::npos);
  r = p.pm({"agreement", "fulfil", "3"});
  CHECK(r.code == 1);
  CHECK(r.err == "pm: error: agreement 3 is withdrawn on 2026-11-20; nothing more can happen to "
                 "it (log a new agreement instead)\n");
  r = p.pm({"agreement", "fulfil", "9"});
  CHECK(r.code == 1);
  CHECK(p.entry_count() == before + 3);

  json all = agreements(p);
  REQUIRE(all.size() == 4);
  CHECK(all[0]["state"] == "confirmed");
  CHECK(all[0]["state_by"] == "Ivan Sidorov");
  CHECK(all[0]["state_note"] == "reply of 20 Nov");
  CHECK(all[0]["confirmed_by_silence"] == false);
  CHECK(all[1]["state"] == "disputed");
  CHECK(all[2]["state"] == "withdrawn");
  CHECK(all[3]["state"] == "open");
  // Recorded on Friday 20 November: silence confirms it at the end of Tuesday 24 November.
  CHECK(all[3]["confirm_by"] == "2026-11-24T18:00:00+03:00");

  CHECK(numbers(agreements(p, {"--open"})) == std::vector<int>{1, 2, 4});
  CHECK(numbers(agreements(p, {"--unconfirmed"})) == std::vector<int>{2, 4});
  CHECK(numbers(agreements(p, {"--state", "withdrawn"})) == std::vector<int>{3});
  CHECK(numbers(agreements(p, {"--grep", "LAUNCH"})) == std::vector<int>{1});
  CHECK(numbers(agreements(p, {"--due-within", "7d"})) == std::vector<int>{2});
  CHECK(numbers(agreements(p, {"--due-within", "3wd"})) == std::vector<int>{2});
  CHECK(numbers(agreements(p, {"--due-within", "2wd"})).empty());

  // A week later: 2 is overdue; 4 was confirmed by silence.
  p.env["PM_NOW"] = "2026-11-27T10:00:00+03:00";
  CHECK(numbers(agreements(p, {"--overdue"})) == std::vector<int>{2});
  json later = agreements(p);
  CHECK(later[3]["state"] == "confirmed");
  CHECK(later[3]["confirmed_by_silence"] == true);
  Result table = p.pm({"agreements"});
  CHECK(table.out.find("STATE") != std::string::npos);
  CHECK(table.out.find("confirmed (silence)") != std::string::npos);

  // Fulfilled: it leaves --open and the report's overdue list.
  REQUIRE(p.pm({"agreement", "fulfil", "1", "--reason", "released"}).code == 0);
  CHECK(numbers(agreements(p, {"--open"})) == std::vector<int>{2, 4});

  // pm show: the state and the history; pm log: each step.
  Result show = p.pm({"show", "A2"});
  CHECK(show.out.find("State:    disputed") != std::string::npos);
  CHECK(show.out.find("agreement 2 disputed by Ivan Sidorov: the 27th") != std::string::npos);
  Result log = p.pm({"log"});
  CHECK(log.out.find("agreement 3 withdrawn: dropped") != std::string::npos);

  // The report from 16 November on lists the steps, in order.
  Result report = p.pm({"report", "--json", "--since", "2026-11-16"});
  REQUIRE(report.code == 0);
  json steps = json::parse(report.out)["agreement_steps"];
  REQUIRE(steps.size() == 4);
  CHECK(steps[0]["state"] == "confirmed");
  CHECK(steps[0]["by"] == "Ivan Sidorov");
  CHECK(steps[2]["state"] == "withdrawn");
  CHECK(steps[2]["note"] == "dropped");
  CHECK(steps[3]["state"] == "fulfilled");
  CHECK(steps[3]["number"] == 1);
  Result text = p.pm({"report", "--since", "2026-11-16"});
  CHECK(text.out.find("Agreements confirmed, fulfilled or withdrawn") != std::string::npos);
  CHECK(p.pm({"verify"}).code == 0);
}

TEST_CASE("the confirmation letter says the project's window", "[lifecycle]") {
  Project p;
  REQUIRE(p.pm({"log-agreement", "Launch on 12 December"}).code == 0);
  Result r = p.pm({"render", "agreement-confirmation"});
  REQUIRE(r.code == 0);
  CHECK(r.out.find("within two working days") != std::string::npos);
  std::string yaml = read(p.root() / "work/.pm/project.yaml");
  CHECK(yaml.find("confirm_within: 2") != std::string::npos);
  std::string changed = yaml;
  changed.replace(changed.find("confirm_within: 2"), 17, "confirm_within: 5");
  std::ofstream(p.root() / "work/.pm/project.yaml") << changed;
  r = p.pm({"render", "agreement-confirmation"});
  CHECK(r.out.find("within five working days") != std::string::npos);
  changed.replace(changed.find("confirm_within: 5"), 17, "confirm_within: 0");
  std::ofstream(p.root() / "work/.pm/project.yaml") << changed;
  r = p.pm({"agreements"});
  CHECK(r.code == 1);
  CHECK(r.err.find("'confirm_within' must be a whole number from 1 to 30") != std::string::npos);
}

TEST_CASE("pm today: exit 0 with nothing overdue, 7 with something", "[lifecycle][today]") {
  Project p;
  Result r = p.pm({"today"});
  CHECK(r.code == 0);
  REQUIRE(p.pm({"log-agreement", "Texts by Monday", "--due", "2026-11-23"}).code == 0);
  r = p.pm({"remind", "Call Ivan about the texts", "--in", "1wd", "--about", "1"});
  REQUIRE(r.code == 0);
  CHECK(r.out == "1\n");
  r = p.pm({"today"});
  CHECK(r.code == 0);
  CHECK(r.out.find("Awaiting confirmation") != std::string::npos);
  CHECK(r.out.find("Coming up (next 3 working days)") != std::string::npos);
  CHECK(r.out.find("T1  Call Ivan about the texts") != std::string::npos);

  p.env["PM_NOW"] = "2026-11-24T09:00:00+03:00";
  r = p.pm({"today"});
  CHECK(r.code == 7);
  CHECK(r.err.empty());
  CHECK(r.out.find("Overdue") != std::string::npos);
  CHECK(r.out.find("A1  Texts by Monday") != std::string::npos);
  json j = json::parse(p.pm({"today", "--json"}).out);
  CHECK(j["overdue"] == true);
  CHECK(j["date"] == "2026-11-24");
  std::vector<std::string> overdue;
  for (const auto& item : j["items"]) {
    if (item["section"] == "overdue") {
      overdue.push_back(item["reference"].get<std::string>());
    }
  }
  CHECK(overdue == std::vector<std::string>{"A1", "T1"});

  REQUIRE(p.pm({"reminders", "done", "1"}).code == 0);
  REQUIRE(p.pm({"agreement", "fulfil", "1"}).code == 0);
  CHECK(p.pm({"today"}).code == 0);
  CHECK(p.pm({"reminders"}).out.find("No open reminders") != std::string::npos);
  CHECK(p.pm({"reminders", "--all", "--json"}).out.find("\"done\": \"2026-11-24T09:00:00+03:00\"") !=
        std::string::npos);
  r = p.pm({"remind", "Too late", "--on", "2026-11-01"});
  CHECK(r.code == 2);
  r = p.pm({"remind", "When?"});
  CHECK(r.code == 2);
  CHECK(r.err.find("--on DATE") != std::string::npos);
}

TEST_CASE("pm today names today's meetings, recorded or scheduled", "[lifecycle][today][meetings]") {
  Project p;
  {
    std::ofstream yaml(p.root() / "work/.pm/project.yaml", std::ios::app);
    yaml << "meetings:\n  - {title: Weekly sync, every: week, day: tue, time: \"11:00\"}\n";
  }
  REQUIRE(p.pm({"meeting", "Design review", "--on", "2026-11-24 15:00"}).code == 0);
  REQUIRE(p.pm({"question", "add", "Which payment provider?", "--due", "2026-11-23"}).code == 0);
  p.env["PM_NOW"] = "2026-11-24T09:00:00+03:00";  // a Tuesday
  json j = json::parse(p.pm({"today", "--json"}).out);
  std::vector<std::string> today;
  std::vector<std::string> overdue;
  for (const auto& item : j["items"]) {
    if (item["section"] == "today" && item["kind"] == "meeting") {
      today.push_back(item["text"].get<std::string>() + " " + item["note"].get<std::string>());
    }
    if (item["section"] == "overdue") {
      overdue.push_back(item["reference"].get<std::string>());
    }
  }
  CHECK(today == std::vector<std::string>{"Weekly sync at 11:00 (every week)",
                                          "Design review at 15:00"});
  CHECK(overdue == std::vector<std::string>{"Q1"});
  p.env["PM_NOW"] = "2026-11-25T09:00:00+03:00";
  CHECK(p.pm({"today"}).out.find("Weekly sync") == std::string::npos);
}
