#include <catch2/catch.hpp>

#include "pm/domain/changes.hpp"
#include "pm/util/error.hpp"
#include "pm/storage/ledger.hpp"

using namespace pm;

namespace {

struct Step {
  Side side;
  Verdict verdict;
};

ChangeState run(const std::vector<Step>& steps) {
  ChangeState s;
  for (const auto& step : steps) {
    s = next_state(s, step.side, step.verdict);
  }
  return s;
}

constexpr auto client = Side::client;
constexpr auto team = Side::team;
constexpr auto yes = Verdict::approve;
constexpr auto no = Verdict::reject;

Instant at(const char* text) { return parse_instant(text, "t"); }

EntryId propose(Ledger& ledger, int days, const char* when = "2026-11-16T10:00:00Z") {
  ChangeInput in;
  in.text = "Change by " + std::to_string(days);
  in.reason = "because";
  in.days = days;
  in.author = "Anna";
  return propose_change(ledger, in, at(when));
}

void decide(Ledger& ledger, EntryId id, Side side, Verdict verdict, const char* when) {
  decide_change(ledger, id, side, verdict, "", "", "Anna", at(when));
}

}  // namespace

TEST_CASE("a change is approved only when both sides approved it", "[changes]") {
  CHECK(run({}).status == ChangeStatus::proposed);
  CHECK(run({{client, yes}}).status == ChangeStatus::proposed);
  CHECK(run({{team, yes}}).status == ChangeStatus::proposed);
  CHECK(run({{client, yes}, {team, yes}}).status == ChangeStatus::approved);
  CHECK(run({{team, yes}, {client, yes}}).status == ChangeStatus::approved);
  ChangeState s = run({{client, yes}});
  CHECK(s.client == yes);
  CHECK_FALSE(s.team);
}

TEST_CASE("one rejection rejects a change", "[changes]") {
  ChangeState s = run({{client, no}});
  CHECK(s.status == ChangeStatus::rejected);
  CHECK(s.rejected_by == client);
  s = run({{client, yes}, {team, no}});
  CHECK(s.status == ChangeStatus::rejected);
  CHECK(s.rejected_by == team);
}

TEST_CASE("decided changes and second verdicts are refused with a reason", "[changes]") {
  CHECK(decision_problem(run({}), client, yes, 3).empty());
  CHECK(decision_problem(run({{team, yes}}), client, no, 3).empty());
  CHECK(decision_problem(run({{client, yes}}), client, yes, 3) ==
        "the client already approved change 3; it waits for the team's decision");
  CHECK(decision_problem(run({{client, yes}}), client, no, 3) ==
        "the client already approved change 3; it waits for the team's decision");
  CHECK(decision_problem(run({{client, yes}, {team, yes}}), client, no, 3) ==
        "change 3 is already approved by both sides; to undo or alter it, propose a new change");
  CHECK(decision_problem(run({{team, no}}), client, yes, 3) ==
        "change 3 was already rejected by the team; propose a new change instead");
  // A refused verdict leaves the state as it was (a ledger from two racing writers).
  CHECK(run({{client, yes}, {client, no}, {team, yes}}).status == ChangeStatus::approved);
  CHECK(run({{client, yes}, {team, yes}, {team, no}}).status == ChangeStatus::approved);
  CHECK(run({{client, no}, {team, yes}}).team == std::nullopt);
}

TEST_CASE("status in words, in both languages", "[changes]") {
  CHECK(status_text(run({}), "en") == "proposed, awaiting approval by both sides");
  CHECK(status_text(run({{client, yes}}), "en") ==
        "approved by the client, awaiting the team's approval");
  CHECK(status_text(run({{team, yes}}), "en") ==
        "approved by the team, awaiting the client's approval");
  CHECK(status_text(run({{team, yes}, {client, yes}}), "ru") == "согласовано обеими сторонами");
  CHECK(status_text(run({{client, no}}), "ru") == "отклонено клиентом");
  CHECK(status_text(run({{team, no}}), "en") == "withdrawn by the team");
}

