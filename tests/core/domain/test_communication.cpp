// The communication log's SLA arithmetic, each figure counted by hand on the calendar:
// Monday to Friday, 09:00 to 18:00 in Europe/Moscow (UTC+3 all year), a reply due within 2
// working hours and a status update every 5 working days (the defaults of project.yaml).
//
// November 2026: Sunday the 1st, so Monday 2, Wednesday 4 (a holiday on the ru calendar),
// Friday 13, Saturday 14, Monday 16, Friday 20.
#include <catch2/catch.hpp>

#include "pm/domain/communication.hpp"
#include "pm/domain/project_calendar.hpp"
#include "pm/storage/ledger.hpp"
#include "pm/util/error.hpp"

using namespace pm;
using std::chrono::minutes;

namespace {

/// "2026-11-13 17:00" in Moscow (UTC+3) as an instant.
Instant msk(const std::string& local) {
  return parse_instant(local.substr(0, 10) + "T" + local.substr(11) + ":00+03:00", "test");
}

struct Fixture {
  Ledger ledger{":memory:", Ledger::Mode::create};
  ProjectConfig config;
  Calendar calendar{find_zone("Europe/Moscow")};
  SlaTargets targets;
  Instant now = msk("2026-11-30 12:00");

  Fixture() {
    config.name = "Website";
    config.timezone = "Europe/Moscow";
    config.manager = Person{"Anna Petrova", "anna@agency.example", "team", {"manager"}, ""};
    config.people.push_back(
        Person{"Ivan Sidorov", "ivan@client.example", "client", {"approver"}, ""});
    config.people.push_back(Person{"Boris Team", "boris@agency.example", "team", {}, ""});
    targets = sla_targets(config);
  }

  std::int64_t request(const std::string& when, const std::string& text = "A question") {
    RequestInput in;
    in.text = text;
    in.from = "Ivan";
    in.via = "call";
    in.when = msk(when);
    in.author = "Anna";
    return ledger.find(add_request(ledger, config, in, now))->number;
  }

  void reply(std::int64_t number, const std::string& when, bool needed = true) {
    ReplyInput in;
    in.request = number;
    in.when = msk(when);
    in.needed = needed;
    in.author = "Anna";
    add_reply(ledger, in, now);
  }

  std::vector<RequestRow> rows() {
    return requests_between(ledger, calendar, targets, msk("2026-11-01 00:00"),
                            msk("2026-12-01 00:00"), now);
  }

  RequestRow row(std::int64_t number) {
    for (auto& r : rows()) {
      if (r.request.number == number) {
        return r;
      }
    }
    FAIL("no request I" << number);
    return {};
  }
};

}  // namespace

TEST_CASE("communication: the SLA targets default to 2 working hours and 5 working days", "[communication]") {
  ProjectConfig config;
  CHECK(sla_targets(config).reply == std::chrono::hours(2));
  CHECK(sla_targets(config).status_days == 5);
  config.sla_reply_hours = 4;
  config.sla_status_every_days = 10;
  CHECK(sla_targets(config).reply == std::chrono::hours(4));
  CHECK(sla_targets(config).status_days == 10);
}

TEST_CASE("communication: Friday 17:00 answered Monday 10:00 took 2 working hours", "[communication]") {
  Fixture f;
  // The calendar this test counts on: 09:00 to 18:00, Monday to Friday.
  auto [start, end] = f.calendar.working_hours_of(parse_date("2026-11-13", "test"));
  REQUIRE(start == msk("2026-11-13 09:00"));
  REQUIRE(end == msk("2026-11-13 18:00"));
  // Friday 17:00-18:00 (1 h) + Monday 09:00-10:00 (1 h) = 2 h: on the target, not past it.
  const auto n = f.request("2026-11-13 17:00");
  CHECK(n == 1);
  f.reply(n, "2026-11-16 10:00");
  RequestRow r = f.row(n);
  CHECK(r.replied());
  CHECK(r.waited == minutes(120));
  CHECK(r.reply_due == msk("2026-11-16 10:00"));
  CHECK_FALSE(r.breach);
  // One minute later is past it: 2 h 1 min.
  const auto late = f.request("2026-11-13 17:00", "Another question");
  f.reply(late, "2026-11-16 10:01");
  CHECK(f.row(late).waited == minutes(121));
  CHECK(f.row(late).breach);
}

