// The charts: golden SVGs in both languages (PM_UPDATE_GOLDEN=1 rewrites them; read the diff),
// edge cases, and their data read from ledgers, compared with what `pm nps --by month` and the
// weekly report compute from the same ledger.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <fmt/format.h>

#include "../util/xml_check.hpp"
#include "pm/domain/agreement_state.hpp"
#include "pm/domain/agreements.hpp"
#include "pm/domain/charts.hpp"
#include "pm/domain/notes.hpp"
#include "pm/domain/report.hpp"
#include "pm/time/period.hpp"

using namespace pm;
namespace fs = std::filesystem;

namespace {

Instant at(const char* text) { return parse_instant(text, "t"); }
Date day(const char* text) { return parse_date(text, "t"); }

std::size_t occurrences(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) {
    ++n;
  }
  return n;
}

void check_golden(const std::string& language, const std::string& name, const std::string& svg) {
  const fs::path golden =
      fs::path(PM_SOURCE_DIR) / "tests/golden" / language / ("chart-" + name + ".svg");
  const char* update = std::getenv("PM_UPDATE_GOLDEN");
  if (update != nullptr && std::string(update) == "1") {
    fs::create_directories(golden.parent_path());
    std::ofstream(golden, std::ios::binary) << svg;
  }
  INFO("golden file " << golden.string() << " (PM_UPDATE_GOLDEN=1 rewrites it)");
  REQUIRE(fs::exists(golden));
  std::ifstream in(golden, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  CHECK(text.str() == svg);
  test::check_well_formed(text.str(), golden.string());
}

NpsPoint point(const char* month, std::int64_t promoters, std::int64_t passives,
               std::int64_t detractors) {
  NpsCounts c;
  c.promoters = promoters;
  c.passives = passives;
  c.detractors = detractors;
  return nps_points({NpsGroup{month, c}}).front();
}

/// Six months, one of them without answers and one with too few to be reliable.
std::vector<NpsPoint> six_months() {
  return {point("2026-06", 20, 10, 10), point("2026-07", 25, 10, 5), point("2026-08", 0, 0, 0),
          point("2026-09", 5, 3, 2),    point("2026-10", 30, 8, 4),  point("2026-11", 40, 5, 3)};
}

DeadlineHistory two_changes() {
  DeadlineHistory h;
  h.start = day("2026-10-01");
  h.today = day("2026-12-03");
  h.events = {{day("2026-11-23"), 7, 3, 8, day("2027-01-02")},
              {day("2026-11-30"), 9, 4, -3, day("2026-12-30")}};
  h.deadline = make_deadline("2026-12-25", 5);
  return h;
}

std::vector<WeekCount> twelve_weeks() {
  std::vector<WeekCount> out;
  const int counts[] = {3, 5, 0, 2, 8, 4, 4, 1, 0, 6, 7, 2};
  for (int i = 0; i < 12; ++i) {
    out.push_back({fmt::format("2026-W{:02}", 38 + i), counts[i]});
  }
  return out;
}

}  // namespace

TEST_CASE("charts match their golden SVGs in English and Russian", "[charts]") {
  for (const std::string language : {"en", "ru"}) {
    INFO(language);
    check_golden(language, "nps", nps_chart(six_months(), language));
    check_golden(language, "nps-empty", nps_chart({}, language));
    check_golden(language, "deadline", deadline_chart(two_changes(), language));
    check_golden(language, "done", done_chart(twelve_weeks(), language));
  }
}

TEST_CASE("charts say so when there is nothing to draw", "[charts]") {
  CHECK(occurrences(nps_chart({}, "en"), "No answers yet") == 2);  // desc and text
  CHECK(occurrences(nps_chart({point("2026-11", 0, 0, 0)}, "ru"), "Ответов пока нет") == 2);
  DeadlineHistory none;
  none.today = day("2026-12-03");
  none.start = none.today;
  none.deadline = make_deadline("", 0);
  const std::string deadline = deadline_chart(none, "ru");
  CHECK(deadline.find("Срок сдачи проекта пока не установлен") != std::string::npos);
  test::check_well_formed(deadline, "the deadline chart without a deadline");
  CHECK(done_chart({}, "en").find("No weeks to show") != std::string::npos);
  // Weeks with nothing done are bars of zero, not an error.
  const std::string zero = done_chart({{"2026-W49", 0}}, "ru");
  CHECK(zero.find(">Н49</text>") != std::string::npos);
  CHECK(zero.find("height=\"0\"") != std::string::npos);
  test::check_well_formed(zero, "a week of nothing");
}

