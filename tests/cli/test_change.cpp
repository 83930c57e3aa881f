#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "eml_check.hpp"
#include "harness.hpp"

using namespace pm::test;
using nlohmann::json;

TEST_CASE("change propose prints the id and records the impact", "[change]") {
  Project p;
  Result r = p.pm({"change", "propose", "Add a blog section", "--reason", "The client wants news",
                   "--calendar-days",
                   "--days", "8", "--cost", "1500.5", "--currency", "eur", "--ask",
                   "Your approval by Friday"});
  REQUIRE(r.code == 0);
  CHECK(r.out == "1\n");
  CHECK(r.err == "change 1 proposed (+8 days, €1,500.50); it counts once both sides approve it\n");
  json j = json::parse(p.pm({"change", "show", "1", "--json"}).out);
  CHECK(j["version"] == 1);
  auto c = j["change"];
  CHECK(c["id"] == 1);
  CHECK(c["text"] == "Add a blog section");
  CHECK(c["reason"] == "The client wants news");
  CHECK(c["status"] == "proposed");
  CHECK(c["days"] == 8);
  CHECK(c["cost"] == "1500.50");
  CHECK(c["currency"] == "EUR");
  CHECK(c["ask"] == "Your approval by Friday");
  CHECK(c["proposed_at"] == "2026-11-20T10:00:00+03:00");
  CHECK(c["author"] == "Test Author");
  CHECK(c["decided_at"] == nullptr);
  CHECK(c["decisions"] == json::array());
  CHECK(j["deadline"] == json{{"baseline", "2026-12-25"}, {"current", "2026-12-25"}, {"days", 0},
                              {"shifted", false}});
  // Negative days bring the deadline forward; --days=-N and --days -N both work.
  r = p.pm({"change", "propose", "Drop the forum", "--reason", "Not needed", "--calendar-days",
            "--days", "-3"});
  CHECK(r.code == 0);
  CHECK(r.out == "2\n");
  CHECK(json::parse(p.pm({"change", "show", "2", "--json"}).out)["change"]["days"] == -3);
}

TEST_CASE("a change approved in a project without a deadline says how to set one",
          "[change]") {
  Project p;
  std::filesystem::path config = p.root() / "work/.pm/project.yaml";
  std::string yaml = read(config);
  const std::size_t at = yaml.find("deadline:");
  REQUIRE(at != std::string::npos);
  yaml.erase(at, yaml.find('\n', at) - at + 1);
  std::ofstream(config) << yaml;
  REQUIRE(p.pm({"change", "propose", "Add a blog", "--reason", "News", "--calendar-days",
                "--days", "3"}).code == 0);
  REQUIRE(p.pm({"change", "approve", "1", "--side", "client", "--by", "Ivan Sidorov"}).code == 0);
  Result r = p.pm({"change", "approve", "1", "--side", "team"});
  REQUIRE(r.code == 0);
  CHECK(r.err == "change 1: approved by both sides; no deadline set (add deadline: YYYY-MM-DD "
                 "to .pm/project.yaml)\n");
}