TEST_CASE("communication: a request on Saturday starts its clock on Monday 09:00", "[communication]") {
  Fixture f;
  // Saturday 11:00: nothing counts until Monday 09:00. Monday 10:30 is 1 h 30 min.
  const auto ok = f.request("2026-11-14 11:00");
  f.reply(ok, "2026-11-16 10:30");
  CHECK(f.row(ok).waited == minutes(90));
  CHECK(f.row(ok).reply_due == msk("2026-11-16 11:00"));
  CHECK_FALSE(f.row(ok).breach);
  // Sunday 23:00 answered Monday 11:30: 2 h 30 min, a breach.
  const auto late = f.request("2026-11-15 23:00");
  f.reply(late, "2026-11-16 11:30");
  CHECK(f.row(late).waited == minutes(150));
  CHECK(f.row(late).breach);
  // Monday 07:00, before the working day, answered 08:50: 0 working minutes.
  const auto early = f.request("2026-11-16 07:00");
  f.reply(early, "2026-11-16 08:50");
  CHECK(f.row(early).waited == minutes(0));
  CHECK_FALSE(f.row(early).breach);
}

TEST_CASE("communication: a request the day before a holiday is counted across it", "[communication]") {
  Fixture f;
  // Tuesday 3 November 17:30; Wednesday 4 November is a holiday; answered Thursday 5
  // November 09:45. Tuesday 17:30-18:00 (30 min) + Thursday 09:00-09:45 (45 min) = 75 min.
  const auto n = f.request("2026-11-03 17:30");
  f.reply(n, "2026-11-05 09:45");
  SECTION("the ru calendar") {
    f.calendar.set_all(russian_calendar());
    REQUIRE_FALSE(f.calendar.is_working_day(parse_date("2026-11-04", "test")));
    RequestRow r = f.row(n);
    CHECK(r.waited == minutes(75));
    // Due: 30 min on Tuesday + 1 h 30 min on Thursday = Thursday 10:30.
    CHECK(r.reply_due == msk("2026-11-05 10:30"));
    CHECK_FALSE(r.breach);
  }
  SECTION("the project's holidays on calendar none") {
    f.config.calendar = "none";
    f.config.holidays = {"2026-11-04"};
    f.calendar = project_calendar(f.config, "/nonexistent");
    CHECK(f.row(n).waited == minutes(75));
    CHECK_FALSE(f.row(n).breach);
  }
  SECTION("without the holiday the same reply is a breach") {
    // Tuesday 30 min + Wednesday 9 h + Thursday 45 min = 10 h 15 min.
    CHECK(f.row(n).waited == minutes(615));
    CHECK(f.row(n).reply_due == msk("2026-11-04 10:30"));
    CHECK(f.row(n).breach);
  }
}

TEST_CASE("communication: 31 December 2026 on the ru calendar is a day off", "[communication]") {
  Fixture f;
  f.calendar.set_all(russian_calendar());
  f.now = msk("2027-01-20 12:00");
  // Wednesday 30 December 17:00; 31 December and 1-8 January are days off; Monday 11
  // January is the next working day. 1 h on 30 December + 30 min on 11 January = 90 min.
  const auto n = f.request("2026-12-30 17:00");
  f.reply(n, "2027-01-11 09:30");
  auto rows = requests_between(f.ledger, f.calendar, f.targets, msk("2026-12-01 00:00"),
                               msk("2027-01-01 00:00"), f.now);
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].waited == minutes(90));
  CHECK(rows[0].reply_due == msk("2027-01-11 10:00"));
  CHECK_FALSE(rows[0].breach);
}

