// pm agreements, pm risk list and pm change list print as they read (one row in memory at a
// time): the tables must still be aligned over exactly the rows shown, the JSON exactly what
// Json::dump(2) would write, and the empty listings say so.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "harness.hpp"

using namespace pm::test;
using ordered = nlohmann::ordered_json;

namespace {

/// True when `out` is byte for byte the JSON pm wrote before it streamed: dump(2) and a newline.
bool dumped(const std::string& out) { return out == ordered::parse(out).dump(2) + "\n"; }

}  // namespace

TEST_CASE("agreements: rows in meeting order across a superseded one, columns as wide as the "
          "rows shown",
          "[agreement][listings]") {
  Project p;
  REQUIRE(p.pm({"log-agreement", "Launch on 12 December", "--meeting", "2026-11-10", "--with",
                "Ivan Sidorov", "--with", "Ольга Петрова"})
              .code == 0);
  REQUIRE(p.pm({"log-agreement", "Texts by Friday", "--meeting", "2026-11-05", "--due",
                "2026-11-27"})
              .code == 0);
  REQUIRE(p.pm({"log-agreement", "Launch on 15 December", "--supersedes", "1", "--meeting",
                "2026-11-12", "--with", "Ivan Sidorov"})
              .code == 0);
  CHECK(p.pm({"agreements", "--all"}).out ==
        "NO  AGREED      DUE         STATE            WITH                         TAGS  TEXT\n"
        "2   2026-11-05  2026-11-27  open (to 11-24)                               -     "
        "Texts by Friday\n"
        "1   2026-11-10  -           superseded       Ivan Sidorov, Ольга Петрова  -     "
        "Launch on 12 December (replaced by № 3)\n"
        "3   2026-11-12  -           open (to 11-24)  Ivan Sidorov                 -     "
        "Launch on 15 December (replaces № 1)\n");
  // The superseded agreement's wide WITH is not shown, so it does not widen the column.
  CHECK(p.pm({"agreements"}).out ==
        "NO  AGREED      DUE         STATE            WITH          TAGS  TEXT\n"
        "2   2026-11-05  2026-11-27  open (to 11-24)                -     Texts by Friday\n"
        "3   2026-11-12  -           open (to 11-24)  Ivan Sidorov  -     "
        "Launch on 15 December (replaces № 1)\n");
  CHECK(p.pm({"agreements", "--since", "2026-12-01"}).out ==
        "No open agreements. Record one with pm log-agreement.\n");

  Result all = p.pm({"agreements", "--all", "--json"});
  REQUIRE(all.code == 0);
  CHECK(dumped(all.out));
  ordered j = ordered::parse(all.out);
  CHECK(j.begin().key() == "version");
  REQUIRE(j["agreements"].size() == 3);
  CHECK(j["agreements"][0]["id"] == 2);
  CHECK(j["agreements"][1]["id"] == 1);
  CHECK(j["agreements"][1]["superseded_by"] == 3);
  CHECK(j["agreements"][2]["supersedes"] == 1);
  CHECK(j["agreements"][1]["with"] == ordered::array({"Ivan Sidorov", "Ольга Петрова"}));
  Result open = p.pm({"agreements", "--json"});
  CHECK(dumped(open.out));
  CHECK(ordered::parse(open.out)["agreements"].size() == 2);
  CHECK(p.pm({"agreements", "--since", "2026-12-01", "--json"}).out ==
        "{\n  \"version\": 1,\n  \"agreements\": []\n}\n");
}

TEST_CASE("risk list: open and closed risks in order, columns as wide as the rows shown",
          "[risks][listings]") {
  Project p;
  REQUIRE(p.pm({"risk", "add", "Texts may come late", "--probability", "high", "--impact",
                "medium", "--owner", "Ivan Sidorov", "--action", "Weekly reminder"})
              .code == 0);
  REQUIRE(p.pm({"risk", "add", "Hosting migration", "--probability", "low", "--impact", "high"})
              .code == 0);
  p.env["PM_NOW"] = "2026-11-25T12:00:00+03:00";
  REQUIRE(p.pm({"risk", "close", "1", "--note", "Texts arrived"}).code == 0);
  p.env["PM_NOW"] = "2026-11-26T12:00:00+03:00";
  REQUIRE(p.pm({"risk", "add", "Payment provider changes its API", "--probability", "medium",
                "--impact", "high", "--owner", "Ольга"})
              .code == 0);
  CHECK(p.pm({"risk", "list", "--all"}).out ==
        "NO  OPENED      CLOSED      PROBABILITY  IMPACT  OWNER         TEXT\n"
        "1   2026-11-20  2026-11-25  high         medium  Ivan Sidorov  Texts may come late "
        "(action: Weekly reminder)\n"
        "2   2026-11-20  open        low          high    -             Hosting migration\n"
        "3   2026-11-26  open        medium       high    Ольга         Payment provider changes "
        "its API\n");
  CHECK(p.pm({"risk", "list"}).out ==
        "NO  OPENED      PROBABILITY  IMPACT  OWNER  TEXT\n"
        "2   2026-11-20  low          high    -      Hosting migration\n"
        "3   2026-11-26  medium       high    Ольга  Payment provider changes its API\n");

  Result all = p.pm({"risk", "list", "--all", "--json"});
  REQUIRE(all.code == 0);
  CHECK(dumped(all.out));
  ordered j = ordered::parse(all.out);
  REQUIRE(j["risks"].size() == 3);
  CHECK(j["risks"][0]["closed"]["id"] == 3);
  CHECK(j["risks"][0]["closed"]["note"] == "Texts arrived");
  CHECK(j["risks"][1]["closed"] == nullptr);
  CHECK(j["risks"][2]["id"] == 4);
  Result open = p.pm({"risk", "list", "--json"});
  CHECK(dumped(open.out));
  CHECK(ordered::parse(open.out)["risks"].size() == 2);

  Project empty;
  CHECK(empty.pm({"risk", "list", "--json"}).out == "{\n  \"version\": 1,\n  \"risks\": []\n}\n");
  CHECK(empty.pm({"risk", "list", "--all"}).out == "No risks recorded yet.\n");
}

