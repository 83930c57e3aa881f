// pm today's list on a Russian project lived through the New Year holidays, one morning at a
// time: exactly what is late, awaiting the client, waiting, due.
#include <catch2/catch.hpp>

#include <set>

#include "pm/domain/agreement_state.hpp"
#include "pm/domain/agreements.hpp"
#include "pm/domain/changes.hpp"
#include "pm/domain/meeting_schedule.hpp"
#include "pm/domain/reminders.hpp"
#include "pm/domain/today.hpp"
#include "pm/storage/ledger.hpp"
#include "pm/time/date_expression.hpp"
#include "pm/util/error.hpp"

using namespace pm;

namespace {

Instant at(const char* text) { return parse_instant(text, "test"); }

struct Project {
  Ledger ledger{":memory:", Ledger::Mode::create};
  Calendar calendar{find_zone("Europe/Moscow")};
  ProjectConfig config;

  Project() {
    calendar.set_all(russian_calendar());
    config.name = "Website";
    config.timezone = "Europe/Moscow";
    config.manager = Person{"Anna Petrova", "anna@agency.example", "team", {"manager"}, ""};
    config.people.push_back(
        Person{"Ivan Sidorov", "ivan@client.example", "client", {"approver"}, ""});
    const Zone zone = calendar.zone();
    auto agree = [&](const char* text, const char* when, const char* due) {
      AgreementInput in;
      in.text = text;
      in.due = due;
      in.author = "Anna";
      return log_agreement(ledger, in, at(when), zone);
    };
    const ConfirmationRule rule{&calendar, config.confirm_within};
    // A1: Thursday 24 December, due Wednesday 30 December; fulfilled on 12 January.
    agree("Texts for the catalogue", "2026-12-24T07:00:00Z", "2026-12-30");
    ChangeInput change;
    change.text = "Add a blog";
    change.reason = "Marketing asked";
    change.days = 5;
    change.author = "Anna";
    propose_change(ledger, change, at("2026-12-24T08:00:00Z"));
    // The last weekly report went out on Friday 25 December.
    Entry letter;
    letter.kind = "letter";
    letter.text = "Website: status for week 52";
    letter.recorded_at = letter.effective_at = at("2026-12-25T13:00:00Z");
    letter.author = "Anna";
    letter.data["template"] = "weekly-status";
    ledger.append(letter);
    // A2: Monday 28 December, disputed on the 29th.
    agree("Launch on 12 January", "2026-12-28T07:00:00Z", "2027-01-12");
    TransitionInput dispute;
    dispute.to = AgreementState::disputed;
    dispute.by = "Ivan Sidorov";
    dispute.reason = "the 15th";
    dispute.author = "Anna";
    record_transition(ledger, config, rule, 2, dispute, at("2026-12-29T09:00:00Z"));
    // T1: a reminder for Monday 11 January.
    add_reminder(ledger, calendar, ReminderInput{"Call Ivan", "2027-01-11", "A2", "Anna"},
                 at("2026-12-28T08:00:00Z"));
    TransitionInput done;
    done.to = AgreementState::fulfilled;
    done.author = "Anna";
    record_transition(ledger, config, rule, 1, done, at("2027-01-12T07:00:00Z"));
  }

  /// The references in `section` on the morning of `day` (09:00 Moscow).
  std::set<std::string> at_nine(const std::string& day, TodaySection section) {
    const Instant now = parse_instant(day + "T09:00:00+03:00", "test");
    std::set<std::string> out;
    for (const auto& item : build_today(ledger, config, calendar, now).items) {
      if (item.section == section) {
        out.insert(item.reference.empty() ? item.kind : item.reference);
      }
    }
    return out;
  }
};

using Refs = std::set<std::string>;

}  // namespace

