// pm kpi and pm escalate end to end: the scorecard as text, Markdown and JSON, targets from
// project.yaml (and a bad one refused), escalations counted, the portfolio.
#include <catch2/catch.hpp>
#include <fstream>

#include <nlohmann/json.hpp>

#include "harness.hpp"

using namespace pm::test;
using Json = nlohmann::json;

namespace {

/// Two requests on 18 and 19 November (PM_NOW is Friday 20 November, 10:00 in Moscow): one
/// answered in 1 h, one in 6 h, and the second escalated.
void requests(const Project& p) {
  REQUIRE(p.pm({"request", "Move the demo", "--from", "Ivan", "--on", "2026-11-18 10:00"}).code ==
          0);
  REQUIRE(p.pm({"reply", "1", "--on", "2026-11-18 11:00"}).code == 0);
  REQUIRE(p.pm({"request", "Access to staging", "--from", "Ivan", "--on", "2026-11-19 10:00"})
              .code == 0);
  REQUIRE(p.pm({"reply", "2", "--on", "2026-11-19 16:00"}).code == 0);
}

const Json& kpi(const Json& out, const std::string& key) {
  for (const auto& k : out["kpis"]) {
    if (k["key"] == key) {
      return k;
    }
  }
  FAIL("no KPI " << key);
  throw 0;
}

void add_to_config(const Project& p, const std::string& yaml) {
  std::ofstream(p.root() / "work/.pm/project.yaml", std::ios::app) << yaml;
}

}  // namespace

TEST_CASE("pm escalate records an escalation that pm kpi counts per request", "[kpi]") {
  Project p;
  requests(p);
  Result e = p.pm({"escalate", "Staging access is late", "--about", "I2", "--to", "Ivan", "--on",
                   "2026-11-19 17:00"});
  REQUIRE(e.code == 0);
  CHECK(e.out ==
        "escalation E5 on 2026-11-19 17:00: Staging access is late, about I2, to Ivan Sidorov\n");
  CHECK(e.err.find("pm render escalation") != std::string::npos);

  Result r = p.pm({"kpi", "--format", "json"});
  REQUIRE(r.code == 0);
  const Json out = Json::parse(r.out);
  CHECK(out["period"]["first"] == "2026-11-01");
  CHECK(out["period"]["last"] == "2026-11-30");
  CHECK(out["kpis"].size() == 10);
  const Json& esc = kpi(out, "escalations");
  CHECK(esc["value"] == 50.0);
  CHECK(esc["n"] == 2);
  CHECK(esc["met"] == false);
  CHECK(esc["direction"] == "at_most");
  const Json& sla = kpi(out, "replies_within_sla");
  CHECK(sla["value"] == 50.0);
  CHECK(sla["n"] == 2);
  const Json& reply = kpi(out, "reply_time");
  CHECK(reply["value"] == 3.5);
  CHECK(reply["met"] == false);
  CHECK(kpi(out, "nps")["value"].is_null());
  CHECK(kpi(out, "nps")["met"].is_null());
  CHECK(kpi(out, "changes_approved_first")["measurable"] == false);
  std::vector<std::string> keys;  // in the order pm wrote them
  const auto ordered = nlohmann::ordered_json::parse(r.out);
  for (const auto& item : ordered["kpis"][7].items()) {
    keys.push_back(item.key());
  }
  CHECK(keys == std::vector<std::string>{"key", "title", "title_ru", "unit", "target",
                                         "target_text", "direction", "value", "n", "met",
                                         "measurable", "how"});

  Result text = p.pm({"kpi"});
  REQUIRE(text.code == 0);  // misses are not an error
  CHECK(text.out.rfind("KPI scorecard: Website\nPeriod: ", 0) == 0);
  CHECK(text.out.find("Escalations per request") != std::string::npos);
  CHECK(text.out.find("not met") != std::string::npos);
  CHECK(text.out.find("no data") != std::string::npos);
  CHECK(text.out.find("escalations: escalations recorded in the period per request received in "
                      "it: 1 per 2 requests") != std::string::npos);

  Result md = p.pm({"kpi", "--format", "md", "--period", "2026-11"});
  REQUIRE(md.code == 0);
  CHECK(md.out.rfind("# KPI scorecard: Website\n", 0) == 0);
  CHECK(md.out.find("| Escalations per request | ≤ 5% | 50% | 2 | not met |") !=
        std::string::npos);

  // October had nothing.
  Result october = p.pm({"kpi", "--format", "json", "--period", "2026-10"});
  REQUIRE(october.code == 0);
  CHECK(kpi(Json::parse(october.out), "escalations")["n"] == 0);
}

