// The KPI scorecard over a ledger counted by hand: November 2026 on a Monday-to-Friday,
// 09:00-18:00 calendar in UTC, measured on the morning of Tuesday 1 December.
#include <catch2/catch.hpp>

#include "pm/domain/agreement_state.hpp"
#include "pm/domain/agreements.hpp"
#include "pm/domain/changes.hpp"
#include "pm/domain/communication.hpp"
#include "pm/domain/escalation.hpp"
#include "pm/domain/kpi.hpp"
#include "pm/domain/notes.hpp"
#include "pm/domain/project_check.hpp"
#include "pm/domain/nps.hpp"
#include "pm/storage/ledger.hpp"
#include "pm/util/error.hpp"

using namespace pm;

namespace {

Instant at(const char* text) { return parse_instant(text, "test"); }

const Instant k_now = at("2026-12-01T09:30:00Z");
const Instant k_from = at("2026-11-01T00:00:00Z");
const Instant k_until = at("2026-12-01T00:00:00Z");

struct Scorecard {
  Ledger ledger{":memory:", Ledger::Mode::create};
  Calendar calendar{find_zone("UTC")};
  ProjectConfig config;

  Scorecard() {
    config.name = "Website";
    config.manager = Person{"Anna Petrova", "anna@agency.example", "team", {"manager"}, ""};
    config.people.push_back(
        Person{"Ivan Sidorov", "ivan@client.example", "client", {"approver"}, ""});
  }

  std::int64_t agree(const char* text, const char* when, const char* due) {
    AgreementInput in;
    in.text = text;
    in.due = due;
    in.author = "Anna";
    return ledger.find(log_agreement(ledger, in, at(when), calendar.zone()))->number;
  }
  std::int64_t supersede(std::int64_t number, const char* text, const char* when,
                         const char* due) {
    AgreementInput in;
    in.text = text;
    in.due = due;
    in.author = "Anna";
    in.supersedes = ledger.find_numbered("agreement", number)->id;
    return ledger.find(log_agreement(ledger, in, at(when), calendar.zone()))->number;
  }
  void transition(std::int64_t number, AgreementState to, const char* on) {
    TransitionInput t;
    t.to = to;
    t.on = on;
    t.reason = to == AgreementState::withdrawn ? "no longer needed" : "";
    t.author = "Anna";
    record_transition(ledger, config, ConfirmationRule{&calendar, 2}, number, t, k_now);
  }
  std::int64_t request(const char* when, bool in_thread) {
    Entry e;
    e.kind = "request";
    e.text = "A question";
    e.recorded_at = e.effective_at = at(when);
    e.author = "Ivan Sidorov";
    e.data["from"] = "ivan@client.example";
    e.data["via"] = "mail";
    if (in_thread) {
      e.data["in_thread"] = true;
    }
    return ledger.find(ledger.append(e))->number;
  }
  void reply(std::int64_t number, const char* when, bool needed = true) {
    add_reply(ledger, ReplyInput{number, "", "mail", at(when), needed, "Anna"}, k_now);
  }
  void letter(const char* when, const char* tmpl) {
    Entry e;
    e.kind = "letter";
    e.text = "A letter";
    e.recorded_at = e.effective_at = at(when);
    e.author = "Anna";
    e.data["template"] = tmpl;
    ledger.append(e);
  }
  void nps(const char* day, int score) {
    NpsAnswer a;
    a.date = parse_date(day, "day");
    a.score = score;
    add_nps_answer(ledger, a, NpsWriteContext{"Anna", "cli", k_now, calendar.zone()});
  }