TEST_CASE("an NPS chart of one month draws its margin as a bar", "[charts]") {
  const std::string svg = nps_chart({point("2026-11", 40, 5, 3)}, "en");
  CHECK(occurrences(svg, "<circle") == 1);
  CHECK(occurrences(svg, "<polyline") == 0);
  CHECK(svg.find("fill-opacity=\"0.18\" x=") != std::string::npos);  // the band as a rect
  CHECK(svg.find(">Nov 2026</text>") != std::string::npos);
  test::check_well_formed(svg, "one month");
}

TEST_CASE("an NPS chart of many months thins out its labels", "[charts]") {
  std::vector<NpsPoint> points;
  for (int i = 0; i < 40; ++i) {
    points.push_back(
        point(fmt::format("{}-{:02}", 2023 + i / 12, i % 12 + 1).c_str(), 10 + i, 5, 40 - i));
  }
  const std::string svg = nps_chart(points, "ru");
  CHECK(occurrences(svg, "<circle") == 40);
  CHECK(occurrences(svg, "text-anchor=\"middle\"") <= 8);
  CHECK(svg.find(">янв 2023</text>") != std::string::npos);
  test::check_well_formed(svg, "40 months");
  // Extreme values stay inside the plot: the band is clamped to -100..100.
  const std::string extreme =
      nps_chart({point("2026-10", 1, 0, 0), point("2026-11", 0, 0, 1)}, "en");
  CHECK(extreme.find("nan") == std::string::npos);
  test::check_well_formed(extreme, "+100 and -100");
}

TEST_CASE("nps_month_points equal pm nps --by month --json", "[charts]") {
  Ledger ledger(":memory:", Ledger::Mode::create);
  const NpsWriteContext context{"Anna", "cli", at("2026-12-01T10:00:00Z"),
                                find_zone("Europe/Moscow")};
  const int scores[] = {10, 9, 7, 3, 10, 0, 8, 9, 6, 10, 10, 5};
  const char* days[] = {"2026-06-03", "2026-06-30", "2026-07-01", "2026-07-15",
                        "2026-09-01", "2026-09-02", "2026-09-30", "2026-11-01",
                        "2026-11-02", "2026-11-15", "2026-11-30", "2026-11-30"};
  for (int i = 0; i < 12; ++i) {
    NpsAnswer a;
    a.date = day(days[i]);
    a.score = scores[i];
    a.client = "Acme";
    add_nps_answer(ledger, a, context);
  }
  // What `pm nps --by month --json` computes (src/cli/nps_report.cpp): the ledger's groups,
  // the gaps filled, each group's figure as nps_figure_json writes it.
  std::vector<NpsGroup> groups = nps_groups(ledger, NpsBy::month, {});
  fill_nps_gaps(groups, NpsBy::month);
  const std::vector<NpsPoint> points = nps_month_points(ledger);
  REQUIRE(points.size() == groups.size());
  REQUIRE(points.size() == 6);  // June to November, August and October empty
  for (std::size_t i = 0; i < groups.size(); ++i) {
    const Json json = nps_figure_json(nps_figure(groups[i].counts));
    INFO(groups[i].key);
    CHECK(points[i].month == groups[i].key);
    CHECK(points[i].answers == json["answers"].get<std::int64_t>());
    CHECK(points[i].reliable == json["reliable"].get<bool>());
    if (json["nps"].is_null()) {
      CHECK_FALSE(points[i].nps);
      CHECK_FALSE(points[i].margin);
    } else {
      REQUIRE(points[i].nps);
      CHECK(*points[i].nps == json["nps"].get<double>());
      CHECK(*points[i].margin == json["margin_of_error"].get<double>());
    }
  }
  CHECK(points[2].month == "2026-08");
  CHECK_FALSE(points[2].nps);
  NpsPeriod autumn;
  autumn.since = day("2026-09-01");
  CHECK(nps_month_points(ledger, autumn).size() == 3);
}

