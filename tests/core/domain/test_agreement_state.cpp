// An agreement's life: the state machine, confirmation by silence exactly at the window's end
// on a real calendar (the Russian New Year holidays), and what closes an agreement.
#include <catch2/catch.hpp>

#include "pm/domain/agreement_state.hpp"
#include "pm/domain/agreements.hpp"
#include "pm/domain/notes.hpp"
#include "pm/storage/ledger.hpp"
#include "pm/util/error.hpp"
#include "pm/util/text.hpp"

using namespace pm;
using std::chrono::seconds;

namespace {

Instant at(const char* text) { return parse_instant(text, "test"); }

Calendar russian() {
  Calendar c(find_zone("Europe/Moscow"));
  c.set_all(russian_calendar());
  return c;
}

ProjectConfig project() {
  ProjectConfig c;
  c.name = "Website";
  c.timezone = "Europe/Moscow";
  c.manager = Person{"Anna Petrova", "anna@agency.example", "team", {"manager"}, ""};
  c.people.push_back(Person{"Ivan Sidorov", "ivan@client.example", "client", {"approver"}, ""});
  c.people.push_back(Person{"Oleg Team", "oleg@agency.example", "team", {"developer"}, ""});
  return c;
}

struct Fixture {
  Ledger ledger{":memory:", Ledger::Mode::create};
  Calendar calendar = russian();
  ProjectConfig config = project();
  ConfirmationRule rule{&calendar, 2};