  std::vector<Kpi> compute() {
    return compute_kpis(ledger, config, calendar, k_from, k_until, k_now);
  }
};

const Kpi& find(const std::vector<Kpi>& kpis, const std::string& key) {
  for (const auto& k : kpis) {
    if (k.key == key) {
      return k;
    }
  }
  FAIL("no KPI " << key);
  throw 0;
}

void fill(Scorecard& s) {
  // Agreements, all made on Tuesday 20 October unless said otherwise.
  s.agree("A1 fulfilled the day before", "2026-10-20T10:00:00Z", "2026-11-10");
  s.transition(1, AgreementState::fulfilled, "2026-11-09T12:00:00Z");
  s.agree("A2 fulfilled a day late", "2026-10-20T10:00:00Z", "2026-11-12");
  s.transition(2, AgreementState::fulfilled, "2026-11-13T12:00:00Z");
  s.agree("A3 done on its day", "2026-10-20T10:00:00Z", "2026-11-16");
  NoteInput done{"done", "A3 built", "2026-11-16T17:00:00Z", std::nullopt, "Anna"};
  done.agreement = s.ledger.find_numbered("agreement", 3)->id;
  add_note(s.ledger, done, k_now, s.calendar.zone());
  s.agree("A4 still open past its day", "2026-10-20T10:00:00Z", "2026-11-25");
  s.agree("A5 withdrawn", "2026-10-20T10:00:00Z", "2026-11-18");
  s.transition(5, AgreementState::withdrawn, "2026-11-05T12:00:00Z");
  s.agree("A6 moved to December", "2026-10-20T10:00:00Z", "2026-11-20");
  s.supersede(6, "A7 the same in December", "2026-11-19T10:00:00Z", "2026-12-04");
  s.agree("A8 reworded, same day", "2026-11-02T10:00:00Z", "2026-11-24");
  s.supersede(8, "A9 reworded", "2026-11-03T10:00:00Z", "2026-11-24");
  s.transition(9, AgreementState::fulfilled, "2026-11-23T12:00:00Z");
  s.agree("A10 due in December", "2026-10-20T10:00:00Z", "2026-12-10");

  // Requests and replies.
  s.request("2026-10-30T10:00:00Z", false);  // I1: October, not counted
  s.request("2026-11-06T17:00:00Z", false);  // I2: Friday 17:00
  s.reply(2, "2026-11-09T10:00:00Z");        // Monday 10:00: 2 h of working time
  s.request("2026-11-10T10:00:00Z", true);   // I3
  s.reply(3, "2026-11-10T10:30:00Z");        // 30 min
  s.request("2026-11-11T09:00:00Z", false);  // I4
  s.reply(4, "2026-11-11T14:00:00Z");        // 5 h: a breach
  s.request("2026-11-12T10:00:00Z", false);  // I5
  s.reply(5, "2026-11-12T11:00:00Z", false);  // closed without a reply
  s.request("2026-11-30T17:00:00Z", true);   // I6: 1.5 h so far, within the SLA

  add_escalation(s.ledger, s.config, EscalationInput{"I4 is late", "I4", "", at("2026-11-11T12:00:00Z"), "Anna"},
                 k_now);
  add_escalation(s.ledger, s.config,
                 EscalationInput{"October", "", "", at("2026-10-30T12:00:00Z"), "Anna"}, k_now);

  // Letters: weekly-status on 30 October, 6, 13 and 27 November, one without a template.
  s.letter("2026-10-30T15:00:00Z", "weekly-status");
  s.letter("2026-11-06T15:00:00Z", "weekly-status");
  s.letter("2026-11-13T15:00:00Z", "weekly-status");
  s.letter("2026-11-18T15:00:00Z", "");
  s.letter("2026-11-27T15:00:00Z", "weekly-status");

  s.nps("2026-10-15", 10);
  for (int score : {10, 9, 8, 3}) {
    s.nps("2026-11-17", score);
  }

  ChangeInput change;
  change.text = "Add a blog";
  change.reason = "Marketing asked";
  change.author = "Anna";
  const EntryId c = propose_change(s.ledger, change, at("2026-11-02T10:00:00Z"));
  decide_change(s.ledger, c, Side::client, Verdict::approve, "Ivan Sidorov", "", "Anna",
                at("2026-11-03T10:00:00Z"));
  decide_change(s.ledger, c, Side::team, Verdict::approve, "Anna Petrova", "", "Anna",
                at("2026-11-04T10:00:00Z"));
}

}  // namespace

