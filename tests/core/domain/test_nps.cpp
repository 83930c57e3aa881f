// NPS arithmetic, hand-computed: categories, shares, the score, its margin of error, rounding.
#include <catch2/catch.hpp>
#include <cmath>

#include "pm/util/error.hpp"
#include "pm/domain/nps.hpp"

using namespace pm;

namespace {

NpsCounts counts(std::int64_t promoters, std::int64_t passives, std::int64_t detractors) {
  NpsCounts c;
  c.promoters = promoters;
  c.passives = passives;
  c.detractors = detractors;
  return c;
}

}  // namespace

TEST_CASE("scores fall in three categories", "[nps]") {
  NpsCounts c;
  for (int score = 0; score <= 10; ++score) {
    c.add(score);
  }
  CHECK(c.detractors == 7);  // 0-6
  CHECK(c.passives == 2);    // 7-8
  CHECK(c.promoters == 2);   // 9-10
  CHECK(std::string(nps_category(6)) == "detractor");
  CHECK(std::string(nps_category(7)) == "passive");
  CHECK(std::string(nps_category(9)) == "promoter");
}

TEST_CASE("all promoters give +100 with no margin", "[nps]") {
  NpsFigure f = nps_figure(counts(12, 0, 0));
  CHECK(f.n == 12);
  CHECK(f.nps == 100.0);
  CHECK(f.promoters_pct == 100.0);
  CHECK(f.margin == 0.0);
  CHECK_FALSE(f.reliable);
}

TEST_CASE("all detractors give -100", "[nps]") {
  NpsFigure f = nps_figure(counts(0, 0, 40));
  CHECK(f.nps == -100.0);
  CHECK(f.detractors_pct == 100.0);
  CHECK(f.margin == 0.0);
  CHECK(f.reliable);
}

TEST_CASE("5 promoters, 3 passives, 2 detractors give 30 with its margin of error", "[nps]") {
  NpsFigure f = nps_figure(counts(5, 3, 2));
  CHECK(f.n == 10);
  CHECK(f.promoters_pct == 50.0);
  CHECK(f.passives_pct == 30.0);
  CHECK(f.detractors_pct == 20.0);
  CHECK(f.nps == 30.0);
  // p = 0.5, d = 0.2: p + d - (p - d)^2 = 0.7 - 0.09 = 0.61; 0.61 / 10 = 0.061;
  // sqrt(0.061) = 0.246981...; × 1.96 × 100 = 48.408...
  CHECK(f.margin == Approx(1.96 * 100 * std::sqrt(0.061)).epsilon(1e-12));
  CHECK(f.margin == Approx(48.4083).margin(1e-4));
  CHECK(whole_points(f.nps) == "30");
  CHECK(whole_points(f.margin) == "48");
  CHECK_FALSE(f.reliable);
}

TEST_CASE("figures are exact in JSON and whole points in text", "[nps]") {
  NpsFigure f = nps_figure(counts(1, 2, 0));  // 33.333...
  CHECK(whole_points(f.nps) == "33");
  Json j = nps_figure_json(f);
  CHECK(j["nps"].get<double>() == Approx(100.0 / 3).epsilon(1e-15));
  CHECK(j["answers"] == 3);
  CHECK(j["reliable"] == false);
  CHECK(whole_points(nps_figure(counts(2, 0, 1)).nps) == "33");    // 33.3
  CHECK(whole_points(nps_figure(counts(5, 2, 1)).nps) == "50");    // 50
  CHECK(whole_points(nps_figure(counts(1, 6, 0)).nps) == "14");    // 14.29
  CHECK(whole_points(nps_figure(counts(1, 0, 7)).nps) == "-75");   // -75
  CHECK(whole_points(12.5) == "13");   // halves away from zero
  CHECK(whole_points(-12.5) == "-13");
  CHECK(whole_points(-0.4) == "0");
}