TEST_CASE("deadline arithmetic: baseline plus approved days", "[changes][deadline]") {
  Deadline d = make_deadline("2026-12-25", 8);
  CHECK(format_date(*d.current) == "2027-01-02");
  CHECK(format_date(*d.baseline) == "2026-12-25");
  CHECK(d.shifted());
  CHECK(format_date(*make_deadline("2026-12-25", -3).current) == "2026-12-22");
  CHECK(format_date(*make_deadline("2028-02-25", 5).current) == "2028-03-01");
  CHECK_FALSE(make_deadline("2026-12-25", 0).shifted());
  Deadline none = make_deadline("", 5);
  CHECK_FALSE(none.current);
  CHECK_FALSE(none.baseline);

  std::vector<Change> changes(4);
  changes[0].days = 8;
  changes[0].state = run({{client, yes}, {team, yes}});
  changes[1].days = 5;
  changes[1].state = run({{client, yes}});  // half approved: does not count
  changes[2].days = 20;
  changes[2].state = run({{client, no}});
  changes[3].days = -2;
  changes[3].state = run({{team, yes}, {client, yes}});
  CHECK(approved_days(changes) == 6);
}

TEST_CASE("the deadline moves only with changes approved by then", "[changes][deadline]") {
  Ledger ledger(":memory:", Ledger::Mode::create);
  EntryId a = propose(ledger, 8);
  EntryId b = propose(ledger, 5);
  EntryId c = propose(ledger, -2);
  decide(ledger, a, client, yes, "2026-11-17T10:00:00Z");
  decide(ledger, a, team, yes, "2026-11-18T10:00:00Z");
  decide(ledger, b, client, yes, "2026-11-18T10:00:00Z");
  decide(ledger, c, team, no, "2026-11-19T10:00:00Z");
  auto current = [&](const char* as_of) {
    return format_date(*project_deadline(ledger, "2026-12-25", at(as_of)).current);
  };
  CHECK(current("2026-11-18T10:00:00Z") == "2026-12-25");  // exclusive: a's approval not yet
  CHECK(current("2026-11-18T10:00:01Z") == "2027-01-02");
  CHECK(current("2026-12-31T00:00:00Z") == "2027-01-02");
  decide(ledger, b, team, yes, "2026-11-20T10:00:00Z");
  CHECK(current("2026-12-31T00:00:00Z") == "2027-01-07");
  CHECK(current("2026-11-20T00:00:00Z") == "2027-01-02");
  CHECK(format_date(*project_deadline(ledger, "2026-12-25", at("2026-12-31T00:00:00Z"), a).current) ==
        "2026-12-30");
  CHECK_FALSE(project_deadline(ledger, "", at("2026-12-31T00:00:00Z")).current);
  CHECK(project_deadline(ledger, "", at("2026-12-31T00:00:00Z")).days == 13);
}

TEST_CASE("costs and currencies", "[changes]") {
  CHECK(parse_cost("1500") == "1500");
  CHECK(parse_cost("1500.5") == "1500.50");
  CHECK(parse_cost("1500,50") == "1500.50");
  CHECK(parse_cost("007") == "7");
  CHECK(parse_cost("0") == "0");
  CHECK_THROWS_WITH(parse_cost("-5"), Catch::Contains("cannot be negative"));
  CHECK_THROWS_WITH(parse_cost("-0.5"), Catch::Contains("cannot be negative"));
  for (const char* bad : {"abc", "1.234", "1 500", "", "12e3", "1500 EUR"}) {
    INFO(bad);
    CHECK_THROWS_WITH(parse_cost(bad), Catch::Contains("give an amount"));
  }
  CHECK(parse_currency("eur") == "EUR");
  CHECK_THROWS_WITH(parse_currency("EURO"), Catch::Contains("three-letter ISO 4217 code"));
  CHECK_THROWS_AS(parse_currency("€"), Error);
}