TEST_CASE("communication: the median of three and of four replies", "[communication]") {
  Fixture f;
  // Monday 16 November, from 09:00: replies after 30 min, 1 h 30 min, 3 h 20 min.
  const auto a = f.request("2026-11-16 09:00", "A");
  const auto b = f.request("2026-11-16 09:00", "B");
  const auto c = f.request("2026-11-16 09:00", "C");
  f.reply(a, "2026-11-16 09:30");
  f.reply(c, "2026-11-16 12:20");
  f.reply(b, "2026-11-16 10:30");
  // A request never answered is not in the median.
  f.request("2026-11-16 09:00", "Still waiting");
  CHECK(median_reply(f.rows()) == minutes(90));
  // A fourth reply after 1 h: 30, 60, 90, 200 -> (60 + 90) / 2 = 75 min.
  const auto d = f.request("2026-11-17 14:00", "D");
  f.reply(d, "2026-11-17 15:00");
  CHECK(median_reply(f.rows()) == minutes(75));
  // No replies at all: no median.
  CHECK_FALSE(median_reply({}).has_value());
}

TEST_CASE("communication: a request still waiting past its due is a breach", "[communication]") {
  Fixture f;
  const auto n = f.request("2026-11-16 10:00");
  SECTION("within the target") {
    f.now = msk("2026-11-16 11:59");
    RequestRow r = f.row(n);
    CHECK_FALSE(r.replied());
    CHECK(r.waited == minutes(119));
    CHECK_FALSE(r.breach);
  }
  SECTION("past it") {
    f.now = msk("2026-11-16 13:00");
    RequestRow r = f.row(n);
    CHECK(r.waited == minutes(180));
    CHECK(r.breach);
    auto waiting = waiting_requests(f.ledger, f.calendar, f.targets, f.now);
    REQUIRE(waiting.size() == 1);
    CHECK(waiting[0].request.number == n);
    CHECK(waiting[0].breach);
    CHECK_FALSE(median_reply(f.rows()).has_value());
  }
  SECTION("answered, it leaves the waiting list") {
    f.now = msk("2026-11-16 13:00");
    f.reply(n, "2026-11-16 12:30");
    CHECK(waiting_requests(f.ledger, f.calendar, f.targets, f.now).empty());
    CHECK(f.row(n).waited == minutes(150));
    CHECK(f.row(n).breach);
  }
}

TEST_CASE("communication: a request closed without a reply is not counted", "[communication]") {
  Fixture f;
  // "Thanks!" on Monday 09:00, closed on Tuesday 15:00: 15 working hours, but not needed.
  const auto thanks = f.request("2026-11-16 09:00", "Thanks");
  f.reply(thanks, "2026-11-17 15:00", false);
  const auto asked = f.request("2026-11-16 09:00", "A question");
  f.reply(asked, "2026-11-16 09:40");
  RequestRow r = f.row(thanks);
  CHECK_FALSE(r.needs_reply);
  CHECK_FALSE(r.breach);
  CHECK(median_reply(f.rows()) == minutes(40));
  CHECK(waiting_requests(f.ledger, f.calendar, f.targets, f.now).empty());
}

TEST_CASE("communication: add_request and add_reply refuse what cannot be", "[communication]") {
  Fixture f;
  RequestInput in;
  in.text = "Call me";
  in.from = "Boris Team";  // a team member is not a client
  CHECK_THROWS_AS(add_request(f.ledger, f.config, in, f.now), Error);
  in.from = "nobody";
  CHECK_THROWS_AS(add_request(f.ledger, f.config, in, f.now), Error);
  in.from = "Ivan";
  in.via = "pigeon";
  CHECK_THROWS_AS(add_request(f.ledger, f.config, in, f.now), Error);
  in.via = "call";
  in.when = f.now + std::chrono::hours(1);
  CHECK_THROWS_AS(add_request(f.ledger, f.config, in, f.now), Error);
  in.when.reset();
  in.text = "  ";
  CHECK_THROWS_AS(add_request(f.ledger, f.config, in, f.now), Error);
  const auto n = f.request("2026-11-16 10:00");
  ReplyInput reply;
  reply.request = n;
  reply.when = msk("2026-11-16 09:59");  // before the request
  CHECK_THROWS_AS(add_reply(f.ledger, reply, f.now), Error);
  reply.request = 99;
  reply.when = msk("2026-11-16 11:00");
  CHECK_THROWS_AS(add_reply(f.ledger, reply, f.now), Error);
  EntryQuery all;
  CHECK(f.ledger.list(all).size() == 1);  // the one request
  const Entry e = *f.ledger.find_numbered("request", n);
  CHECK(e.data.value("from", "") == "ivan@client.example");
  CHECK(e.data.value("from_name", "") == "Ivan Sidorov");
  CHECK(e.data.value("thread", "") == "a question");
}

