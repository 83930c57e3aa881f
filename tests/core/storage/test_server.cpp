// The ledger server's engine and the replica (storage/server.hpp, replica.hpp). Tests tagged
// [server] need the test server: ctest runs them as "server: core" through
// tests/server/with_server.sh, which sets PM_TEST_SERVER_URL (or says SKIPPED).
#include <catch2/catch.hpp>

#include <cstdlib>
#include <string>
#include <vector>

#include <unistd.h>

#include "pm/storage/ledger.hpp"
#include "pm/storage/replica.hpp"
#include "pm/storage/server.hpp"
#include "pm/util/error.hpp"

using namespace pm;

namespace {

Entry done(const std::string& text) {
  Entry e;
  e.kind = "done";
  e.text = text;
  e.recorded_at = parse_instant("2026-11-20T10:00:00Z", "t");
  e.effective_at = e.recorded_at;
  e.author = "tester";
  return e;
}

Entry agreement(const std::string& text) {
  Entry e = done(text);
  e.kind = "agreement";
  return e;
}

std::string server_url() {
  const char* url = std::getenv("PM_TEST_SERVER_URL");
  REQUIRE(url != nullptr);  // run through tests/server/with_server.sh
  ::setenv("PM_MODULE_DIR", PM_BUILD_DIR, 0);
  return url;
}

ServerLocation new_project(Server& server, const std::string& name) {
  ServerLocation at{server_url(), new_project_key(name)};
  REQUIRE(server.create_project(at.key, "name: " + name + "\n"));
  return at;
}

std::vector<std::string> rows_of(Ledger& ledger) {
  std::vector<std::string> out;
  ledger.each_stored(
      0, 0,
      [&](const StoredRow& r) {
        out.push_back(std::to_string(r.entry.id) + " " + r.entry.kind + " " + r.entry.text + " " +
                      r.prev_hash.value_or("NULL") + " " + r.hash.value_or("NULL") + " " +
                      r.entry.number + " " + std::to_string(r.kind_number));
      },
      [&](const StoredAnswer& a) {
        out.push_back("answer " + std::to_string(a.id) + " " + std::to_string(a.entry_id) + " " +
                      std::to_string(a.score) + " " + a.client + " " + a.comment.value_or("NULL"));
      });
  return out;
}

}  // namespace

TEST_CASE("a server location is postgresql://…#KEY, without a password", "[replica]") {
  ServerLocation at = parse_server_location("postgresql://pm@db.agency.example/pm?sslmode=require#"
                                            "website-3fa2c1",
                                            "ledger");
  CHECK(at.url == "postgresql://pm@db.agency.example/pm?sslmode=require");
  CHECK(at.key == "website-3fa2c1");
  CHECK(at.where() == "postgresql://db.agency.example/pm#website-3fa2c1");
  CHECK_THROWS_WITH(parse_server_location("postgresql://db/pm", "ledger"),
                    Catch::Contains("names no project"));
  CHECK_THROWS_WITH(parse_server_location("postgresql://pm:secret@db/pm#k", "ledger"),
                    Catch::Contains("~/.pgpass"));
  CHECK_THROWS_WITH(parse_server_location("postgresql://db/pm?password=x#k", "ledger"),
                    Catch::Contains("holds a password"));
  CHECK_THROWS_WITH(parse_server_location("postgresql://db/pm#Bad_Key", "ledger"),
                    Catch::Contains("not a project key"));
  CHECK_THROWS_WITH(parse_server_location("mysql://db/pm#k", "ledger"),
                    Catch::Contains("not a server URL"));
  CHECK_THROWS_WITH(check_server_url("postgresql://db/pm\n", "PM_LEDGER_URL"),
                    Catch::Contains("control character"));
  CHECK(is_project_key("a"));
  CHECK_FALSE(is_project_key("-a"));
  CHECK_FALSE(is_project_key(std::string(64, 'a')));
  std::string key = new_project_key("Сайт / Website Redesign!");
  CHECK(key.rfind("website-redesign-", 0) == 0);
  CHECK(key.size() == std::string("website-redesign-").size() + 6);
  CHECK(is_project_key(key));
  CHECK(new_project_key("Проект").rfind("project-", 0) == 0);
}