TEST_CASE("propose_change validates before it writes", "[changes]") {
  Ledger ledger(":memory:", Ledger::Mode::create);
  ChangeInput in;
  in.text = "Add a blog";
  in.reason = "The client asked";
  in.days = 8;
  in.cost = "1500.5";
  in.currency = "eur";
  in.ask = "Approve by Friday";
  in.author = "Anna";
  EntryId id = propose_change(ledger, in, at("2026-11-16T10:00:00Z"));
  Change c = load_change(ledger, id);
  CHECK(c.entry.text == "Add a blog");
  CHECK(c.reason == "The client asked");
  CHECK(c.days == 8);
  CHECK(c.cost == "1500.50");
  CHECK(c.currency == "EUR");
  CHECK(c.ask == "Approve by Friday");
  CHECK(c.state.status == ChangeStatus::proposed);
  CHECK(impact_text(c, "en") == "+8 days, €1,500.50");
  CHECK(impact_text(c, "ru") == "+8 дн., 1\u00A0500,50\u00A0€");

  auto bad = [&](ChangeInput input, const char* message) {
    INFO(message);
    CHECK_THROWS_WITH(propose_change(ledger, input, at("2026-11-16T10:00:00Z")),
                      Catch::Contains(message));
  };
  ChangeInput b = in;
  b.text = "  ";
  bad(b, "the change has no text");
  b = in;
  b.reason = "";
  bad(b, "--reason is empty");
  b = in;
  b.currency = "";
  bad(b, "--cost needs --currency");
  b = in;
  b.cost = "";
  bad(b, "--currency without --cost");
  b = in;
  b.cost = "-100";
  bad(b, "cannot be negative");
  b = in;
  b.days = 5000;
  bad(b, "surely a typo");
  CHECK(list_changes(ledger).size() == 1);
}

TEST_CASE("decide_change refuses unknown ids, other kinds and repeated verdicts", "[changes]") {
  Ledger ledger(":memory:", Ledger::Mode::create);
  EntryId id = propose(ledger, 3);
  CHECK_THROWS_WITH(decide_change(ledger, 99, client, yes, "", "", "Anna", at("2026-11-17T10:00:00Z")),
                    "there is no entry 99; `pm change list` shows the changes");
  Change c = decide_change(ledger, id, client, yes, "Ivan", "", "Anna", at("2026-11-17T10:00:00Z"));
  CHECK(c.state.status == ChangeStatus::proposed);
  REQUIRE(c.decisions.size() == 1);
  CHECK(c.decisions[0].by == "Ivan");
  EntryId decision = c.decisions[0].id;
  CHECK_THROWS_WITH(decide_change(ledger, decision, team, yes, "", "", "Anna", at("2026-11-17T10:00:00Z")),
                    Catch::Contains("is a change decision, not a change"));
  CHECK_THROWS_WITH(decide_change(ledger, id, client, no, "", "", "Anna", at("2026-11-17T11:00:00Z")),
                    Catch::Contains("the client already approved change"));
  c = decide_change(ledger, id, team, no, "", "Too late", "Anna", at("2026-11-18T10:00:00Z"));
  CHECK(c.state.status == ChangeStatus::rejected);
  CHECK(c.decisions[1].by == "Anna");  // --by defaults to the author
  CHECK(c.decisions[1].reason == "Too late");
  CHECK(format_utc(*c.decided_at) == "2026-11-18T10:00:00Z");
  CHECK_THROWS_WITH(decide_change(ledger, id, client, yes, "", "", "Anna", at("2026-11-19T10:00:00Z")),
                    Catch::Contains("was already rejected by the team"));
  // As of a moment before the rejection, the change was still waiting.
  CHECK(load_change(ledger, id, at("2026-11-18T10:00:00Z")).state.status == ChangeStatus::proposed);
  CHECK(ledger.list({}).size() == 3);
}
