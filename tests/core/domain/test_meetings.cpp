// Meetings: the schedule's next occurrence in the project's zone, meetings and the questions
// logged against them in the ledger.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <unistd.h>

#include "pm/domain/agreements.hpp"
#include "pm/domain/meeting_schedule.hpp"
#include "pm/domain/meetings.hpp"
#include "pm/domain/project.hpp"
#include "pm/util/error.hpp"

using namespace pm;
namespace fs = std::filesystem;

namespace {

MeetingSchedule weekly(const char* day, int hour, int minute) {
  MeetingSchedule s;
  s.title = "Weekly sync";
  s.day = day;
  s.weekday = *parse_weekday(day);
  s.hour = hour;
  s.minute = minute;
  return s;
}

std::string next_local(const MeetingSchedule& s, const char* after, const char* zone) {
  Zone z = find_zone(zone);
  return format_iso_local(next_occurrence(s, parse_instant(after, "test"), z), z);
}

}  // namespace

TEST_CASE("every: week, N weeks, month, N months", "[meetings]") {
  MeetingSchedule s;
  CHECK(parse_every("week", s));
  CHECK((s.frequency == MeetingSchedule::Frequency::weekly && s.interval == 1));
  CHECK(parse_every("2 weeks", s));
  CHECK(s.interval == 2);
  CHECK(parse_every("month", s));
  CHECK((s.frequency == MeetingSchedule::Frequency::monthly && s.interval == 1));
  CHECK(parse_every("3 months", s));
  CHECK(s.interval == 3);
  CHECK(parse_every("1 week", s));
  for (const char* bad : {"", "day", "2 week", "0 weeks", "-1 weeks", "weeks", "13 months",
                          "2  weeks", "x weeks"}) {
    INFO(bad);
    CHECK_FALSE(parse_every(bad, s));
  }
  CHECK(parse_weekday("tue") == date::Tuesday);
  CHECK_FALSE(parse_weekday("Tuesday"));
}

TEST_CASE("the next weekly meeting, in the project's zone", "[meetings]") {
  MeetingSchedule s = weekly("tue", 11, 0);
  // Tuesday 1 December 2026 is a Tuesday; Moscow is UTC+3 all year.
  CHECK(next_local(s, "2026-11-30T12:00:00Z", "Europe/Moscow") == "2026-12-01T11:00:00+03:00");
  // At the meeting's start, the next one is a week later.
  CHECK(next_local(s, "2026-12-01T08:00:00Z", "Europe/Moscow") == "2026-12-08T11:00:00+03:00");
  CHECK(next_local(s, "2026-12-01T07:59:59Z", "Europe/Moscow") == "2026-12-01T11:00:00+03:00");
  // Late on Monday in UTC is already Tuesday morning in Vladivostok.
  CHECK(next_local(s, "2026-11-30T20:00:00Z", "Asia/Vladivostok") ==
        "2026-12-01T11:00:00+10:00");
}

TEST_CASE("a meeting keeps its local time across clock changes", "[meetings]") {
  MeetingSchedule s = weekly("mon", 9, 30);
  // Berlin goes to summer time on Sunday 29 March 2026.
  CHECK(next_local(s, "2026-03-24T00:00:00Z", "Europe/Berlin") == "2026-03-30T09:30:00+02:00");
  CHECK(next_local(s, "2026-03-20T00:00:00Z", "Europe/Berlin") == "2026-03-23T09:30:00+01:00");
  // And back on Sunday 25 October 2026.
  CHECK(next_local(s, "2026-10-20T00:00:00Z", "Europe/Berlin") == "2026-10-26T09:30:00+01:00");
  // A time the clock skips (02:30 on 29 March) moves forward by the gap.
  MeetingSchedule night = weekly("sun", 2, 30);
  CHECK(next_local(night, "2026-03-28T00:00:00Z", "Europe/Berlin") ==
        "2026-03-29T03:30:00+02:00");
  // A repeated time (02:30 on 25 October) is the earlier one.
  CHECK(next_local(night, "2026-10-24T00:00:00Z", "Europe/Berlin") ==
        "2026-10-25T02:30:00+02:00");
}

