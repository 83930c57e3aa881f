// pm portfolio and pm registry end to end: projects in temporary directories with their own
// registry (XDG_DATA_HOME), one manager written in two alphabets with one email, a damaged
// project reported and skipped.
#include <catch2/catch.hpp>
#include <fstream>

#include <nlohmann/json.hpp>

#include "harness.hpp"

using namespace pm::test;
using Json = nlohmann::json;
namespace fs = std::filesystem;

namespace {

struct Team {
  TempDir home;
  std::map<std::string, std::string> env = test_env(home.path());

  Result pm(const std::vector<std::string>& args, const std::string& dir = "") {
    return run(args, dir.empty() ? home.path() : home / dir, env);
  }
  void init(const std::string& dir, const std::string& manager, const std::string& email,
            const std::string& client) {
    const std::string address = email.empty() ? "someone@agency.example" : email;
    REQUIRE(pm({"init", dir, "--name", dir, "--client", client, "--manager", manager, "--email",
                address, "--tz", "UTC", "--deadline", "2026-12-25"})
                .code == 0);
    if (email.empty()) {
      // pm init wants an address; a project.yaml written by hand may have none.
      const fs::path yaml = home / (dir + "/.pm/project.yaml");
      std::string text = read(yaml);
      const std::string line = "  email: " + address + "\n";
      REQUIRE(text.find(line) != std::string::npos);
      text.erase(text.find(line), line.size());
      std::ofstream(yaml, std::ios::trunc) << text;
    }
  }
  std::string path(const std::string& dir) const { return fs::canonical(home / dir).string(); }
  void damage(const std::string& dir) {
    for (const char* suffix : {"", "-wal", "-shm"}) {
      fs::remove(home / (dir + "/.pm/ledger.db" + suffix));
    }
    std::ofstream(home / (dir + "/.pm/ledger.db")) << "not a database, not at all";
  }
};

/// alpha and beta: one manager (Latin and Cyrillic, one email); gamma: a manager without
/// email; broken: a damaged ledger.
void fill(Team& t) {
  t.init("alpha", "Anna Petrova", "anna@agency.example", "ACME");
  t.init("beta", "Анна Петрова", "Anna@Agency.example", "Globex");
  t.init("gamma", "Boris", "", "ACME");
  t.init("broken", "Boris", "", "Initech");
  REQUIRE(t.pm({"people", "add", "Ivan Sidorov <ivan@acme.example>", "--side", "client", "--role",
                "approver"},
               "alpha")
              .code == 0);
  REQUIRE(t.pm({"log-agreement", "Texts by 12 November", "--with", "Ivan Sidorov", "--meeting",
                "2026-11-10", "--due", "2026-11-12"},
               "alpha")
              .code == 0);
  REQUIRE(t.pm({"log-agreement", "Launch on 10 December", "--with", "Ivan Sidorov", "--due",
                "2026-12-10"},
               "alpha")
              .code == 0);
  REQUIRE(t.pm({"risk", "add", "Texts may be late", "--probability", "medium", "--impact",
                "high"},
               "alpha")
              .code == 0);
  REQUIRE(t.pm({"nps", "add", "9"}, "alpha").code == 0);
  REQUIRE(t.pm({"nps", "add", "10"}, "alpha").code == 0);
  REQUIRE(t.pm({"nps", "add", "3"}, "beta").code == 0);
  t.damage("broken");
}

}  // namespace