namespace {

/// A project in Moscow with a deadline moved by approved changes, and one rejected.
struct Project {
  Ledger ledger{":memory:", Ledger::Mode::create};
  ProjectConfig config;
  Zone zone = find_zone("Europe/Moscow");

  EntryId change(const char* text, int days, const char* when) {
    ChangeInput in;
    in.text = text;
    in.reason = "asked";
    in.days = days;
    in.author = "Anna";
    return propose_change(ledger, in, at(when));
  }
  void approve(EntryId id, const char* client, const char* team) {
    decide_change(ledger, id, Side::client, Verdict::approve, "Ivan", "", "Anna", at(client));
    decide_change(ledger, id, Side::team, Verdict::approve, "Anna", "", "Anna", at(team));
  }

  Project() {
    config.name = "Website";
    config.timezone = "Europe/Moscow";
    config.deadline = "2026-12-25";
    add_note(ledger, {"done", "Kick-off", "", std::nullopt, "Anna"}, at("2026-10-05T10:00:00Z"),
             zone);
    const EntryId blog = change("Add a blog", 8, "2026-11-02T10:00:00Z");
    approve(blog, "2026-11-03T10:00:00Z", "2026-11-05T10:00:00Z");
    const EntryId dark = change("Dark mode", 5, "2026-11-06T10:00:00Z");
    decide_change(ledger, dark, Side::client, Verdict::reject, "Ivan", "no", "Anna",
                  at("2026-11-07T10:00:00Z"));
    const EntryId nothing = change("Rename a page", 0, "2026-11-09T10:00:00Z");
    approve(nothing, "2026-11-09T11:00:00Z", "2026-11-09T12:00:00Z");
    // Approved by the team first: approval is the later side's, late at night in Moscow.
    const EntryId shop = change("Drop the shop", -3, "2026-11-16T10:00:00Z");
    approve(shop, "2026-11-18T22:30:00Z", "2026-11-17T10:00:00Z");
    const EntryId later = change("Add search", 4, "2026-11-25T10:00:00Z");
    approve(later, "2026-11-26T10:00:00Z", "2026-12-10T10:00:00Z");  // after "now"
  }
};

}  // namespace

TEST_CASE("deadline_history follows the report's deadline", "[charts]") {
  Project p;
  const Instant now = at("2026-12-03T09:00:00Z");
  const DeadlineHistory h = deadline_history(p.ledger, p.config.deadline, now, p.zone);
  CHECK(format_date(h.start) == "2026-10-05");
  CHECK(format_date(h.today) == "2026-12-03");
  REQUIRE(h.events.size() == 2);  // the blog and the shop; not the rejected, 0-day or later one
  CHECK(format_date(h.events[0].date) == "2026-11-05");
  CHECK(h.events[0].number == 1);
  CHECK(h.events[0].days == 8);
  CHECK(format_date(h.events[0].deadline) == "2027-01-02");
  CHECK(format_date(h.events[1].date) == "2026-11-19");  // 01:30 in Moscow
  CHECK(h.events[1].number == 4);
  CHECK(format_date(h.events[1].deadline) == "2026-12-30");
  // Each step is the deadline the report gives at the end of that day.
  for (const auto& e : h.events) {
    const Deadline then =
        project_deadline(p.ledger, p.config.deadline, start_of_day(add_days(e.date, 1), p.zone));
    CHECK(then.current == e.deadline);
    const Report week = build_report(p.ledger, p.config,
                                     parse_week("this", start_of_day(e.date, p.zone), p.zone), now);
    CHECK(week.deadline.current == e.deadline);
  }
  const Report today = build_report(p.ledger, p.config, parse_week("this", now, p.zone), now);
  CHECK(h.deadline.current == today.deadline.current);
  CHECK(h.deadline.baseline == today.deadline.baseline);
  CHECK(h.deadline.days == today.deadline.days);
  const std::string svg = deadline_chart(h, "en");
  CHECK(svg.find(">now: 2026-12-30</text>") != std::string::npos);
  CHECK(svg.find(">original: 2026-12-25</text>") != std::string::npos);
  test::check_well_formed(svg, "the deadline chart of a ledger");
}