TEST_CASE("a change counts only once both sides approved it", "[change]") {
  Project p;
  REQUIRE(p.pm({"change", "propose", "Add a blog", "--reason", "News", "--calendar-days",
                "--days", "8"}).code == 0);
  p.env["PM_NOW"] = "2026-11-21T10:00:00+03:00";
  Result r = p.pm({"change", "approve", "1", "--side", "client", "--by", "Ivan Sidorov"});
  REQUIRE(r.code == 0);
  CHECK(r.out.empty());
  CHECK(r.err == "change 1: approved by the client, awaiting the team's approval\n");
  json list = json::parse(p.pm({"change", "list", "--json"}).out);
  CHECK(list["changes"][0]["status"] == "proposed");
  CHECK(list["deadline"]["current"] == "2026-12-25");

  p.env["PM_NOW"] = "2026-11-22T10:00:00+03:00";
  r = p.pm({"change", "approve", "1", "--side", "team"});
  REQUIRE(r.code == 0);
  CHECK(r.err == "change 1: approved by both sides; project deadline 2027-01-02 (baseline "
                 "2026-12-25, +8 days by approved changes)\n");
  list = json::parse(p.pm({"change", "list", "--json"}).out);
  auto c = list["changes"][0];
  CHECK(c["status"] == "approved");
  CHECK(c["decided_at"] == "2026-11-22T10:00:00+03:00");
  REQUIRE(c["decisions"].size() == 2);
  CHECK(c["decisions"][0] == json{{"id", 2}, {"side", "client"}, {"verdict", "approve"},
                                  {"by", "Ivan Sidorov"}, {"reason", nullptr},
                                  {"evidence", nullptr}, {"at", "2026-11-21T10:00:00+03:00"}});
  CHECK(c["decisions"][1]["by"] == "Anna Petrova");  // --by defaults to the author
  CHECK(list["deadline"] == json{{"baseline", "2026-12-25"}, {"current", "2027-01-02"},
                                 {"days", 8}, {"shifted", true}});

  Result table = p.pm({"change", "list"});
  CHECK(table.code == 0);
  CHECK(table.out ==
        "NO  PROPOSED    STATUS    CLIENT                   TEAM                     IMPACT   TEXT\n"
        "1   2026-11-20  approved  approved (Ivan Sidorov)  approved (Anna Petrova)  +8 days  Add a blog\n"
        "\n"
        "Deadline: 2027-01-02 (baseline 2026-12-25, +8 days by approved changes)\n");
  Result show = p.pm({"change", "show", "1"});
  CHECK(show.out ==
        "Change 1: Add a blog\n"
        "Status:    approved by both sides\n"
        "Reason:    News\n"
        "Impact:    +8 days\n"
        "Proposed:  2026-11-20 10:00 by Test Author\n"
        "Client:    approved by Ivan Sidorov on 2026-11-21 10:00\n"
        "Team:      approved by Anna Petrova on 2026-11-22 10:00\n"
        "Deadline:  2027-01-02 (baseline 2026-12-25, +8 days by approved changes)\n");
}

TEST_CASE("one rejection rejects a change, a decided change takes no more decisions", "[change]") {
  Project p;
  REQUIRE(p.pm({"change", "propose", "Dark mode", "--reason", "Nice", "--calendar-days",
                "--days", "5"}).code == 0);
  REQUIRE(p.pm({"change", "approve", "1", "--side", "team"}).code == 0);
  Result twice = p.pm({"change", "approve", "1", "--side", "team"});
  CHECK(twice.code == 1);
  CHECK(twice.err == "pm: error: the team already approved change 1; it waits for the client's "
                     "decision\n");
  Result r = p.pm({"change", "reject", "1", "--side", "client", "--by", "Ivan Sidorov", "--reason",
                   "Not in this budget"});
  REQUIRE(r.code == 0);
  CHECK(r.err == "change 1: rejected by the client\n");
  int entries = p.entry_count();
  for (const auto& side : {"client", "team"}) {
    for (const auto& verb : {"approve", "reject"}) {
      Result again = p.pm({"change", verb, "1", "--side", side, "--by",
                           std::string(side) == "client" ? "Ivan Sidorov" : "Anna Petrova"});
      CHECK(again.code == 1);
      CHECK(again.err == "pm: error: change 1 was already rejected by the client; propose a new "
                         "change instead\n");
    }
  }
  CHECK(p.entry_count() == entries);
  json j = json::parse(p.pm({"change", "list", "--status", "rejected", "--json"}).out);
  REQUIRE(j["changes"].size() == 1);
  CHECK(j["changes"][0]["decisions"][1]["reason"] == "Not in this budget");
  CHECK(j["deadline"]["current"] == "2026-12-25");
  CHECK(p.pm({"change", "list", "--status", "approved"}).out ==
        "No approved changes.\n\nDeadline: 2026-12-25 (the baseline; no approved change moved it)\n");
}