TEST_CASE("pm portfolio shows a row per project and skips a damaged one", "[portfolio]") {
  Team t;
  fill(t);
  Result r = t.pm({"portfolio"});
  CHECK(r.code == 0);
  CHECK(r.out.rfind("Portfolio: 3 projects read, 1 skipped\n", 0) == 0);
  CHECK(r.out.find("Anna Petrova <anna@agency.example>") != std::string::npos);
  CHECK(r.out.find("Анна Петрова <Anna@Agency.example>") != std::string::npos);
  CHECK(r.out.find("1/0/0") != std::string::npos);  // alpha's high risk
  CHECK(r.out.find("100 ±0 n=2*") != std::string::npos);  // alpha's two promoters
  CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  CHECK(r.err.rfind("pm: warning: skipped " + t.path("broken") + ": ", 0) == 0);

  Json j = Json::parse(t.pm({"portfolio", "--json"}).out);
  CHECK(j["version"] == 1);
  CHECK(j["scope"] == "portfolio");
  CHECK(j["by"].is_null());
  CHECK(j["period"]["first"] == "2026-11-01");
  REQUIRE(j["projects"].size() == 3);
  const Json& alpha = j["projects"][0];
  CHECK(alpha["path"] == t.path("alpha"));
  CHECK(alpha["name"] == "alpha");
  CHECK(alpha["manager"]["email"] == "anna@agency.example");
  CHECK(alpha["client"] == "ACME");
  CHECK(alpha["deadline"]["baseline"] == "2026-12-25");
  CHECK(alpha["deadline"]["current"] == "2026-12-25");
  CHECK(alpha["agreements"]["overdue"] == 1);
  CHECK(alpha["agreements"]["unconfirmed"] == 2);  // the window runs from the recording, today
  CHECK(alpha["risks"]["high"] == 1);
  CHECK(alpha["last_status_letter"].is_null());
  CHECK(alpha["nps"]["answers"] == 2);
  CHECK(alpha["nps"]["nps"] == 100.0);
  CHECK(alpha["sla"]["breaches"].is_number());
  CHECK(j["projects"][1]["manager"]["key"] == "anna@agency.example");
  CHECK(j["projects"][2]["manager"]["email"].is_null());
  CHECK(j["groups"].empty());
  REQUIRE(j["skipped"].size() == 1);
  CHECK(j["skipped"][0]["path"] == t.path("broken"));
  CHECK(j["skipped"][0]["reason"].get<std::string>().find('\n') == std::string::npos);

  Result md = t.pm({"portfolio", "--format", "md"});
  CHECK(md.code == 0);
  CHECK(md.out.rfind("# Portfolio: 3 projects\n", 0) == 0);
  CHECK(md.out.find("| PROJECT | MANAGER |") != std::string::npos);
  CHECK(md.out.find("Skipped:") != std::string::npos);
}

TEST_CASE("pm portfolio --by manager keys managers by email", "[portfolio]") {
  Team t;
  fill(t);
  Json j = Json::parse(t.pm({"portfolio", "--by", "manager", "--json"}).out);
  CHECK(j["by"] == "manager");
  REQUIRE(j["groups"].size() == 2);
  const Json& anna = j["groups"][0];
  CHECK(anna["key"] == "anna@agency.example");
  CHECK(anna["email"] == "anna@agency.example");
  CHECK(anna["name"] == "Anna Petrova");  // a tie: the first seen
  CHECK(anna["names"] == Json::array({"Anna Petrova", "Анна Петрова"}));
  CHECK(anna["projects"] == Json::array({t.path("alpha"), t.path("beta")}));
  CHECK(anna["nps"]["answers"] == 3);
  CHECK(anna["note"].is_null());
  const Json& boris = j["groups"][1];
  CHECK(boris["key"] == "Boris");
  CHECK(boris["email"].is_null());
  CHECK_FALSE(boris["note"].is_null());

  Result text = t.pm({"portfolio", "--by", "manager"});
  CHECK(text.code == 0);
  CHECK(text.out.find("Anna Petrova <anna@agency.example>: 2 projects; also written Анна "
                      "Петрова\n") != std::string::npos);
  CHECK(text.out.find("Boris: 1 project (no email in project.yaml: grouped by name)\n") !=
        std::string::npos);

  Json clients = Json::parse(t.pm({"portfolio", "--by", "client", "--json"}).out);
  REQUIRE(clients["groups"].size() == 2);
  CHECK(clients["groups"][0]["name"] == "ACME");
  CHECK(clients["groups"][0]["projects"].size() == 2);

  CHECK(t.pm({"portfolio", "--by", "team"}).code != 0);

  // pm nps --portfolio --by manager merges the two spellings through the projects' email.
  Json nps = Json::parse(t.pm({"nps", "--portfolio", "--by", "manager", "--json"}).out);
  REQUIRE(nps["groups"].size() == 1);
  CHECK(nps["groups"][0]["key"] == "Anna Petrova <anna@agency.example>");
  CHECK(nps["groups"][0]["answers"] == 3);
  CHECK(nps["skipped"].size() == 1);
}