TEST_CASE("communication: thread_key folds reply and forward markers", "[communication]") {
  CHECK(thread_key("Deadline of stage 2") == "deadline of stage 2");
  CHECK(thread_key("Re: Deadline of stage 2") == "deadline of stage 2");
  CHECK(thread_key("RE: re: Re: Deadline of stage 2") == "deadline of stage 2");
  CHECK(thread_key("Re[2]: Deadline of stage 2") == "deadline of stage 2");
  CHECK(thread_key("Fwd: Re: Deadline of stage 2") == "deadline of stage 2");
  CHECK(thread_key("FW: Deadline of stage 2") == "deadline of stage 2");
  CHECK(thread_key("AW: WG: Deadline of stage 2") == "deadline of stage 2");
  CHECK(thread_key("Ответ: Сроки этапа 2") == "сроки этапа 2");
  CHECK(thread_key("Отв: Сроки этапа 2") == "сроки этапа 2");
  CHECK(thread_key("Пересл: Re: СРОКИ этапа 2") == "сроки этапа 2");
  CHECK(thread_key("  Re:   Deadline \t of   stage 2  ") == "deadline of stage 2");
  CHECK(thread_key("Re : Deadline") == "deadline");
  CHECK(thread_key("") == "");
  CHECK(thread_key("Re:") == "");
  CHECK(thread_key("   ") == "");
  // A word that only starts like a marker is the subject itself.
  CHECK(thread_key("Report: week 47") == "report: week 47");
  CHECK(thread_key("Reading list") == "reading list");
  CHECK(thread_key("Deadline: Re: stage 2") == "deadline: re: stage 2");
}

namespace {

void status_letter(Ledger& ledger, const std::string& when) {
  Entry e;
  e.kind = "letter";
  e.text = "Website: status";
  e.recorded_at = e.effective_at = msk(when);
  e.author = "Anna";
  e.data["template"] = "weekly-status";
  ledger.append(e);
}

}  // namespace

TEST_CASE("communication: status updates 7 working days apart are a breach", "[communication]") {
  Fixture f;
  f.now = msk("2026-11-20 12:00");
  // Another letter does not count as a status update.
  Entry other;
  other.kind = "letter";
  other.text = "Invoice";
  other.recorded_at = other.effective_at = msk("2026-11-05 10:00");
  other.data["template"] = "invoice";
  // Updates: Monday 2 November, Wednesday 11 November (3, 4, 5, 6, 9, 10, 11: 7 working
  // days), Wednesday 18 November (12, 13, 16, 17, 18: 5), then still open on Friday 20
  // November (19, 20: 2).
  status_letter(f.ledger, "2026-11-02 16:00");
  f.ledger.append(other);
  status_letter(f.ledger, "2026-11-11 16:00");
  status_letter(f.ledger, "2026-11-18 16:00");
  auto gaps = status_gaps(f.ledger, f.calendar, f.targets, msk("2026-11-01 00:00"),
                          msk("2026-12-01 00:00"), f.now);
  REQUIRE(gaps.size() == 3);
  CHECK(gaps[0].from == msk("2026-11-02 16:00"));
  CHECK(gaps[0].to == msk("2026-11-11 16:00"));
  CHECK(gaps[0].working_days == 7);
  CHECK(gaps[0].breach);
  CHECK(gaps[1].working_days == 5);
  CHECK_FALSE(gaps[1].breach);
  CHECK(gaps[2].from == msk("2026-11-18 16:00"));
  CHECK_FALSE(gaps[2].to.has_value());
  CHECK(gaps[2].working_days == 2);
  CHECK_FALSE(gaps[2].breach);
  SECTION("the ru calendar's 4 November makes the first gap 6 days, still a breach") {
    f.calendar.set_all(russian_calendar());
    gaps = status_gaps(f.ledger, f.calendar, f.targets, msk("2026-11-01 00:00"),
                       msk("2026-12-01 00:00"), f.now);
    REQUIRE(gaps.size() == 3);
    CHECK(gaps[0].working_days == 6);
    CHECK(gaps[0].breach);
  }
  SECTION("a period after the first gap leaves it out") {
    gaps = status_gaps(f.ledger, f.calendar, f.targets, msk("2026-11-16 00:00"),
                       msk("2026-11-23 00:00"), f.now);
    REQUIRE(gaps.size() == 2);
    CHECK(gaps[0].from == msk("2026-11-11 16:00"));
  }
}