TEST_CASE("change list: approved, rejected and waiting changes in order, then the deadline",
          "[change][listings]") {
  Project p;
  REQUIRE(p.pm({"change", "propose", "Add a blog", "--reason", "News", "--calendar-days",
                "--days", "8"}).code == 0);
  p.env["PM_NOW"] = "2026-11-21T10:00:00+03:00";
  REQUIRE(p.pm({"change", "approve", "1", "--side", "client", "--by", "Ivan Sidorov"}).code == 0);
  p.env["PM_NOW"] = "2026-11-22T10:00:00+03:00";
  REQUIRE(p.pm({"change", "approve", "1", "--side", "team"}).code == 0);
  p.env["PM_NOW"] = "2026-11-22T11:00:00+03:00";
  REQUIRE(p.pm({"change", "propose", "Dark mode", "--reason", "Nice", "--calendar-days",
                "--days", "5", "--cost",
                "1500", "--currency", "eur"})
              .code == 0);
  p.env["PM_NOW"] = "2026-11-23T11:00:00+03:00";
  REQUIRE(p.pm({"change", "reject", "2", "--side", "client", "--by", "Ivan Sidorov", "--reason",
                "Not in this budget"})
              .code == 0);
  p.env["PM_NOW"] = "2026-11-24T11:00:00+03:00";
  REQUIRE(p.pm({"change", "propose", "Forum", "--reason", "Talk"}).code == 0);
  REQUIRE(p.pm({"change", "approve", "3", "--side", "team"}).code == 0);
  p.env["PM_NOW"] = "2026-11-25T10:00:00+03:00";

  CHECK(p.pm({"change", "list"}).out ==
        "NO  PROPOSED    STATUS    CLIENT                   "
        "TEAM                     IMPACT              TEXT\n"
        "1   2026-11-20  approved  approved (Ivan Sidorov)  "
        "approved (Anna Petrova)  +8 days             Add a blog\n"
        "2   2026-11-22  rejected  rejected (Ivan Sidorov)  "
        "-                        +5 days, €1,500.00  Dark mode\n"
        "3   2026-11-24  proposed  waiting                  "
        "approved (Anna Petrova)  -                   Forum\n"
        "\n"
        "Deadline: 2027-01-02 (baseline 2026-12-25, +8 days by approved changes)\n");
  CHECK(p.pm({"change", "list", "--status", "proposed"}).out ==
        "NO  PROPOSED    STATUS    CLIENT   TEAM                     IMPACT  TEXT\n"
        "3   2026-11-24  proposed  waiting  approved (Anna Petrova)  -       Forum\n"
        "\n"
        "Deadline: 2027-01-02 (baseline 2026-12-25, +8 days by approved changes)\n");

  CHECK(p.pm({"change", "list", "--status", "rejected", "--json"}).out ==
        R"({
  "version": 1,
  "deadline": {
    "baseline": "2026-12-25",
    "current": "2027-01-02",
    "days": 8,
    "shifted": true
  },
  "changes": [
    {
      "id": 4,
      "entry_id": 4,
      "number": 2,
      "text": "Dark mode",
      "reason": "Nice",
      "status": "rejected",
      "days": 5,
      "working_days": null,
      "days_kind": "calendar",
      "cost": "1500",
      "currency": "EUR",
      "ask": null,
      "proposed_at": "2026-11-22T11:00:00+03:00",
      "author": "Test Author",
      "decided_at": "2026-11-23T11:00:00+03:00",
      "decisions": [
        {
          "id": 5,
          "side": "client",
          "verdict": "reject",
          "by": "Ivan Sidorov",
          "reason": "Not in this budget",
          "evidence": null,
          "at": "2026-11-23T11:00:00+03:00"
        }
      ]
    }
  ]
}
)");
  Result all = p.pm({"change", "list", "--json"});
  REQUIRE(all.code == 0);
  CHECK(dumped(all.out));
  ordered j = ordered::parse(all.out);
  REQUIRE(j["changes"].size() == 3);
  CHECK(j["changes"][0]["decisions"].size() == 2);
  CHECK(j["changes"][0]["decisions"][0]["side"] == "client");
  CHECK(j["changes"][2]["status"] == "proposed");

  Project empty;
  CHECK(empty.pm({"change", "list", "--json"}).out ==
        "{\n  \"version\": 1,\n  \"deadline\": {\n    \"baseline\": \"2026-12-25\",\n    "
        "\"current\": \"2026-12-25\",\n    \"days\": 0,\n    \"shifted\": false\n  },\n  "
        "\"changes\": []\n}\n");
  CHECK(empty.pm({"change", "list"}).out ==
        "No changes recorded yet. Propose one with pm change propose.\n\nDeadline: 2026-12-25 (the "
        "baseline; no approved change moved it)\n");
}
