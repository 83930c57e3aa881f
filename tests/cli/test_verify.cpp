#include <catch2/catch.hpp>

#include <SQLiteCpp/SQLiteCpp.h>

#include "harness.hpp"

using namespace pm::test;

namespace {

/// Edits the ledger behind pm's back, as someone with the sqlite3 tool would.
void tamper(const Project& p, const std::string& sql) {
  SQLite::Database db((p.root() / "work/.pm/ledger.db").string(), SQLite::OPEN_READWRITE);
  db.exec("DROP TRIGGER IF EXISTS entries_no_update; DROP TRIGGER IF EXISTS entries_no_delete;");
  db.exec(sql);
}

}  // namespace

TEST_CASE("verify passes on an untouched ledger", "[verify]") {
  Project p;
  for (int i = 1; i <= 3; ++i) {
    REQUIRE(p.pm({"log-agreement", "Agreement " + std::to_string(i)}).code == 0);
  }
  Result r = p.pm({"verify"});
  CHECK(r.code == 0);
  CHECK(r.out.starts_with("ok: 3 entries, the hash chain, derived tables, triggers and indexes "
                          "are intact\nhead: 3:"));
  Result empty = Project().pm({"verify"});
  CHECK(empty.code == 0);
}

TEST_CASE("verify names the entry changed, inserted or deleted behind pm's back",
          "[verify][local-only]") {
  // local-only: the edits are made to .pm/ledger.db; on a server that file is a copy, and an
  // entry added to it is refused before verify reads on (tests/server/test_server.py shows
  // the server refusing edits itself).
  Project p;
  for (int i = 1; i <= 4; ++i) {
    REQUIRE(p.pm({"log-agreement", "Agreement " + std::to_string(i)}).code == 0);
  }
  SECTION("a changed text") {
    tamper(p, "UPDATE entries SET text = 'Agreement two, improved' WHERE id = 2");
    Result r = p.pm({"verify"});
    CHECK(r.code == 5);
    CHECK(r.err.find("entry 2 was changed") != std::string::npos);
  }
  SECTION("a deleted entry") {
    tamper(p, "DELETE FROM entries WHERE id = 3");
    Result r = p.pm({"verify"});
    CHECK(r.code == 5);
    CHECK(r.err.find("between entries 2 and 4") != std::string::npos);
  }
  SECTION("an inserted entry") {
    tamper(p, "INSERT INTO entries (id, kind, recorded_at, effective_at, author, source, text, "
              "data, prev_hash, hash) SELECT 5, 'agreement', recorded_at, effective_at, author, "
              "source, 'forged', data, hash, 'x' FROM entries WHERE id = 4");
    Result r = p.pm({"verify"});
    CHECK(r.code == 5);
    CHECK(r.err.find("entry 5 was changed (or inserted)") != std::string::npos);
  }
  SECTION("a changed author") {
    tamper(p, "UPDATE entries SET author = 'Someone else' WHERE id = 1");
    Result r = p.pm({"verify", "--json"});
    CHECK(r.code == 5);
    CHECK(r.out.find("\"ok\": false") != std::string::npos);
  }
}