TEST_CASE("no answers: counts are zero and the figures are null in JSON", "[nps]") {
  NpsFigure f = nps_figure(NpsCounts{});
  CHECK(f.n == 0);
  Json j = nps_figure_json(f);
  CHECK(j["nps"].is_null());
  CHECK(j["margin_of_error"].is_null());
  CHECK(j["promoters_pct"].is_null());
  CHECK(j["promoters"] == 0);
}

TEST_CASE("thirty answers are enough to call a figure reliable", "[nps]") {
  CHECK_FALSE(nps_figure(counts(10, 10, 9)).reliable);
  CHECK(nps_figure(counts(10, 10, 10)).reliable);
  CHECK(k_nps_min_reliable == 30);
}

TEST_CASE("scores are whole numbers from 0 to 10", "[nps]") {
  CHECK(parse_score("0", "score") == 0);
  CHECK(parse_score("10", "score") == 10);
  CHECK(parse_score(" 9 ", "score") == 9);
  for (const char* bad : {"11", "-1", "7.5", "ten", "", "+9", "100", "9a", "1 0"}) {
    CAPTURE(bad);
    CHECK_THROWS_AS(parse_score(bad, "score"), Error);
  }
  CHECK_THROWS_WITH(parse_score("11", "answers.csv:14: column score"),
                    "answers.csv:14: column score: '11' is not a score from 0 to 10");
}

TEST_CASE("the trend bar grows right for positive figures and left for negative", "[nps]") {
  CHECK(nps_bar(30.0, 10) == "          │███       ");
  CHECK(nps_bar(-20.0, 10) == "        ██│          ");
  CHECK(nps_bar(100.0, 2) == "  │██");
  CHECK(nps_bar(-100.0, 2) == "██│  ");
  CHECK(nps_bar(4.0, 2) == "  │  ");
  CHECK(nps_bar(std::nullopt, 2) == "  │  ");
}

TEST_CASE("groupings parse from their names", "[nps]") {
  CHECK(parse_nps_by("client") == NpsBy::client);
  CHECK(parse_nps_by("quarter") == NpsBy::quarter);
  CHECK(std::string(nps_by_name(NpsBy::month)) == "month");
  CHECK_THROWS_WITH(parse_nps_by("week"),
                    "--by week: group by one of client, manager, month, quarter, project");
}

TEST_CASE("merging adds counts per key and keeps the keys ordered", "[nps]") {
  std::vector<NpsGroup> a = {{"Beta", counts(1, 0, 0)}, {"Delta", counts(0, 1, 0)}};
  std::vector<NpsGroup> b = {{"Alpha", counts(0, 0, 1)}, {"Beta", counts(2, 0, 0)}};
  merge_nps_groups(a, b);
  REQUIRE(a.size() == 3);
  CHECK(a[0].key == "Alpha");
  CHECK(a[1].key == "Beta");
  CHECK(a[1].counts.promoters == 3);
  CHECK(a[2].key == "Delta");
}

TEST_CASE("months and quarters without answers show as gaps", "[nps]") {
  std::vector<NpsGroup> months = {{"2025-11", counts(1, 0, 0)}, {"2026-02", counts(0, 1, 0)}};
  fill_nps_gaps(months, NpsBy::month);
  REQUIRE(months.size() == 4);
  CHECK(months[1].key == "2025-12");
  CHECK(months[2].key == "2026-01");
  CHECK(months[2].counts.n() == 0);
  CHECK(months[3].counts.passives == 1);

  std::vector<NpsGroup> quarters = {{"2025-Q3", counts(1, 0, 0)}, {"2026-Q2", counts(1, 0, 0)}};
  fill_nps_gaps(quarters, NpsBy::quarter);
  REQUIRE(quarters.size() == 4);
  CHECK(quarters[1].key == "2025-Q4");
  CHECK(quarters[2].key == "2026-Q1");

  std::vector<NpsGroup> clients = {{"A", counts(1, 0, 0)}, {"C", counts(1, 0, 0)}};
  fill_nps_gaps(clients, NpsBy::client);
  CHECK(clients.size() == 2);
}