TEST_CASE("pm today over the New Year holidays names exactly what is late", "[today]") {
  Project p;
  // Every morning from 25 December to 14 January.
  const std::vector<std::pair<std::string, Refs>> overdue = {
      {"2026-12-25", {}},         {"2026-12-28", {}},         {"2026-12-29", {}},
      {"2026-12-30", {}},         {"2026-12-31", {"A1"}},     {"2027-01-01", {"A1"}},
      {"2027-01-08", {"A1"}},     {"2027-01-11", {"A1"}},     {"2027-01-12", {"A1", "T1"}},
      {"2027-01-13", {"A2", "T1", "status"}}, {"2027-01-14", {"A2", "T1", "status"}}};
  for (const auto& [day, expected] : overdue) {
    INFO(day);
    CHECK(p.at_nine(day, TodaySection::overdue) == expected);
  }
  // Due today: A1 on its day; the reminder on 11 January; the status update on the 12th (five
  // working days after 25 December: 28, 29, 30 December, 11, 12 January).
  CHECK(p.at_nine("2026-12-30", TodaySection::today) == Refs{"A1"});
  CHECK(p.at_nine("2027-01-11", TodaySection::today) == Refs{"T1"});
  CHECK(p.at_nine("2027-01-12", TodaySection::today) == Refs{"A2", "status"});
  // A1 awaits confirmation until Monday 28 December 18:00, and is named as confirmed by silence
  // the next working morning only.
  CHECK(p.at_nine("2026-12-28", TodaySection::unconfirmed) == Refs{"A1", "A2"});
  CHECK(p.at_nine("2026-12-29", TodaySection::confirmed) == Refs{"A1"});
  CHECK(p.at_nine("2026-12-30", TodaySection::confirmed).empty());
  // A2 is disputed from the 29th on (09:00 UTC is 12:00 Moscow: not yet at nine).
  CHECK(p.at_nine("2026-12-29", TodaySection::disputed).empty());
  CHECK(p.at_nine("2026-12-30", TodaySection::disputed) == Refs{"A2"});
  // The change waits for both sides: named once more than two working days have passed.
  CHECK(p.at_nine("2026-12-28", TodaySection::waiting).empty());
  CHECK(p.at_nine("2026-12-29", TodaySection::waiting) == Refs{"C1"});
  // Coming up within three working days: from 30 December that reaches 12 January.
  CHECK(p.at_nine("2026-12-30", TodaySection::soon).count("A2") == 1);
  CHECK(p.at_nine("2026-12-29", TodaySection::soon).count("A1") == 1);
}

TEST_CASE("reminders: spans on the calendar, past days refused", "[today]") {
  Project p;
  const Instant now = at("2026-12-30T06:00:00Z");
  EntryId id = add_reminder(p.ledger, p.calendar, ReminderInput{"Invoice", "2wd", "", "Anna"}, now);
  CHECK(p.ledger.find(id)->due == "2027-01-12");
  CHECK_THROWS_WITH(
      add_reminder(p.ledger, p.calendar, ReminderInput{"Late", "2026-12-01", "", "Anna"}, now),
      Catch::Contains("is past"));
  CHECK_THROWS_WITH(
      add_reminder(p.ledger, p.calendar, ReminderInput{"What", "someday", "", "Anna"}, now),
      Catch::Contains("neither a date nor a span"));
  CHECK_THROWS_WITH(
      add_reminder(p.ledger, p.calendar, ReminderInput{"About", "3wd", "A9", "Anna"}, now),
      Catch::Contains("9"));
  finish_reminder(p.ledger, 2, "Anna", now);
  CHECK_THROWS_WITH(finish_reminder(p.ledger, 2, "Anna", now), Catch::Contains("already done"));
  int open = 0;
  each_reminder(p.ledger, false, [&](const Reminder&) { ++open; });
  CHECK(open == 1);
}

TEST_CASE("spans and dates on the calendar", "[date]") {
  Calendar ru{find_zone("Europe/Moscow")};
  ru.set_all(russian_calendar());
  const Instant now = at("2026-12-30T06:00:00Z");
  auto day = [&](const char* text) {
    return format_date(parse_date_on_calendar(text, now, ru, "--in"));
  };
  CHECK(day("1wd") == "2027-01-11");
  CHECK(day("+3wd") == "2027-01-13");
  CHECK(day("-1wd") == "2026-12-29");
  CHECK(day("7d") == "2027-01-06");
  CHECK(day("7") == "2027-01-06");
  CHECK(day("2w") == "2027-01-13");
  CHECK(day("2027-02-01") == "2027-02-01");
  CHECK(day("tomorrow") == "2026-12-31");
  CHECK_THROWS_AS(day("2027-02-30"), Error);
  CHECK_THROWS_AS(day("3xd"), Error);
}

TEST_CASE("a regular meeting is not on today's list on a holiday", "[today][meetings]") {
  Project p;
  MeetingSchedule weekly;
  weekly.title = "Weekly sync";
  weekly.weekday = date::Tuesday;
  p.config.meetings.push_back(weekly);
  auto meetings = [&](const std::string& day) {
    int n = 0;
    const Instant now = parse_instant(day + "T09:00:00+03:00", "test");
    for (const auto& item : build_today(p.ledger, p.config, p.calendar, now).items) {
      n += item.kind == "meeting" && item.section == TodaySection::today ? 1 : 0;
    }
    return n;
  };
  CHECK(meetings("2026-12-29") == 1);  // a working Tuesday
  CHECK(meetings("2027-01-05") == 0);  // New Year holidays
  CHECK(meetings("2027-01-12") == 1);
  CHECK(meetings("2027-01-13") == 0);  // a Wednesday
}