TEST_CASE("every 2 weeks counts from `from`, none before it", "[meetings]") {
  MeetingSchedule s = weekly("tue", 11, 0);
  s.interval = 2;
  s.from = "2026-12-08";
  CHECK(next_local(s, "2026-11-01T00:00:00Z", "Europe/Moscow") == "2026-12-08T11:00:00+03:00");
  CHECK(next_local(s, "2026-12-08T09:00:00Z", "Europe/Moscow") == "2026-12-22T11:00:00+03:00");
  CHECK(next_local(s, "2026-12-14T00:00:00Z", "Europe/Moscow") == "2026-12-22T11:00:00+03:00");
  s.from = "2026-12-15";
  CHECK(next_local(s, "2026-12-09T00:00:00Z", "Europe/Moscow") == "2026-12-15T11:00:00+03:00");
  CHECK(next_local(s, "2026-12-16T00:00:00Z", "Europe/Moscow") == "2026-12-29T11:00:00+03:00");
}

TEST_CASE("every month: its first such weekday", "[meetings]") {
  MeetingSchedule s = weekly("wed", 15, 0);
  s.frequency = MeetingSchedule::Frequency::monthly;
  // 2 December 2026 is the first Wednesday of December; 6 January 2027 of January.
  CHECK(next_local(s, "2026-11-20T00:00:00Z", "Europe/Moscow") == "2026-12-02T15:00:00+03:00");
  CHECK(next_local(s, "2026-12-02T12:00:00Z", "Europe/Moscow") == "2027-01-06T15:00:00+03:00");
  s.interval = 3;
  s.from = "2026-12-01";
  CHECK(next_local(s, "2026-12-03T00:00:00Z", "Europe/Moscow") == "2027-03-03T15:00:00+03:00");
}

TEST_CASE("the next of several schedules", "[meetings]") {
  std::vector<MeetingSchedule> all = {weekly("thu", 10, 0), weekly("tue", 11, 0)};
  Zone z = find_zone("Europe/Moscow");
  auto next = next_meeting(all, parse_instant("2026-11-30T00:00:00Z", "t"), z);
  REQUIRE(next);
  CHECK(next->schedule == &all[1]);
  CHECK(!next_meeting({}, parse_instant("2026-11-30T00:00:00Z", "t"), z));
}

TEST_CASE("meetings: in project.yaml, read, checked and written back", "[meetings][project]") {
  std::string pattern = (fs::temp_directory_path() / "pm-meet-XXXXXX").string();
  fs::path dir = ::mkdtemp(pattern.data());
  fs::path file = dir / "project.yaml";
  auto error = [&](const std::string& meetings) -> std::string {
    std::ofstream(file) << "name: X\ntimezone: Europe/Moscow\nmanager: {name: Anna, email: anna@example.com}\n"
                            "meetings:\n" << meetings;
    try {
      load_config(file);
    } catch (const Error& e) {
      return e.what();
    }
    return "";
  };
  const std::string f = file.string();
  REQUIRE(error("  - {title: Weekly sync, every: 2 weeks, day: tue, time: \"11:00\", "
                "duration: 45, from: 2026-12-08}\n")
              .empty());
  ProjectConfig c = load_config(file);
  REQUIRE(c.meetings.size() == 1);
  CHECK(c.meetings[0].interval == 2);
  CHECK(c.meetings[0].weekday == date::Tuesday);
  CHECK(c.meetings[0].duration_minutes == 45);
  std::ofstream(file) << config_to_yaml(c);
  ProjectConfig back = load_config(file);
  CHECK(config_to_yaml(back) == config_to_yaml(c));

  CHECK(error("  - {title: Sync, day: tue, time: \"25:00\"}\n") ==
        f + ":5: 'meetings[].time' must be a time of day from 00:00 to 23:59, not '25:00'; "
            "write it as \"HH:MM\", e.g. \"09:00\"");
  CHECK(error("  - {title: Sync, day: tuesday, time: \"11:00\"}\n") ==
        f + ":5: 'meetings[].day': 'tuesday' is not one of mon, tue, wed, thu, fri, sat, sun");
  CHECK(error("  - {title: Sync, every: fortnight, day: tue, time: \"11:00\"}\n") ==
        f + ":5: 'meetings[].every' must be week, N weeks, month or N months (such as 2 weeks), "
            "not 'fortnight'");
  CHECK(error("  - {title: Sync, day: tue}\n") ==
        f + ":5: a meeting needs 'time'; e.g. {title: Weekly sync, every: week, day: tue, time: "
            "\"11:00\", duration: 60}");
  CHECK(error("  - {title: Sync, dya: tue, time: \"11:00\"}\n") ==
        f + ":5: unknown key 'dya' in a meeting; did you mean 'day'?");
  CHECK(error("  weekly\n") ==
        f + ":5: 'meetings' must be a list of meetings, not 'weekly'; write each as '- {title: "
            "Weekly sync, every: week, day: tue, time: \"11:00\"}'");
  CHECK(error("  - {title: Sync, day: tue, time: \"11:00\", duration: 1000}\n") ==
        f + ":5: 'meetings[].duration' must be a whole number from 5 to 480, not '1000'");
  fs::remove_all(dir);
}