TEST_CASE("done_per_week counts what the weekly report lists as done", "[charts]") {
  Project p;
  Calendar calendar(p.zone);
  const ConfirmationRule rule(&calendar, 2);
  auto agree = [&](const char* text, const char* when) {
    AgreementInput in;
    in.text = text;
    in.author = "Anna";
    return log_agreement(p.ledger, in, at(when), p.zone);
  };
  const EntryId texts = agree("Client sends texts", "2026-11-10T10:00:00Z");
  agree("Team ships the beta", "2026-11-10T11:00:00Z");
  add_note(p.ledger, {"done", "Wrote the spec", "", std::nullopt, "Anna"},
           at("2026-11-16T09:00:00Z"), p.zone);
  // A done note that fulfils an agreement: one item, not two.
  add_note(p.ledger, {"done", "Texts arrived", "", texts, "Anna"}, at("2026-11-18T09:00:00Z"),
           p.zone);
  TransitionInput fulfil;
  fulfil.to = AgreementState::fulfilled;
  fulfil.author = "Anna";
  record_transition(p.ledger, p.config, rule, 2, fulfil, at("2026-11-24T09:00:00Z"));
  add_note(p.ledger, {"next", "Review", "", std::nullopt, "Anna"}, at("2026-11-24T10:00:00Z"),
           p.zone);
  // Sunday 23:30 in Moscow is still week 47.
  add_note(p.ledger, {"done", "Late on Sunday", "", std::nullopt, "Anna"},
           at("2026-11-22T20:30:00Z"), p.zone);

  const Instant now = at("2026-12-03T09:00:00Z");
  const std::vector<WeekCount> weeks = done_per_week(p.ledger, day("2026-12-03"), p.zone);
  REQUIRE(weeks.size() == 12);
  CHECK(weeks.front().week == "2026-W38");
  CHECK(weeks.back().week == "2026-W49");
  for (const auto& w : weeks) {
    const Report r = build_report(p.ledger, p.config, parse_week(w.week, now, p.zone), now);
    std::set<EntryId> done;
    for (const auto& n : r.done) {
      done.insert(n.id);
    }
    std::size_t expected = r.done.size();
    for (const auto& s : r.agreement_steps) {
      expected += s.state == "fulfilled" && done.count(s.id) == 0 ? 1 : 0;
    }
    INFO(w.week);
    CHECK(static_cast<std::size_t>(w.done) == expected);
  }
  CHECK(weeks[3].done == 1);   // W41: the kick-off
  CHECK(weeks[9].done == 3);   // W47: the spec, the texts, late on Sunday
  CHECK(weeks[10].done == 1);  // W48: the beta fulfilled
  CHECK(done_per_week(p.ledger, day("2026-12-03"), p.zone, 0).empty());
  CHECK(done_per_week(p.ledger, day("2026-11-23"), p.zone, 1).front().week == "2026-W48");
  const std::string svg = done_chart(weeks, "ru");
  CHECK(svg.find(">Н47</text>") != std::string::npos);
  test::check_well_formed(svg, "the done chart of a ledger");
}

TEST_CASE("a deadline no change moved is one flat step", "[charts]") {
  DeadlineHistory h;
  h.start = day("2026-12-03");
  h.today = day("2026-12-03");
  h.deadline = make_deadline("2026-12-25", 0);
  const std::string svg = deadline_chart(h, "en");
  CHECK(occurrences(svg, ">2026-12-25</text>") == 1);  // one y label: the two would overlap
  CHECK(svg.find(">now: 2026-12-25</text>") != std::string::npos);
  CHECK(svg.find(">2026-11-26</text>") != std::string::npos);  // a week before today
  CHECK(svg.find("approved changes that moved it: 0.") != std::string::npos);
  test::check_well_formed(svg, "a flat deadline");
}

TEST_CASE("hostile labels in chart data stay text", "[charts]") {
  NpsPoint p = point("2026-11", 40, 5, 3);
  p.month = "</svg><script>alert(1)</script>\xFF";
  const std::string nps = nps_chart({p}, "en");
  CHECK(nps.find("<script") == std::string::npos);
  test::check_well_formed(nps, "a hostile month");
  const std::string done = done_chart({{"\"'&<>-W\x01", 2}}, "ru");
  CHECK(done.find("<script") == std::string::npos);
  test::check_well_formed(done, "a hostile week");
  CHECK_THROWS_AS(nps_chart({p}, "en", "bad id"), std::invalid_argument);
}
