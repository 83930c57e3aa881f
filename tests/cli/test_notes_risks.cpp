#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "harness.hpp"

using namespace pm::test;
using nlohmann::json;

TEST_CASE("done and next print the new id, --on dates them", "[notes]") {
  Project p;
  Result r = p.pm({"done", "Sent the wireframes"});
  REQUIRE(r.code == 0);
  CHECK(r.out == "1\n");
  CHECK(p.pm({"next", "Design review on Tuesday"}).out == "2\n");
  CHECK(p.pm({"done", "Fixed the menu", "--on", "2026-11-18"}).out == "3\n");
  CHECK(p.pm({"next", "Launch checklist", "--on", "2026-11-30"}).code == 0);
  json j = json::parse(p.pm({"report", "--format", "json"}).out);
  REQUIRE(j["done"].size() == 2);
  CHECK(j["done"][0] == json{{"id", 3}, {"text", "Fixed the menu"}, {"date", "2026-11-18"},
                             {"author", "Test Author"}});
  CHECK(j["done"][1]["date"] == "2026-11-20");
  REQUIRE(j["next"].size() == 1);  // the one dated next week waits for next week's report
  CHECK(j["next"][0]["text"] == "Design review on Tuesday");
}

TEST_CASE("bad notes are refused and record nothing", "[notes]") {
  Project p;
  REQUIRE(p.pm({"log-agreement", "Texts by Friday", "--due", "2026-11-27"}).code == 0);
  struct Case {
    std::vector<std::string> args;
    int code;
    std::string message;
  };
  std::vector<Case> cases = {
      {{"done", "Later", "--on", "2026-11-25"}, 1, "--on 2026-11-25: that is in the future"},
      {{"done", "X", "--on", "Tuesday"}, 1, "--on Tuesday: that is in the future"},
      {{"done", "X", "--on", "Tusday"}, 1, "--on: 'Tusday' is not a date"},
      {{"done", " "}, 1, "the note has no text"},
      {{"done", "X", "--agreement", "7"}, 1, "there is no agreement 7; `pm agreements` shows the agreements"},
      {{"next", "X", "--agreement", "1"}, 2, "--agreement"},
      {{"done"}, 2, "text is required"},
  };
  for (const auto& c : cases) {
    Result r = p.pm(c.args);
    INFO(r.err);
    CHECK(r.code == c.code);
    CHECK(r.err.find(c.message) != std::string::npos);
  }
  CHECK(p.entry_count() == 1);
  CHECK(p.pm({"done", "Texts arrived", "--agreement", "1"}).code == 0);
  Result again = p.pm({"done", "Texts arrived again", "--agreement", "1"});
  CHECK(again.code == 1);
  CHECK(again.err == "pm: error: --agreement 1: it was already fulfilled by note 2\n");
  CHECK(p.pm({"done", "--help"}).code == 0);
}

TEST_CASE("risk add, close and list", "[risk]") {
  Project p;
  Result r = p.pm({"risk", "add", "Texts may come late", "--probability", "high", "--impact",
                   "medium", "--action", "Weekly reminder", "--owner", "Ivan Sidorov"});
  REQUIRE(r.code == 0);
  CHECK(r.out == "1\n");
  REQUIRE(p.pm({"risk", "add", "Hosting migration", "--probability", "low", "--impact", "high"})
              .code == 0);
  CHECK(p.pm({"risk", "list"}).out ==
        "NO  OPENED      PROBABILITY  IMPACT  OWNER         TEXT\n"
        "1   2026-11-20  high         medium  Ivan Sidorov  Texts may come late (action: Weekly "
        "reminder)\n"
        "2   2026-11-20  low          high    -             Hosting migration\n");
  p.env["PM_NOW"] = "2026-11-25T12:00:00+03:00";
  r = p.pm({"risk", "close", "1", "--note", "Texts arrived"});
  REQUIRE(r.code == 0);
  CHECK(r.err == "risk 1 closed\n");
  CHECK(p.pm({"risk", "list"}).out.find("Texts may come late") == std::string::npos);
  json j = json::parse(p.pm({"risk", "list", "--all", "--json"}).out);
  CHECK(j["version"] == 1);
  REQUIRE(j["risks"].size() == 2);
  CHECK(j["risks"][0] == json{{"id", 1},
                              {"entry_id", 1},
                              {"number", 1},
                              {"text", "Texts may come late"},
                              {"probability", "high"},
                              {"impact", "medium"},
                              {"action", "Weekly reminder"},
                              {"owner", "Ivan Sidorov"},
                              {"opened_at", "2026-11-20T10:00:00+03:00"},
                              {"author", "Test Author"},
                              {"closed", {{"id", 3},
                                          {"at", "2026-11-25T12:00:00+03:00"},
                                          {"note", "Texts arrived"},
                                          {"author", "Test Author"}}}});
  CHECK(j["risks"][1]["closed"] == nullptr);
  CHECK(j["risks"][1]["action"] == nullptr);
  CHECK(p.pm({"risk", "list", "--all"}).out.find("1   2026-11-20  2026-11-25  high") !=
        std::string::npos);

  Result twice = p.pm({"risk", "close", "1"});
  CHECK(twice.code == 1);
  CHECK(twice.err == "pm: error: risk 1 is already closed (by entry 3); pm risk list --all shows it\n");
  CHECK(p.pm({"risk", "close", "9"}).err ==
        "pm: error: there is no risk 9; `pm risk list` shows the risks\n");
  CHECK(p.pm({"risk", "close", "3"}).code == 1);
  CHECK(p.pm({"risk", "add", "X", "--probability", "huge", "--impact", "low"}).code == 2);
  CHECK(p.pm({"risk", "add", "X", "--probability", "low"}).code == 2);
  CHECK(p.pm({"risk"}).code == 2);
  CHECK(p.entry_count() == 3);
  CHECK(p.pm({"risk", "close", "2"}).code == 0);
  CHECK(p.pm({"risk", "list"}).out == "No open risks. Record one with pm risk add.\n");
}