TEST_CASE("meetings, their items and open questions in the ledger", "[meetings]") {
  Ledger ledger(":memory:", Ledger::Mode::create);
  Zone z = find_zone("Europe/Moscow");
  Instant now = parse_instant("2026-12-08T15:00:00+03:00", "t");
  MeetingInput in;
  in.topic = "Weekly sync";
  in.on = "2026-12-08 11:00";
  in.with = {"Ivan Sidorov", " "};
  in.author = "Anna";
  EntryId m = log_meeting(ledger, in, now, z);
  Entry meeting = *ledger.find(m);
  CHECK(meeting.number == 1);
  CHECK(format_utc(meeting.effective_at) == "2026-12-08T08:00:00Z");
  CHECK(meeting.data["with"] == Json::array({"Ivan Sidorov"}));
  CHECK(find_meeting(ledger, "M1").id == m);
  CHECK(find_meeting(ledger, "meeting 1").id == m);
  CHECK(is_meeting_reference("m12"));
  CHECK_FALSE(is_meeting_reference("2026-12-08"));
  CHECK_THROWS_WITH(find_meeting(ledger, "M2"), Catch::Contains("there is no meeting 2"));

  AgreementInput a;
  a.text = "Launch on 20 December";
  a.meeting_entry = m;
  a.author = "Anna";
  EntryId agreement = log_agreement(ledger, a, now, z);
  CHECK(ledger.find(agreement)->effective_at == meeting.effective_at);
  CHECK(ledger.find(agreement)->data["with"] == Json::array({"Ivan Sidorov"}));

  DecisionNote d;
  d.text = "Staging on our servers";
  d.meeting = m;
  d.author = "Anna";
  log_decision(ledger, d, now, z);

  QuestionInput q;
  q.text = "Which payment gateway?";
  q.to = "Ivan Sidorov";
  q.meeting = m;
  q.author = "Anna";
  EntryId question = add_question(ledger, q, now, z);
  CHECK(ledger.find(question)->number == 1);
  CHECK(meeting_items(ledger, meeting).size() == 3);

  REQUIRE(list_questions(ledger, false).size() == 1);
  CHECK(list_questions(ledger, false)[0].meeting_number == 1);
  answer_question(ledger, question, "Stripe", "Anna", now + std::chrono::hours{1});
  CHECK(list_questions(ledger, false).empty());
  REQUIRE(list_questions(ledger, true).size() == 1);
  CHECK(list_questions(ledger, true)[0].answer->text == "Stripe");
  CHECK_THROWS_WITH(answer_question(ledger, question, "Again", "Anna", now),
                    Catch::Contains("question 1 was already answered"));
  CHECK_THROWS_WITH(answer_question(ledger, agreement, "No", "Anna", now),
                    Catch::Contains("is an agreement, not a question"));
  in.on = "2026-12-08 25:00";
  CHECK_THROWS_WITH(log_meeting(ledger, in, now, z), Catch::Contains("'25:00' is not a time"));
}