TEST_CASE("pm kpi takes its targets from project.yaml's kpi:", "[kpi]") {
  Project p;
  requests(p);
  REQUIRE(p.pm({"escalate", "Staging access is late", "--about", "I2"}).code == 0);
  add_to_config(p, "kpi:\n  escalations: 50\n  nps: 30\n");
  Result r = p.pm({"kpi", "--format", "json"});
  REQUIRE(r.code == 0);
  const Json out = Json::parse(r.out);
  CHECK(kpi(out, "escalations")["target"] == 50.0);
  CHECK(kpi(out, "escalations")["met"] == true);
  CHECK(kpi(out, "nps")["target_text"] == "≥ 30");
  // pm people add rewrites project.yaml and keeps them.
  REQUIRE(p.pm({"people", "add", "Olga <olga@acme.example>", "--side", "client"}).code == 0);
  CHECK(read(p.root() / "work/.pm/project.yaml").find("escalations: 50") != std::string::npos);
}

TEST_CASE("a bad kpi: target is refused in one line", "[kpi]") {
  Project p;
  SECTION("an unknown key") {
    add_to_config(p, "kpi:\n  escalation: 10\n");
    Result r = p.pm({"kpi"});
    CHECK(r.code != 0);
    CHECK(r.err.find("unknown key 'escalation' in 'kpi'; did you mean 'escalations'? The keys "
                     "here are deliveries_on_time, promises_kept") != std::string::npos);
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  }
  SECTION("out of range") {
    add_to_config(p, "kpi:\n  deliveries_on_time: 120\n");
    Result r = p.pm({"kpi"});
    CHECK(r.code != 0);
    CHECK(r.err.find("'kpi.deliveries_on_time' must be a whole number from 0 to 100, not '120'") !=
          std::string::npos);
  }
  SECTION("a bad format or period") {
    Result csv = p.pm({"kpi", "--format", "csv"});
    CHECK(csv.code == 2);
    CHECK(csv.err == "pm: error: --format: csv not in {text,md,json} (see pm --help)\n");
    CHECK(p.pm({"kpi", "--period", "2026-11", "--since", "2026-11-01"}).code != 0);
  }
}

TEST_CASE("pm kpi --portfolio scores every registered project", "[kpi]") {
  Project p;
  requests(p);
  Result r = p.pm({"kpi", "--portfolio", "--format", "json"});
  REQUIRE(r.code == 0);
  const Json out = Json::parse(r.out);
  CHECK(out["scope"] == "portfolio");
  REQUIRE(out["projects"].size() == 1);
  CHECK(out["projects"][0]["name"] == "Website");
  CHECK(kpi(out["projects"][0], "replies_within_sla")["value"] == 50.0);
  Result text = p.pm({"kpi", "--portfolio"});
  REQUIRE(text.code == 0);
  CHECK(text.out.rfind("KPI scorecard: 1 project read\n", 0) == 0);
  CHECK(text.out.find("Website") != std::string::npos);
  // A registered project that is gone is named on stderr and skipped.
  std::ofstream(p.root() / ".local/share/pm/projects", std::ios::app) << "/nonexistent/pm-kpi\n";
  Result md = p.pm({"kpi", "--portfolio", "--format", "md"});
  REQUIRE(md.code == 0);
  CHECK(md.out.rfind("# KPI scorecard: 1 project\n", 0) == 0);
  CHECK(md.out.find("| Website | ") != std::string::npos);
  CHECK(md.err.find("pm: warning: skipped /nonexistent/pm-kpi: the directory does not exist") !=
        std::string::npos);
  Result bad = p.pm({"kpi", "--portfolio", "--period", "2026-13"});
  CHECK(bad.code != 0);
  CHECK(bad.err.find("skipped") == std::string::npos);
}

TEST_CASE("pm kpi --since --until takes days in the project's zone", "[kpi]") {
  Project p;
  requests(p);
  Result r = p.pm({"kpi", "--format", "json", "--since", "2026-11-19", "--until", "2026-11-19"});
  REQUIRE(r.code == 0);
  const Json out = Json::parse(r.out);
  CHECK(out["period"]["from"] == "2026-11-19T00:00:00+03:00");
  CHECK(out["period"]["until"] == "2026-11-20T00:00:00+03:00");
  CHECK(kpi(out, "replies_within_sla")["n"] == 1);  // only I2
  CHECK(kpi(out, "replies_within_sla")["value"] == 0.0);
  CHECK(p.pm({"kpi", "--until", "2026-11-19"}).code != 0);
}