TEST_CASE("bad change input is refused and records nothing", "[change]") {
  Project p;
  REQUIRE(p.pm({"change", "propose", "A", "--reason", "B"}).code == 0);
  REQUIRE(p.pm({"done", "Not a change"}).code == 0);
  int entries = p.entry_count();
  struct Case {
    std::vector<std::string> args;
    int code;
    std::string message;
  };
  std::vector<Case> cases = {
      {{"change", "approve", "99", "--side", "client"}, 1,
       "pm: error: there is no change 99; `pm change list` shows the changes\n"},
      {{"change", "reject", "2", "--side", "client"}, 1,
       "pm: error: there is no change 2; `pm change list` shows the changes\n"},
      {{"change", "show", "99"}, 1, "there is no change 99"},
      {{"change", "approve", "1", "--side", "both"}, 2,
       "'both' is not a side: each side decides on its own, give client or team"},
      {{"change", "approve", "1"}, 2, "--side is required"},
      {{"change", "propose", "X", "--reason", "Y", "--cost", "-100", "--currency", "EUR"}, 1,
       "pm: error: --cost -100: a cost cannot be negative; give what the change adds to the "
       "budget, 0 or more\n"},
      {{"change", "propose", "X", "--reason", "Y", "--cost", "100"}, 1, "--cost needs --currency"},
      {{"change", "propose", "X", "--reason", "Y", "--cost", "1e3", "--currency", "EUR"}, 1,
       "give an amount such as 1500"},
      {{"change", "propose", "X", "--reason", "Y", "--cost", "10", "--currency", "euro"}, 1,
       "three-letter ISO 4217 code"},
      {{"change", "propose", "X", "--reason", "Y", "--days", "soon"}, 2, "--days"},
      {{"change", "propose", "X"}, 2, "--reason is required"},
      {{"change", "propose", "X", "--reason", " "}, 1, "--reason is empty"},
      {{"change", "list", "--status", "maybe"}, 2, "--status"},
      {{"change"}, 2, "needs one of its commands"},
  };
  for (const auto& c : cases) {
    Result r = p.pm(c.args);
    std::string command;
    for (const auto& arg : c.args) {
      command += arg + " ";
    }
    INFO(command << "-> " << r.err);
    CHECK(r.code == c.code);
    CHECK(r.err.find(c.message) != std::string::npos);
    CHECK(r.out.empty());
  }
  CHECK(p.entry_count() == entries);
  CHECK(p.pm({"change", "--help"}).code == 0);
  CHECK(p.pm({"change", "propose", "--help"}).code == 0);
}

TEST_CASE("the letter option renders the change notice on propose and on the final decision", "[change]") {
  Project p;
  Result r = p.pm({"change", "propose", "Add a blog section", "--reason", "The client wants news",
                   "--calendar-days",
                   "--days", "8", "--cost", "1500", "--currency", "EUR", "--letter"});
  REQUIRE(r.code == 0);
  CHECK(r.err.find("1\n") != std::string::npos);
  CHECK(r.out.find("Subject: Website: change #1 for your approval\n") != std::string::npos);
  CHECK(r.out.find("X-PM-Entry: 1\n") != std::string::npos);
  check_eml(p.root(), r.out, "Website: change #1 for your approval",
            "- Deadline: 2 January 2027 instead of 25 December 2026");
  check_eml(p.root(), r.out, "Website: change #1 for your approval", "- Cost: €1,500.00");

  // The first approval decides nothing, so there is no letter to send: refused, nothing recorded.
  int entries = p.entry_count();
  Result early = p.pm({"change", "approve", "1", "--side", "team", "--letter"});
  CHECK(early.code == 1);
  CHECK(early.err.find("--letter: this approval does not decide change 1 (the client has not "
                       "approved it yet)") != std::string::npos);
  CHECK(p.entry_count() == entries);

  REQUIRE(p.pm({"change", "approve", "1", "--side", "team"}).code == 0);
  p.env["PM_NOW"] = "2026-11-23T09:00:00+03:00";
  r = p.pm({"change", "approve", "1", "--side", "client", "--by", "Ivan Sidorov", "--letter",
            "--format", "text"});
  REQUIRE(r.code == 0);
  CHECK(r.out.find("Subject: Website: change #1 approved\n") != std::string::npos);
  CHECK(r.out.find("is approved by both sides\nand now applies.") != std::string::npos);
  CHECK(r.out.find("- Timeline: +8 days\n- Deadline: 2 January 2027 instead of 25 December 2026\n") !=
        std::string::npos);

  REQUIRE(p.pm({"change", "propose", "Dark mode", "--reason", "Nice", "--calendar-days",
                "--days", "1"}).code == 0);
  r = p.pm({"change", "reject", "2", "--side", "client", "--by", "Ivan Sidorov", "--letter",
            "-o", "notice.eml"});
  REQUIRE(r.code == 0);
  CHECK(r.out.empty());
  std::string notice = read(p.root() / "work/notice.eml");
  check_eml(p.root(), notice, "Website: change #2 not accepted",
            "The deadline stays 2 January 2027.");
  check_eml(p.root(), notice, "Website: change #2 not accepted", "- Timeline: +1 day");
}

