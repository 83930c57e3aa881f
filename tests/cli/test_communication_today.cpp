// The communication log where the manager reads it every day: pm today lists the requests
// waiting for a reply (overdue past the SLA, with exit code 7), and the weekly report counts
// the week's letters, requests, median reply and breaches.
//
// The harness's project: Europe/Moscow (UTC+3), Monday to Friday 09:00-18:00, SLA 2 h; Ivan
// Sidorov is the client's approver; PM_NOW Friday 20 November 2026 10:00 unless set.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "harness.hpp"

using namespace pm::test;
using nlohmann::json;

TEST_CASE("pm today lists waiting requests and puts those past the SLA under Overdue",
          "[communication][today]") {
  Project p;
  REQUIRE(p.pm({"request", "Can the demo move?", "--from", "Ivan", "--on", "2026-11-20 09:30"})
              .code == 0);
  // 10:00: 30 min waited, due 11:30: today, and nothing overdue.
  Result r = p.pm({"today"});
  CHECK(r.code == 0);
  CHECK_THAT(r.out, Catch::Contains("Today\n  I1  Can the demo move?\n    from Ivan Sidorov; "
                                    "reply by 11:30 (the SLA is 2 h)"));
  // 12:00 the same day: 2 h 30 min of working time, past the SLA: overdue, exit 7.
  p.env["PM_NOW"] = "2026-11-20T12:00:00+03:00";
  r = p.pm({"today"});
  CHECK(r.code == 7);
  CHECK_THAT(r.out, Catch::Contains("Overdue\n  I1  Can the demo move?\n    from Ivan Sidorov; "
                                    "waiting for 2 h 30 min of working time; the SLA is 2 h"));
  r = p.pm({"today", "--json"});
  const json items = json::parse(r.out)["items"];
  bool found = false;
  for (const auto& i : items) {
    if (i["kind"] == "request") {
      found = true;
      CHECK(i["section"] == "overdue");
      CHECK(i["reference"] == "I1");
      CHECK(i["date"] == "2026-11-20");
    }
  }
  CHECK(found);
  // Answered: off the list, and nothing overdue any more.
  REQUIRE(p.pm({"reply", "1", "--via", "call", "--on", "2026-11-20 11:55"}).code == 0);
  r = p.pm({"today"});
  CHECK(r.code == 0);
  CHECK(r.out.find("I1") == std::string::npos);
}

TEST_CASE("the weekly report counts the week's letters, requests, median reply and breaches",
          "[communication][report]") {
  Project p;
  p.env["PM_NOW"] = "2026-11-20T17:00:00+03:00";
  // Monday 10:00 answered 10:40 (40 min); Wednesday 17:00 answered Thursday 10:30 (1 h +
  // 1 h 30 min = 150 min, a breach); Friday 16:00 still waiting at 17:00 (60 min, within).
  REQUIRE(p.pm({"request", "Logo files?", "--from", "Ivan", "--on", "2026-11-16 10:00"}).code == 0);
  REQUIRE(p.pm({"reply", "1", "--on", "2026-11-16 10:40"}).code == 0);
  REQUIRE(p.pm({"request", "Texts?", "--from", "Ivan", "--on", "2026-11-18 17:00"}).code == 0);
  REQUIRE(p.pm({"reply", "2", "--on", "2026-11-19 10:30"}).code == 0);
  REQUIRE(p.pm({"request", "Invoice?", "--from", "Ivan", "--via", "chat", "--on",
                "2026-11-20 16:00"})
              .code == 0);
  Result r = p.pm({"report", "--json"});
  REQUIRE(r.code == 0);
  const json c = json::parse(r.out)["communication"];
  CHECK(c["letters"] == 0);
  CHECK(c["requests"] == 3);
  CHECK(c["replied"] == 2);
  CHECK(c["breaches"] == 1);
  CHECK(c["median_reply_minutes"] == 95);  // (40 + 150) / 2
  CHECK(c["reply_target_minutes"] == 120);
  r = p.pm({"report"});
  CHECK_THAT(r.out, Catch::Contains("Communication\n  - Requests received: 3, answered: 2\n"
                                    "  - Median time to the first reply: 1 h 35 min of working "
                                    "time (target: 2 h)\n"
                                    "  - Past the reply target (answered late or still waiting): "
                                    "1\n"));
  r = p.pm({"report", "--lang", "ru", "--format", "md"});
  CHECK_THAT(r.out, Catch::Contains("## Переписка\n\n- Получено запросов: 3, отвечено: 2\n"));
  // A week without letters or requests says nothing of them (the week before).
  r = p.pm({"report", "--week", "2026-W46"});
  CHECK(r.out.find("Communication") == std::string::npos);
}