TEST_CASE("pm portfolio --project reads only the projects named", "[portfolio]") {
  Team t;
  fill(t);
  Json j = Json::parse(
      t.pm({"portfolio", "--project", "beta", "--project", "beta/", "--json"}).out);
  REQUIRE(j["projects"].size() == 1);
  CHECK(j["projects"][0]["name"] == "beta");

  Result none = t.pm({"portfolio", "--project", "nowhere", "--project", "broken"});
  CHECK(none.code == 1);
  CHECK(std::count(none.err.begin(), none.err.end(), '\n') == 3);
  CHECK(none.err.find("nowhere: the directory does not exist") != std::string::npos);
  CHECK(none.err.find("pm: error: none of the 2 projects could be read") != std::string::npos);

  TempDir empty;
  Result unregistered = run({"portfolio"}, empty.path(), test_env(empty.path()));
  CHECK(unregistered.code == 1);
  CHECK(unregistered.err.find("no projects are registered") != std::string::npos);
}

TEST_CASE("pm registry lists and forgets projects", "[portfolio]") {
  Team t;
  fill(t);
  Result list = t.pm({"registry", "list"});
  CHECK(list.code == 0);
  CHECK(list.out.rfind("PATH", 0) == 0);
  CHECK(list.out.find(t.path("alpha")) != std::string::npos);
  CHECK(list.out.find("no: ") != std::string::npos);

  Json j = Json::parse(t.pm({"registry", "list", "--json"}).out);
  REQUIRE(j["projects"].size() == 4);
  CHECK(j["projects"][0]["name"] == "alpha");
  CHECK(j["projects"][0]["readable"] == true);
  CHECK(j["projects"][3]["path"] == t.path("broken"));
  CHECK(j["projects"][3]["readable"] == false);
  CHECK(j["projects"][3]["name"].is_null());
  CHECK(j["projects"][3]["reason"].is_string());

  const std::string broken = t.path("broken");
  Result forget = t.pm({"registry", "forget", "broken"});
  CHECK(forget.code == 0);
  CHECK(forget.out == "Forgot " + broken + "\n");
  Result again = t.pm({"registry", "forget", "broken"});
  CHECK(again.code == 1);
  CHECK(again.err.find("broken is not in the registry") != std::string::npos);

  const std::string gamma = t.path("gamma");
  fs::remove_all(t.home / "gamma");
  Result missing = t.pm({"registry", "forget", "--missing"});
  CHECK(missing.code == 0);
  CHECK(missing.out == "Forgot " + gamma + " (it no longer exists)\n");
  CHECK(t.pm({"registry", "forget", "--missing"}).out.empty());
  CHECK(t.pm({"registry", "forget"}).code != 0);
  CHECK(t.pm({"registry", "forget", "alpha", "--missing"}).code != 0);

  Json after = Json::parse(t.pm({"registry", "list", "--json"}).out);
  CHECK(after["projects"].size() == 2);
  Result portfolio = t.pm({"portfolio"});
  CHECK(portfolio.code == 0);
  CHECK(portfolio.err.empty());
  CHECK(portfolio.out.rfind("Portfolio: 2 projects read\n", 0) == 0);
}