  EntryId agree(const char* text, const char* when, const char* due = "") {
    AgreementInput in;
    in.text = text;
    in.due = due;
    in.author = "Anna";
    return log_agreement(ledger, in, at(when), calendar.zone());
  }
  AgreementStatus status(EntryId id, const char* when) {
    return agreement_status(*find_agreement(ledger, id), rule, at(when));
  }
  EntryId step(std::int64_t number, AgreementState to, const char* when, std::string by = "",
               std::string reason = "") {
    TransitionInput in;
    in.to = to;
    in.by = std::move(by);
    in.reason = std::move(reason);
    in.author = "Anna";
    return record_transition(ledger, config, rule, number, in, at(when));
  }
};

std::string refusal(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("the confirmation window ends at the end of the Nth working day", "[agreement-state]") {
  Calendar ru = russian();
  ConfirmationRule two{&ru, 2};
  // Monday 10:00 Moscow: Wednesday 18:00 Moscow (15:00 UTC).
  CHECK(format_utc(confirmation_deadline(at("2026-12-07T07:00:00Z"), two)) == "2026-12-09T15:00:00Z");
  // Friday evening: Tuesday 18:00.
  CHECK(format_utc(confirmation_deadline(at("2026-12-04T17:00:00Z"), two)) == "2026-12-08T15:00:00Z");
  // Recorded on 29 December 2026: 30 December, then (31 December and 1-10 January off) 11 January.
  CHECK(format_utc(confirmation_deadline(at("2026-12-29T08:00:00Z"), two)) == "2027-01-11T15:00:00Z");
  ConfirmationRule one{&ru, 1};
  CHECK(format_utc(confirmation_deadline(at("2026-12-30T08:00:00Z"), one)) == "2027-01-11T15:00:00Z");
}

TEST_CASE("silence confirms an agreement exactly at the window's end", "[agreement-state]") {
  Fixture f;
  EntryId a = f.agree("Launch on 12 January", "2026-12-29T08:00:00Z");
  auto before = f.status(a, "2027-01-11T14:59:59Z");
  CHECK(before.state == AgreementState::open);
  CHECK_FALSE(before.by_silence);
  REQUIRE(before.confirm_by);
  CHECK(format_utc(*before.confirm_by) == "2027-01-11T15:00:00Z");
  auto exactly = f.status(a, "2027-01-11T15:00:00Z");
  CHECK(exactly.state == AgreementState::confirmed);
  CHECK(exactly.by_silence);
  CHECK(f.status(a, "2026-12-31T12:00:00Z").state == AgreementState::open);  // a holiday
}

TEST_CASE("an objection within the window stops silence from confirming", "[agreement-state]") {
  Fixture f;
  EntryId a = f.agree("Launch on 12 January", "2026-12-07T07:00:00Z");
  f.step(1, AgreementState::disputed, "2026-12-08T09:00:00Z", "Ivan Sidorov", "the 15th, not the 12th");
  auto s = f.status(a, "2026-12-20T09:00:00Z");
  CHECK(s.state == AgreementState::disputed);
  CHECK(s.by == "Ivan Sidorov");
  CHECK(s.note == "the 15th, not the 12th");
  // Settled: the client confirms after all.
  f.step(1, AgreementState::confirmed, "2026-12-21T09:00:00Z", "ivan@client.example");
  s = f.status(a, "2026-12-21T10:00:00Z");
  CHECK(s.state == AgreementState::confirmed);
  CHECK_FALSE(s.by_silence);
  CHECK(s.by == "Ivan Sidorov");
}

TEST_CASE("the lifecycle refuses what cannot follow", "[agreement-state]") {
  Fixture f;
  f.agree("Texts by Friday", "2026-12-07T07:00:00Z");
  f.agree("Blog section", "2026-12-07T07:00:00Z");
  // Only the client's people confirm or dispute.
  CHECK(refusal([&] { f.step(1, AgreementState::confirmed, "2026-12-07T08:00:00Z", "Oleg Team"); })
            .find("Oleg Team") != std::string::npos);
  CHECK(refusal([&] { f.step(1, AgreementState::confirmed, "2026-12-07T08:00:00Z"); })
            .find("--by") != std::string::npos);
  // A withdrawal says why.
  CHECK(refusal([&] { f.step(2, AgreementState::withdrawn, "2026-12-07T08:00:00Z"); })
            .find("--reason") != std::string::npos);
  // Confirmed twice: said so; confirmed by silence, then in writing: recorded.
  f.step(1, AgreementState::confirmed, "2026-12-07T08:00:00Z", "Ivan Sidorov");
  CHECK(refusal([&] { f.step(1, AgreementState::confirmed, "2026-12-07T09:00:00Z", "Ivan Sidorov"); })
            .find("already confirmed by Ivan Sidorov") != std::string::npos);
  CHECK_NOTHROW(f.step(2, AgreementState::confirmed, "2026-12-14T09:00:00Z", "Ivan Sidorov"));
  // A disputed agreement is settled before it is fulfilled.
  f.step(2, AgreementState::disputed, "2026-12-14T10:00:00Z", "Ivan Sidorov", "not this year");
  CHECK(refusal([&] { f.step(2, AgreementState::fulfilled, "2026-12-14T11:00:00Z"); })
            .find("is disputed") != std::string::npos);
  // Final states are final, and the future is not recorded.
  f.step(2, AgreementState::withdrawn, "2026-12-14T11:00:00Z", "", "dropped");
  CHECK(refusal([&] { f.step(2, AgreementState::confirmed, "2026-12-14T12:00:00Z", "Ivan Sidorov"); })
            .find("is withdrawn") != std::string::npos);
  CHECK(refusal([&] {
          TransitionInput in;
          in.to = AgreementState::fulfilled;
          in.on = "2027-01-20";
          record_transition(f.ledger, f.config, f.rule, 1, in, at("2026-12-15T09:00:00Z"));
        }).find("future") != std::string::npos);
  // Nothing was written by a refusal: 2 agreements and 4 steps.
  EntryQuery steps;
  steps.kinds = {"agreement-state"};
  CHECK(f.ledger.list(steps).size() == 4);
}

TEST_CASE("a superseded agreement names its successor", "[agreement-state]") {
  Fixture f;
  EntryId a = f.agree("Launch on 12 December", "2026-12-07T07:00:00Z");
  AgreementInput in;
  in.text = "Launch on 15 December";
  in.supersedes = a;
  in.author = "Anna";
  log_agreement(f.ledger, in, at("2026-12-08T07:00:00Z"), f.calendar.zone());
  CHECK(f.status(a, "2026-12-09T07:00:00Z").state == AgreementState::superseded);
  CHECK(refusal([&] { f.step(1, AgreementState::fulfilled, "2026-12-09T07:00:00Z"); })
            .find("replaced by agreement 2") != std::string::npos);
}

TEST_CASE("fulfilled or withdrawn, an agreement is no longer open or due", "[agreement-state]") {
  Fixture f;
  f.agree("Texts by Friday", "2026-12-07T07:00:00Z", "2026-12-11");
  EntryId b = f.agree("Photos by Friday", "2026-12-07T07:00:00Z", "2026-12-11");
  EntryId c = f.agree("Logo by Friday", "2026-12-07T07:00:00Z", "2026-12-11");
  f.step(1, AgreementState::fulfilled, "2026-12-10T09:00:00Z");
  f.step(2, AgreementState::withdrawn, "2026-12-10T09:00:00Z", "", "no photos after all");
  EntryQuery open;
  open.kinds = {"agreement"};
  open.open_only = true;
  auto still = f.ledger.list(open);
  REQUIRE(still.size() == 1);
  CHECK(still.front().id == c);
  // A done note on a withdrawn agreement is refused; on an open one it fulfils it.
  NoteInput note;
  note.kind = "done";
  note.text = "Photos";
  note.agreement = b;
  CHECK_THROWS_WITH(add_note(f.ledger, note, at("2026-12-10T10:00:00Z"), f.calendar.zone()),
                    Catch::Contains("already withdrawn"));
  // Nor on a disputed one, as pm agreement fulfil refuses it.
  EntryId d = f.agree("Favicon", "2026-12-07T07:00:00Z");
  f.step(4, AgreementState::disputed, "2026-12-08T07:00:00Z", "Ivan Sidorov", "not needed");
  note.agreement = d;
  CHECK_THROWS_WITH(add_note(f.ledger, note, at("2026-12-10T10:00:00Z"), f.calendar.zone()),
                    Catch::Contains("is disputed"));
  note.agreement = c;
  add_note(f.ledger, note, at("2026-12-10T10:00:00Z"), f.calendar.zone());
  CHECK(f.status(c, "2026-12-10T11:00:00Z").state == AgreementState::fulfilled);
  REQUIRE(f.ledger.list(open).size() == 1);
  CHECK(f.ledger.list(open).front().id == d);
}

TEST_CASE("fold_case matches Latin and Cyrillic text in any case", "[text]") {
  CHECK(fold_case("Запуск САЙТА Ёлка Launch") == "запуск сайта ёлка launch");
  CHECK(fold_case("ПРИВЕТ") == fold_case("привет"));
  CHECK(fold_case("") == "");
}