TEST_CASE("the change notice speaks Russian for a Russian project", "[change]") {
  Project p({"--lang", "ru"});
  REQUIRE(p.pm({"change", "propose", "Добавить блог", "--reason", "Клиент просит новости", "--calendar-days",
                "--days",
                "-2"})
              .code == 0);
  Result r = p.pm({"render", "change-notice"});
  REQUIRE(r.code == 0);
  CHECK(r.out.find("Subject: Website: изменение № 1 на согласование\n") != std::string::npos);
  CHECK(r.out.find("- Сроки: -2 дн.\n- Срок сдачи: 23 декабря 2026 г. вместо 25 декабря 2026 г.\n") !=
        std::string::npos);
  CHECK(r.out.find("Статус: предложено, ждёт согласования обеих сторон\n") != std::string::npos);
}

TEST_CASE("a change notice says only what is true in the change's state", "[change][letter]") {
  for (const std::string lang : {"en", "ru"}) {
    INFO(lang);
    Project p({"--lang", lang});
    REQUIRE(p.pm({"change", "propose", "Add a blog", "--reason", "asked", "--calendar-days",
                  "--days", "10",
                  "--cost", "300000", "--currency", "RUB", "--ask", "Your approval by Friday"})
                .code == 0);
    const std::string instead = lang == "en" ? "instead of" : "вместо";
    const std::string ask = lang == "en" ? "Your approval by Friday" : "Your approval by Friday";
    Result proposed = p.pm({"render", "change-notice", "--set", "change=1"});
    REQUIRE(proposed.code == 0);
    CHECK(proposed.out.find(instead) != std::string::npos);
    CHECK(proposed.out.find(ask) != std::string::npos);

    // Approved: the new deadline applies; nothing is asked any more.
    REQUIRE(p.pm({"change", "approve", "1", "--side", "client", "--by", "Ivan Sidorov"}).code ==
            0);
    REQUIRE(p.pm({"change", "approve", "1", "--side", "team"}).code == 0);
    Result approved = p.pm({"render", "change-notice", "--set", "change=1"});
    REQUIRE(approved.code == 0);
    CHECK(approved.out.find(instead) != std::string::npos);
    CHECK(approved.out.find(ask) == std::string::npos);

    // Rejected: no new deadline "instead of" the one that stays, nothing asked; the report
    // shows no impact for it.
    REQUIRE(p.pm({"change", "propose", "Dark mode", "--reason", "asked", "--calendar-days",
                  "--days", "10",
                  "--cost", "300000", "--currency", "RUB", "--ask", "Your approval by Friday"})
                .code == 0);
    REQUIRE(p.pm({"change", "reject", "2", "--side", "client", "--by", "Ivan Sidorov"}).code ==
            0);
    Result rejected = p.pm({"render", "change-notice", "--set", "change=2"});
    REQUIRE(rejected.code == 0);
    CHECK(rejected.out.find(instead) == std::string::npos);
    CHECK(rejected.out.find(ask) == std::string::npos);
    CHECK(rejected.out.find(lang == "en" ? "What was proposed (not applied)"
                                         : "Что предлагалось (не принято)") != std::string::npos);
    CHECK(rejected.out.find(lang == "en" ? "The deadline stays 4 January 2027."
                                         : "Срок сдачи 4 января 2027 г. остаётся в силе.") !=
          std::string::npos);
    std::string report = p.pm({"report"}).out;
    const std::size_t dark = report.find("Dark mode");
    REQUIRE(dark != std::string::npos);
    const std::string line = report.substr(dark, report.find('\n', dark) - dark);
    CAPTURE(line);
    CHECK(line.find("300000") == std::string::npos);
    CHECK(line.find("+10") == std::string::npos);
  }
}