TEST_CASE("a ledger moved to the server reads back row for row", "[server]") {
  auto server = connect_server(server_url());
  Ledger local(":memory:", Ledger::Mode::create);
  local.append(agreement("Design by Friday"));
  local.append(done("Mock-ups"));
  local.append(agreement("Копирайт к понедельнику"));
  ServerLocation at{server_url(), new_project_key("moved")};
  push_all(local, *server, at, "name: moved\n");
  Ledger copy(":memory:", Ledger::Mode::create);
  copy_from_server(*server, at, copy);
  CHECK(rows_of(copy) == rows_of(local));
  CHECK(copy.head().hash == local.head().hash);
  // The key is taken now: a second move is refused and adds nothing.
  Ledger other(":memory:", Ledger::Mode::create);
  other.append(done("another"));
  CHECK_THROWS_WITH(push_all(other, *server, at, "name: x\n"),
                    Catch::Contains("already holds a project"));
  Ledger again(":memory:", Ledger::Mode::create);
  copy_from_server(*server, at, again);
  CHECK(rows_of(again) == rows_of(local));
}

TEST_CASE("two replicas of one project take turns: ids, numbers and the chain stay one",
          "[server]") {
  auto admin = connect_server(server_url());
  ServerLocation at = new_project(*admin, "turns");
  Ledger one(":memory:", Ledger::Mode::create);
  Ledger two(":memory:", Ledger::Mode::create);
  attach_server(one, connect_server(at.url), at);
  attach_server(two, connect_server(at.url), at);
  CHECK(one.append(agreement("first")) == 1);
  CHECK(two.append(agreement("second")) == 2);  // pulled entry 1 before writing
  CHECK(one.append(done("third")) == 3);
  CHECK(one.find_numbered("agreement", 2)->text == "second");
  CHECK(two.find_numbered("agreement", 1)->text == "first");
  Ledger record(":memory:", Ledger::Mode::create);
  copy_from_server(*admin, at, record);
  CHECK(rows_of(record) == rows_of(one));
  CHECK(verify_chain(record.db()).ok);
  // A replica refuses an append outside a WriteTransaction's care.
  WriteTransaction tx(two);
  CHECK(two.append_in_transaction(done("fourth")) == 4);  // pulled entry 3 first
  tx.commit();
  Ledger after(":memory:", Ledger::Mode::create);
  copy_from_server(*admin, at, after);
  CHECK(after.head().id == 4);
}

TEST_CASE("a connection lost during a write fails it and leaves nothing written anywhere",
          "[server]") {
  auto admin = connect_server(server_url());
  ServerLocation at = new_project(*admin, "lost");
  const std::string victim = "pm-victim-" + std::to_string(::getpid());
  ServerLocation via_victim{at.url + "&application_name=" + victim, at.key};
  Ledger replica(":memory:", Ledger::Mode::create);
  attach_server(replica, connect_server(via_victim.url), via_victim);
  replica.append(done("before"));
  {
    WriteTransaction tx(replica);
    replica.append_in_transaction(done("lost with the connection"));
    const std::string kill =
        "psql -X -q -At '" + at.url +
        "' -c \"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '" +
        victim + "'\" > /dev/null";
    REQUIRE(std::system(kill.c_str()) == 0);
    try {
      tx.commit();
      FAIL("the commit went through without its server");
    } catch (const Error& e) {
      CHECK(e.code() == Exit::unreachable);
    }
  }
  CHECK(replica.head().id == 1);
  ServerProject project;
  bool found = false;
  REQUIRE(admin->project(at.key, project, found));
  CHECK(found);
  CHECK(project.head_id == 1);
}
