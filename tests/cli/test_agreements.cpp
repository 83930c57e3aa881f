#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <unistd.h>

#include "harness.hpp"

using namespace pm::test;
using nlohmann::json;

TEST_CASE("log-agreement prints the new id and records author, source and time", "[agreement]") {
  Project p;
  Result r = p.pm({"log-agreement", "Launch on 12 December", "--with", "Ivan Sidorov", "--with",
                   "Olga", "--due", "2026-12-12", "--meeting", "2026-11-19", "--tag", "launch"});
  REQUIRE(r.code == 0);
  CHECK(r.out == "1\n");
  Result list = p.pm({"agreements", "--json"});
  REQUIRE(list.code == 0);
  json j = json::parse(list.out);
  CHECK(j["version"] == 1);
  REQUIRE(j["agreements"].size() == 1);
  auto a = j["agreements"][0];
  CHECK(a["id"] == 1);
  CHECK(a["text"] == "Launch on 12 December");
  CHECK(a["due"] == "2026-12-12");
  CHECK(a["meeting"] == "2026-11-19T00:00:00+03:00");
  CHECK(a["with"] == json::array({"Ivan Sidorov", "Olga"}));
  CHECK(a["tags"] == json::array({"launch"}));
  CHECK(a["author"] == "Test Author");
  CHECK(a["source"] == "cli");
  CHECK(a["recorded_at"] == "2026-11-20T07:00:00Z");
}

TEST_CASE("the --author option wins over PM_AUTHOR", "[agreement]") {
  Project p;
  REQUIRE(p.pm({"log-agreement", "X", "--author", "Boris"}).code == 0);
  CHECK(json::parse(p.pm({"agreements", "--json"}).out)["agreements"][0]["author"] == "Boris");
}

TEST_CASE("superseding keeps both, agreements lists the open ones unless --all", "[agreement]") {
  Project p;
  REQUIRE(p.pm({"log-agreement", "Launch on 12 December"}).code == 0);
  Result r = p.pm({"log-agreement", "Launch on 15 December", "--supersedes", "1"});
  REQUIRE(r.code == 0);
  CHECK(r.out == "2\n");
  json open = json::parse(p.pm({"agreements", "--json"}).out);
  REQUIRE(open["agreements"].size() == 1);
  CHECK(open["agreements"][0]["id"] == 2);
  CHECK(open["agreements"][0]["supersedes"] == 1);
  json all = json::parse(p.pm({"agreements", "--all", "--json"}).out);
  REQUIRE(all["agreements"].size() == 2);
  CHECK(all["agreements"][0]["superseded_by"] == 2);

  Result again = p.pm({"log-agreement", "Launch on 20 December", "--supersedes", "1"});
  CHECK(again.code == 1);
  CHECK(again.err == "pm: error: agreement 1 was already replaced by agreement 2; supersede 2 instead\n");
  Result missing = p.pm({"log-agreement", "Y", "--supersedes", "99"});
  CHECK(missing.code == 1);
  CHECK(p.entry_count() == 2);
}

TEST_CASE("agreements --since and the text table", "[agreement]") {
  Project p;
  REQUIRE(p.pm({"log-agreement", "Old one", "--meeting", "2026-10-01"}).code == 0);
  REQUIRE(p.pm({"log-agreement", "New one", "--meeting", "2026-11-18", "--due", "2026-12-01"}).code == 0);
  json since = json::parse(p.pm({"agreements", "--since", "2026-11-01", "--json"}).out);
  REQUIRE(since["agreements"].size() == 1);
  CHECK(since["agreements"][0]["text"] == "New one");
  Result table = p.pm({"agreements"});
  CHECK(table.code == 0);
  CHECK(table.out ==
        "NO  AGREED      DUE         STATE            WITH  TAGS  TEXT\n"
        "1   2026-10-01  -           open (to 11-24)        -     Old one\n"
        "2   2026-11-18  2026-12-01  open (to 11-24)        -     New one\n");
}

TEST_CASE("bad agreement input records nothing", "[agreement]") {
  Project p;
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  std::vector<Case> cases = {
      {{"log-agreement", "X", "--due", "2026-02-30"}, "--due: 2026-02-30 does not exist"},
      {{"log-agreement", "X", "--due", "next week"}, "is not a date"},
      {{"log-agreement", "X", "--meeting", "2026-13-01"}, "does not exist"},
      {{"log-agreement", "   "}, "has no text"},
  };
  for (const auto& c : cases) {
    Result r = p.pm(c.args);
    INFO(r.err);
    CHECK(r.code == 1);
    CHECK(r.err.find(c.message) != std::string::npos);
  }
  CHECK(p.pm({"log-agreement"}).code == 2);
  CHECK(p.entry_count() == 0);
}

TEST_CASE("a malformed PM_NOW is one clear error", "[agreement]") {
  Project p;
  p.env["PM_NOW"] = "yesterday";
  Result r = p.pm({"log-agreement", "X"});
  CHECK(r.code == 1);
  CHECK(r.err.find("PM_NOW: 'yesterday' is not a time with an offset") != std::string::npos);
}

TEST_CASE("a read-only ledger is an error that names the fix", "[ledger]") {
  Project p;
  if (::geteuid() == 0) {
    WARN("running as root, file permissions do not bind; tests/core covers SQLITE_READONLY");
    return;
  }
  auto db = p.root() / "work/.pm/ledger.db";
  std::filesystem::permissions(db, std::filesystem::perms::owner_read,
                               std::filesystem::perm_options::replace);
  Result r = p.pm({"log-agreement", "X"});
  CHECK(r.code == 1);
  CHECK(r.err.find("read-only") != std::string::npos);
  std::filesystem::permissions(db, std::filesystem::perms::owner_all,
                               std::filesystem::perm_options::replace);
  CHECK(p.entry_count() == 0);
}