TEST_CASE("the scorecard of a hand-counted November", "[kpi]") {
  Scorecard s;
  fill(s);
  const std::vector<Kpi> kpis = s.compute();
  REQUIRE(kpis.size() == kpi_keys().size());
  for (std::size_t i = 0; i < kpis.size(); ++i) {
    CHECK(kpis[i].key == kpi_keys()[i]);
  }

  // On time: A1, A3 (a done note at 17:00 on its day), A9 (replacing A8, same day); late: A2
  // (a day after), A4 (open past its day). A5 is withdrawn, A6 superseded, A7 and A10 due later.
  const Kpi& deliveries = find(kpis, "deliveries_on_time");
  CHECK(deliveries.n == 5);
  CHECK(*deliveries.value == Approx(60));
  CHECK(deliveries.met == false);
  CHECK(kpi_value_text(deliveries) == "60%");
  CHECK(deliveries.target_text == "≥ 90%");

  // Promised dates in November: A1, A3, A8 (kept through A9) kept; A2, A4 late, A5 withdrawn,
  // A6 moved to December by A7. A9 renegotiates no date (A8 had the same), so is no promise.
  const Kpi& promises = find(kpis, "promises_kept");
  CHECK(promises.n == 7);
  CHECK(*promises.value == Approx(300.0 / 7));
  CHECK(promises.met == false);

  // I2 (2 h across the weekend) and I3 within, I4 not; I5 needs no reply, I6 is still within.
  const Kpi& sla = find(kpis, "replies_within_sla");
  CHECK(sla.n == 3);
  CHECK(*sla.value == Approx(200.0 / 3));
  CHECK(kpi_value_text(sla) == "66.7%");

  // The median of 2 h, 30 min and 5 h.
  const Kpi& reply = find(kpis, "reply_time");
  CHECK(reply.n == 3);
  CHECK(*reply.value == Approx(2.0));
  CHECK(reply.met == true);
  CHECK(reply.target_text == "≤ 2 h");

  // Gaps: 30 Oct–6 Nov 5, 6–13 Nov 5, 13–27 Nov 10, 27 Nov–now (1 Dec) 2 working days.
  const Kpi& cadence = find(kpis, "status_cadence");
  CHECK(cadence.n == 4);
  CHECK(*cadence.value == Approx(10));
  CHECK(cadence.met == false);

  // One escalation in November over five requests.
  const Kpi& escalations = find(kpis, "escalations");
  CHECK(escalations.n == 5);
  CHECK(*escalations.value == Approx(20));
  CHECK(escalations.met == false);

  // I3 and I6 came back on a known thread.
  const Kpi& repeat = find(kpis, "repeat_communication");
  CHECK(repeat.n == 5);
  CHECK(*repeat.value == Approx(40));
  CHECK(repeat.met == true);

  // 10, 9, 8, 3: 50% promoters - 25% detractors.
  const Kpi& nps = find(kpis, "nps");
  CHECK(nps.n == 4);
  CHECK(*nps.value == Approx(25));
  CHECK(nps.met == false);
  CHECK(nps.target_text == "40–60");

  const Kpi& letters = find(kpis, "letters_from_templates");
  CHECK(letters.n == 4);
  CHECK(*letters.value == Approx(75));
  CHECK(letters.met == true);

  const Kpi& changes = find(kpis, "changes_approved_first");
  CHECK_FALSE(changes.measurable);
  CHECK_FALSE(changes.value);
  CHECK_FALSE(changes.met);
  CHECK(kpi_verdict(changes) == "not measurable");
  CHECK(changes.how.find("1 changes approved") != std::string::npos);

  const Json j = kpi_json(deliveries);
  CHECK(j.dump() ==
        R"({"key":"deliveries_on_time","title":"Deliveries on time","title_ru":"Сдача в срок",)"
        R"("unit":"%","target":90.0,"target_text":"≥ 90%","direction":"at_least","value":60.0,)"
        R"("n":5,"met":false,"measurable":true,"how":")" +
            deliveries.how + R"("})");
}