TEST_CASE("communication: the first status gap runs from the project's first entry", "[communication]") {
  Fixture f;
  f.now = msk("2026-11-20 12:00");
  f.request("2026-11-02 10:00");  // the project's first entry
  // Monday 2 November to Friday 6 November on the ru calendar: 3, 5, 6 = 3 working days.
  f.calendar.set_all(russian_calendar());
  status_letter(f.ledger, "2026-11-06 10:00");
  auto gaps = status_gaps(f.ledger, f.calendar, f.targets, msk("2026-11-01 00:00"),
                          msk("2026-12-01 00:00"), f.now);
  REQUIRE(gaps.size() == 2);
  CHECK_FALSE(gaps[0].from.has_value());
  CHECK(gaps[0].to == msk("2026-11-06 10:00"));
  CHECK(gaps[0].working_days == 3);
  // 6 November to 20 November, still open: 9, 10, 11, 12, 13, 16, 17, 18, 19, 20 = 10.
  CHECK(gaps[1].working_days == 10);
  CHECK(gaps[1].breach);
  // An empty ledger has no gaps.
  Ledger empty(":memory:", Ledger::Mode::create);
  CHECK(status_gaps(empty, f.calendar, f.targets, msk("2026-11-01 00:00"),
                    msk("2026-12-01 00:00"), f.now)
            .empty());
}

TEST_CASE("communication: working time as text", "[communication]") {
  CHECK(working_time_text(minutes(45), "en") == "45 min");
  CHECK(working_time_text(minutes(120), "en") == "2 h");
  CHECK(working_time_text(minutes(75), "en") == "1 h 15 min");
  CHECK(working_time_text(minutes(75), "ru") == "1 ч 15 мин");
  CHECK(working_time_text(std::chrono::seconds(0), "en") == "0 min");
  CHECK(working_time_text(std::chrono::seconds(89), "en") == "1 min");  // rounded
}

TEST_CASE("communication: working hours are the wall clock's across a change of time", "[communication]") {
  // Europe/Berlin leaves summer time on Sunday 25 October 2026. Friday 23 October 17:00
  // (+02:00) answered Monday 26 October 10:00 (+01:00): 1 h + 1 h = 2 h, as the clock on the
  // wall says, though 66 hours passed.
  Fixture f;
  f.calendar = Calendar(find_zone("Europe/Berlin"));
  RequestInput in;
  in.text = "Across the change";
  in.from = "Ivan";
  in.when = parse_instant("2026-10-23T17:00:00+02:00", "test");
  const auto id = add_request(f.ledger, f.config, in, f.now);
  ReplyInput reply;
  reply.request = f.ledger.find(id)->number;
  reply.when = parse_instant("2026-10-26T10:00:00+01:00", "test");
  add_reply(f.ledger, reply, f.now);
  auto rows = requests_between(f.ledger, f.calendar, f.targets,
                               parse_instant("2026-10-20T00:00:00Z", "test"),
                               parse_instant("2026-10-31T00:00:00Z", "test"), f.now);
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].waited == minutes(120));
  CHECK(rows[0].reply_due == parse_instant("2026-10-26T10:00:00+01:00", "test"));
  CHECK_FALSE(rows[0].breach);
}
