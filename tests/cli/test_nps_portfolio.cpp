// pm nps --portfolio: several projects, one registry, broken projects reported and skipped.
#include <catch2/catch.hpp>
#include <cctype>
#include <fstream>
#include <sys/stat.h>

#include <nlohmann/json.hpp>

#include "harness.hpp"

using namespace pm::test;
using Json = nlohmann::json;
namespace fs = std::filesystem;

namespace {

/// Each manager their own email ("Anna" → "anna@example.com"): a portfolio keys managers by it.
std::string email_of(std::string manager) {
  for (char& c : manager) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return manager + "@example.com";
}

struct Portfolio {
  TempDir home;
  std::map<std::string, std::string> env = test_env(home.path());

  Result pm(const std::vector<std::string>& args, const std::string& dir = "") {
    return run(args, dir.empty() ? home.path() : home / dir, env);
  }
  void init(const std::string& dir, const std::string& manager, const std::string& client) {
    REQUIRE(pm({"init", dir, "--name", dir, "--client", client, "--manager", manager, "--email",
                email_of(manager), "--tz", "UTC"})
                .code == 0);
  }
  void answers(const std::string& dir, const std::vector<std::string>& scores) {
    for (const auto& s : scores) {
      REQUIRE(pm({"nps", "add", s}, dir).code == 0);
    }
  }
  fs::path registry() const { return home / ".local/share/pm/projects"; }
};

}  // namespace

TEST_CASE("init registers each project once in the registry", "[portfolio]") {
  Portfolio p;
  p.init("alpha", "Anna", "ACME");
  p.init("beta", "Boris", "Globex");
  std::string text = read(p.registry());
  CHECK(text == fs::canonical(p.home / "alpha").string() + "\n" +
                    fs::canonical(p.home / "beta").string() + "\n");
}

TEST_CASE("the portfolio reads three projects and skips a broken one", "[portfolio]") {
  Portfolio p;
  p.init("alpha", "Anna", "ACME");
  p.init("beta", "Boris", "Globex");
  p.init("gamma", "Anna", "Initech");
  p.answers("alpha", {"10", "9", "3"});
  p.answers("beta", {"8", "6"});
  p.answers("gamma", {"9", "9"});
  // gamma breaks: its ledger is no database at all.
  std::ofstream(p.home / "gamma/.pm/ledger.db", std::ios::trunc) << "not a database";
  for (const char* suffix : {"-wal", "-shm"}) {
    fs::remove(p.home / ("gamma/.pm/ledger.db" + std::string(suffix)));
  }

  Result r = p.pm({"nps", "--portfolio"});
  CHECK(r.code == 0);
  // alpha: p = 2/3, d = 1/3: 196 * sqrt((1 - 1/9) / 3) = 106.7; beta: p = 0, d = 1/2:
  // 196 * sqrt((1/2 - 1/4) / 2) = 69.3; all: p = d = 2/5: 196 * sqrt(0.8 / 5) = 78.4
  CHECK(r.out ==
        "Portfolio: 2 projects read, 1 skipped\n"
        "PROJECT  ANSWERS  PROMOTERS  PASSIVES  DETRACTORS  NPS  MARGIN\n"
        "alpha          3    2 (67%)    0 (0%)     1 (33%)   33   ±107*\n"
        "beta           2     0 (0%)   1 (50%)     1 (50%)  -50    ±69*\n"
        "all            5    2 (40%)   1 (20%)     2 (40%)    0    ±78*\n"
        "* fewer than 30 answers: too few for a reliable figure\n");
  CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  CHECK(r.err.rfind("pm: warning: skipped " + fs::canonical(p.home / "gamma").string() + ": ",
                    0) == 0);

  Json j = Json::parse(p.pm({"nps", "--portfolio", "--by", "manager", "--json"}).out);
  CHECK(j["scope"] == "portfolio");
  CHECK(j["by"] == "manager");
  REQUIRE(j["groups"].size() == 2);
  CHECK(j["groups"][0]["key"] == "Anna <anna@example.com>");  // keyed by the project's email
  CHECK(j["groups"][0]["answers"] == 3);
  CHECK(j["groups"][1]["key"] == "Boris <boris@example.com>");
  CHECK(j["groups"][1]["nps"].get<double>() == -50.0);
  CHECK(j["total"]["answers"] == 5);
  CHECK(j["projects"].size() == 2);
  REQUIRE(j["skipped"].size() == 1);
  CHECK(j["skipped"][0]["path"] == fs::canonical(p.home / "gamma").string());

  // A project that is gone is skipped the same way.
  fs::remove_all(p.home / "beta");
  Result gone = p.pm({"nps", "--portfolio", "--by", "client"});
  CHECK(gone.code == 0);
  CHECK(gone.err.find("beta: the directory does not exist") != std::string::npos);
  CHECK(gone.out.find("ACME") != std::string::npos);
}

TEST_CASE("projects given with --project replace the registry", "[portfolio]") {
  Portfolio p;
  p.init("alpha", "Anna", "ACME");
  p.init("beta", "Boris", "Globex");
  p.answers("alpha", {"10"});
  p.answers("beta", {"0"});
  Json j = Json::parse(
      p.pm({"nps", "--project", "beta", "--project", "beta/", "--by", "client", "--json"}).out);
  REQUIRE(j["groups"].size() == 1);
  CHECK(j["groups"][0]["key"] == "Globex");
  CHECK(j["projects"].size() == 1);  // the same directory twice is read once

  Result none = p.pm({"nps", "--project", "nowhere"});
  CHECK(none.code == 1);
  CHECK(none.err.find("pm: warning: skipped") != std::string::npos);
  CHECK(none.err.find("pm: error: none of the 1 projects could be read") != std::string::npos);
}

TEST_CASE("an empty registry says how to fill it", "[portfolio]") {
  Portfolio p;
  Result r = p.pm({"nps", "--portfolio"});
  CHECK(r.code == 1);
  CHECK(r.err.find("no projects are registered") != std::string::npos);
}

TEST_CASE("a registry that cannot be written does not fail init", "[portfolio]") {
  Portfolio p;
  fs::create_directories(p.home / ".local/share");
  std::ofstream(p.home / ".local/share/pm") << "a file where a directory should be";
  Result r = p.pm({"init", "delta", "--manager", "Pat", "--email", "pm@example.com"});
  CHECK(r.code == 0);
  CHECK(fs::exists(p.home / "delta/.pm/ledger.db"));
  CHECK(r.err.find("pm: warning: the project was created but not registered") !=
        std::string::npos);
}