TEST_CASE("targets from project.yaml's kpi: change what is met", "[kpi]") {
  Scorecard s;
  fill(s);
  s.config.kpi["escalations"] = 25;
  s.config.kpi["nps"] = 20;
  s.config.kpi["deliveries_on_time"] = 60;
  s.config.sla_reply_hours = 1;
  const auto kpis = s.compute();
  CHECK(find(kpis, "escalations").met == true);
  CHECK(find(kpis, "escalations").target_text == "≤ 25%");
  CHECK(find(kpis, "nps").met == true);
  CHECK(find(kpis, "nps").target_text == "≥ 20");
  CHECK(find(kpis, "deliveries_on_time").met == true);  // exactly the target
  // A 1 h SLA: only I3 within; I6 (1.5 h) now waits past it and is a miss.
  CHECK(find(kpis, "replies_within_sla").n == 4);
  CHECK(*find(kpis, "replies_within_sla").value == Approx(25));
  CHECK(find(kpis, "reply_time").met == false);
  CHECK(find(kpis, "reply_time").target_text == "≤ 1 h");
}

TEST_CASE("an empty ledger is no data, neither met nor missed", "[kpi]") {
  Scorecard s;
  for (const auto& k : s.compute()) {
    INFO(k.key);
    CHECK(k.n == 0);
    CHECK_FALSE(k.value);
    CHECK_FALSE(k.met);
    if (k.measurable) {
      CHECK(kpi_verdict(k) == "no data");
      CHECK(kpi_value_text(k) == "no data");
    }
  }
}

TEST_CASE("an escalation names what it is about and whom it goes to", "[kpi]") {
  Scorecard s;
  s.request("2026-11-06T17:00:00Z", false);
  const EntryId id = add_escalation(
      s.ledger, s.config, EscalationInput{"Late answer", "i1", "ivan", std::nullopt, "Anna"},
      k_now);
  const Entry e = *s.ledger.find(id);
  CHECK(e.kind == "escalation");
  CHECK(e.effective_at == k_now);
  CHECK(e.ref == s.ledger.find_numbered("request", 1)->id);
  CHECK(e.data["about"] == "I1");
  CHECK(e.data["to_name"] == "Ivan Sidorov");
  CHECK_THROWS_WITH(add_escalation(s.ledger, s.config,
                                   EscalationInput{"x", "", "Nobody", std::nullopt, "Anna"}, k_now),
                    "--to 'Nobody': name a person of project.yaml (pm people lists them)");
  CHECK_THROWS_AS(add_escalation(s.ledger, s.config,
                                 EscalationInput{"x", "I9", "", std::nullopt, "Anna"}, k_now),
                  Error);
  CHECK_THROWS_AS(add_escalation(s.ledger, s.config,
                                 EscalationInput{" ", "", "", std::nullopt, "Anna"}, k_now),
                  Error);
  CHECK_THROWS_AS(
      add_escalation(s.ledger, s.config,
                     EscalationInput{"x", "", "", at("2026-12-02T00:00:00Z"), "Anna"}, k_now),
      Error);
}

TEST_CASE("project.yaml's kpi: keys are the scorecard's targets, with its defaults", "[kpi]") {
  std::vector<std::string> keys;
  for (const auto& key : config_keys()) {
    const std::string path(key.path);
    if (path.rfind("kpi.", 0) == 0) {
      keys.push_back(path.substr(4));
      INFO(path);
      CHECK(std::string(key.meaning).find(
                "default " + std::to_string(default_kpi_target(path.substr(4)))) !=
            std::string::npos);
    }
  }
  CHECK(keys == kpi_target_keys());
}
