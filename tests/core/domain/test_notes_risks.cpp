#include <catch2/catch.hpp>

#include <fmt/format.h>

#include "pm/domain/agreements.hpp"
#include "pm/util/error.hpp"
#include "pm/domain/notes.hpp"
#include "pm/domain/risks.hpp"

using namespace pm;

namespace {

Instant at(const char* text) { return parse_instant(text, "t"); }
const Instant k_now = at("2026-11-20T10:00:00+03:00");

}  // namespace

TEST_CASE("notes: --on places a note on a day in the zone", "[notes]") {
  Ledger ledger(":memory:", Ledger::Mode::create);
  Zone moscow = find_zone("Europe/Moscow");
  EntryId id = add_note(ledger, {"done", " Sent the design ", "2026-11-18", std::nullopt, "Anna"},
                        k_now, moscow);
  auto e = ledger.find(id);
  REQUIRE(e);
  CHECK(e->kind == "done");
  CHECK(e->text == "Sent the design");
  CHECK(format_utc(e->effective_at) == "2026-11-17T21:00:00Z");
  CHECK(format_utc(e->recorded_at) == "2026-11-20T07:00:00Z");
  id = add_note(ledger, {"next", "Launch checklist", "", std::nullopt, "Anna"}, k_now, moscow);
  CHECK(ledger.find(id)->effective_at == k_now);
  // Plans may be dated ahead; work is done when it is done.
  CHECK_NOTHROW(add_note(ledger, {"next", "Later", "2026-12-01", std::nullopt, "Anna"}, k_now, moscow));
  CHECK_THROWS_WITH(add_note(ledger, {"done", "Later", "2026-12-01", std::nullopt, "Anna"}, k_now, moscow),
                    Catch::Contains("--on 2026-12-01: that is in the future"));
  CHECK_THROWS_WITH(add_note(ledger, {"done", "  ", "", std::nullopt, "Anna"}, k_now, moscow),
                    Catch::Contains("the note has no text"));
  CHECK_THROWS_WITH(add_note(ledger, {"done", "X", "yesterdy", std::nullopt, "Anna"}, k_now, moscow),
                    Catch::Contains("--on"));
}

TEST_CASE("a done note may fulfil an open agreement, once", "[notes]") {
  Ledger ledger(":memory:", Ledger::Mode::create);
  Zone utc = find_zone("UTC");
  AgreementInput in;
  in.text = "Send the texts";
  in.due = "2026-11-25";
  in.author = "Anna";
  EntryId agreement = log_agreement(ledger, in, k_now, utc);
  EntryId done = add_note(ledger, {"done", "Texts sent", "", agreement, "Anna"}, k_now, utc);
  CHECK(ledger.find(done)->ref == agreement);
  CHECK_THROWS_WITH(add_note(ledger, {"done", "Again", "", agreement, "Anna"}, k_now, utc),
                    Catch::Contains("already fulfilled by note"));
  CHECK_THROWS_WITH(add_note(ledger, {"done", "X", "", done, "Anna"}, k_now, utc),
                    Catch::Contains("is a done note, not an agreement"));
  CHECK_THROWS_WITH(add_note(ledger, {"done", "X", "", 99, "Anna"}, k_now, utc),
                    Catch::Contains("--agreement 99: there is no such entry"));
  CHECK_THROWS_WITH(add_note(ledger, {"next", "X", "", agreement, "Anna"}, k_now, utc),
                    Catch::Contains("--agreement goes with pm done"));
  in.supersedes = std::nullopt;
  EntryId first = log_agreement(ledger, in, k_now, utc);
  in.supersedes = first;
  EntryId second = log_agreement(ledger, in, k_now, utc);
  CHECK_THROWS_WITH(add_note(ledger, {"done", "X", "", first, "Anna"}, k_now, utc),
                    Catch::Contains(fmt::format("superseded by agreement {}",
                                                ledger.find(second)->number)));
}

TEST_CASE("risks: add, close once, list open or all", "[risks]") {
  Ledger ledger(":memory:", Ledger::Mode::create);
  EntryId a = add_risk(ledger, {"Texts late", "high", "medium", "Remind weekly", "Ivan", "Anna"},
                       at("2026-11-16T10:00:00Z"));
  EntryId b = add_risk(ledger, {"Hosting", "low", "high", "", "", "Anna"}, at("2026-11-17T10:00:00Z"));
  auto open = list_risks(ledger, false);
  REQUIRE(open.size() == 2);
  CHECK(open[0].probability == "high");
  CHECK(open[0].impact == "medium");
  CHECK(open[0].action == "Remind weekly");
  CHECK(open[0].owner == "Ivan");
  CHECK(open[1].owner.empty());

  close_risk(ledger, a, "Texts arrived", "Anna", at("2026-11-20T10:00:00Z"));
  CHECK(list_risks(ledger, false).size() == 1);
  auto all = list_risks(ledger, true);
  REQUIRE(all.size() == 2);
  REQUIRE(all[0].closed);
  CHECK(all[0].closed->text == "Texts arrived");
  CHECK(open_risks(ledger, at("2026-11-20T10:00:00Z")).size() == 2);  // closed at that instant
  CHECK(open_risks(ledger, at("2026-11-20T10:00:01Z")).size() == 1);
  CHECK(open_risks(ledger, at("2026-11-16T10:00:00Z")).empty());

  CHECK_THROWS_WITH(close_risk(ledger, a, "", "Anna", k_now),
                    Catch::Contains(fmt::format("risk {} is already closed", a)));
  CHECK_THROWS_WITH(close_risk(ledger, 99, "", "Anna", k_now), Catch::Contains("there is no risk 99"));
  CHECK_THROWS_WITH(close_risk(ledger, b + 1, "", "Anna", k_now),
                    Catch::Contains("is a risk's closing, not a risk"));
  CHECK_THROWS_WITH(add_risk(ledger, {"X", "huge", "low", "", "", "Anna"}, k_now),
                    "--probability 'huge': use low, medium or high");
  CHECK_THROWS_WITH(add_risk(ledger, {"", "low", "low", "", "", "Anna"}, k_now),
                    Catch::Contains("the risk has no text"));
}
