#include <catch2/catch.hpp>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include <sys/stat.h>
#include <unistd.h>

#include <SQLiteCpp/SQLiteCpp.h>
#include <fmt/format.h>

#include "pm/domain/agreements.hpp"
#include "pm/storage/chain.hpp"
#include "pm/domain/project.hpp"
#include "pm/util/error.hpp"
#include "pm/storage/ledger.hpp"

using namespace pm;

namespace {

Entry note(const std::string& text, const std::string& when = "2026-11-20T10:00:00Z") {
  Entry e;
  e.kind = "done";
  e.text = text;
  e.recorded_at = parse_instant(when, "t");
  e.effective_at = e.recorded_at;
  e.author = "tester";
  return e;
}

struct TempFile {
  std::filesystem::path path =
      std::filesystem::temp_directory_path() /
      ("pm-ledger-" + std::to_string(::getpid()) + "-" + std::to_string(rand()) + ".db");
  ~TempFile() {
    for (const char* suffix : {"", "-wal", "-shm"}) {
      std::filesystem::remove(path.string() + suffix);
    }
  }
};

}  // namespace

TEST_CASE("a new ledger has the current format and pm's application id", "[ledger]") {
  Ledger ledger(":memory:", Ledger::Mode::create);
  CHECK(ledger.format() == Ledger::k_format);
  CHECK(ledger.db().execAndGet("PRAGMA application_id").getInt() == Ledger::k_application_id);
}

TEST_CASE("entries round-trip with all their fields", "[ledger]") {
  Ledger ledger(":memory:", Ledger::Mode::create);
  Entry e = note("Wrote the spec");
  e.due = "2026-12-01";
  e.data["with"] = {"Ivan", "Олег"};
  EntryId id = ledger.append(e);
  auto back = ledger.find(id);
  REQUIRE(back);
  CHECK(back->text == "Wrote the spec");
  CHECK(back->due == "2026-12-01");
  CHECK(back->data["with"][1] == "Олег");
  CHECK(format_utc(back->recorded_at) == "2026-11-20T10:00:00Z");
  CHECK_FALSE(ledger.find(id + 1));
}

TEST_CASE("the ledger refuses edits and deletions", "[ledger]") {
  Ledger ledger(":memory:", Ledger::Mode::create);
  ledger.append(note("x"));
  CHECK_THROWS(ledger.db().exec("UPDATE entries SET text = 'y'"));
  CHECK_THROWS(ledger.db().exec("DELETE FROM entries"));
  CHECK(ledger.find(1)->text == "x");
}

TEST_CASE("list filters by kind and half-open time range", "[ledger]") {
  Ledger ledger(":memory:", Ledger::Mode::create);
  ledger.append(note("a", "2026-11-16T00:00:00Z"));
  ledger.append(note("b", "2026-11-22T23:59:59Z"));
  ledger.append(note("c", "2026-11-23T00:00:00Z"));
  EntryQuery q;
  q.kinds = {"done"};
  q.effective_from = parse_instant("2026-11-16T00:00:00Z", "t");
  q.effective_until = parse_instant("2026-11-23T00:00:00Z", "t");
  auto rows = ledger.list(q);
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].text == "a");
  CHECK(rows[1].text == "b");
  q.kinds = {"agreement"};
  CHECK(ledger.list(q).empty());
}

TEST_CASE("append_all is all or nothing", "[ledger]") {
  Ledger ledger(":memory:", Ledger::Mode::create);
  Entry bad = note("refers to nothing");
  bad.ref = 42;
  CHECK_THROWS_AS(ledger.append_all({note("ok"), bad}), Error);
  CHECK(ledger.list({}).empty());
}

TEST_CASE("a ledger newer than this pm is refused, a foreign database too", "[ledger]") {
  TempFile file;
  {
    SQLite::Database db(file.path.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db.exec("PRAGMA application_id = " + std::to_string(Ledger::k_application_id));
    db.exec("PRAGMA user_version = 99");
  }
  CHECK_THROWS_WITH(Ledger(file.path.string()), Catch::Contains("newer than this pm"));
  TempFile other;
  {
    SQLite::Database db(other.path.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db.exec("CREATE TABLE t (x)");
  }
  CHECK_THROWS_WITH(Ledger(other.path.string()), Catch::Contains("not a pm ledger"));
}

TEST_CASE("a missing ledger file is named", "[ledger]") {
  CHECK_THROWS_WITH(Ledger("/nonexistent/ledger.db"), Catch::Contains("is missing"));
}

TEST_CASE("a locked ledger fails with Exit::busy and writes nothing", "[ledger]") {
  TempFile file;
  { Ledger create(file.path.string(), Ledger::Mode::create); }
  SQLite::Database other(file.path.string(), SQLite::OPEN_READWRITE);
  other.exec("BEGIN IMMEDIATE");
  Ledger ledger(file.path.string(), Ledger::Mode::read_write, 50);
  try {
    ledger.append(note("blocked"));
    FAIL("append should have failed");
  } catch (const Error& e) {
    CHECK(e.code() == Exit::busy);
    CHECK(std::string(e.what()).find("locked by another writer") != std::string::npos);
  }
  other.exec("ROLLBACK");
  CHECK(ledger.list({}).empty());
}

TEST_CASE("a read-only ledger says so", "[ledger]") {
  TempFile file;
  { Ledger create(file.path.string(), Ledger::Mode::create); }
  Ledger ledger(file.path.string(), Ledger::Mode::read_only);
  CHECK_THROWS_WITH(ledger.append(note("x")), Catch::Contains("read-only"));
}

TEST_CASE("agreements supersede, never edit", "[ledger][agreements]") {
  Ledger ledger(":memory:", Ledger::Mode::create);
  Zone zone = find_zone("UTC");
  Instant now = parse_instant("2026-11-20T10:00:00Z", "t");
  AgreementInput a;
  a.text = "Launch 12 Dec";
  a.author = "me";
  EntryId first = log_agreement(ledger, a, now, zone);
  a.text = "Launch 15 Dec";
  a.supersedes = first;
  EntryId second = log_agreement(ledger, a, now, zone);
  auto open = list_agreements(ledger, false, std::nullopt);
  REQUIRE(open.size() == 1);
  CHECK(open[0].entry.id == second);
  auto all = list_agreements(ledger, true, std::nullopt);
  REQUIRE(all.size() == 2);
  CHECK(all[0].superseded_by == second);
  CHECK(ledger.latest("agreement")->id == second);
  a.supersedes = first;
  CHECK_THROWS_WITH(log_agreement(ledger, a, now, zone), Catch::Contains("already replaced"));
}

TEST_CASE("a format 1 ledger is migrated forward, hashes backfilled", "[ledger][migration]") {
  TempFile file;
  {
    SQLite::Database db(file.path.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db.exec(pm::read_file(std::string(PM_SOURCE_DIR) + "/tests/data/ledger-format1.sql"));
    REQUIRE(db.execAndGet("PRAGMA user_version").getInt() == 1);
  }
  Ledger ledger(file.path.string());
  CHECK(ledger.format() == Ledger::k_format);
  CHECK(ledger.find(2)->ref == 1);
  CHECK(verify_chain(ledger.db()).ok);
  CHECK(verify_chain(ledger.db()).entries == 3);
  EntryId id = ledger.append(note("after the upgrade"));
  CHECK(id == 4);
  CHECK(verify_chain(ledger.db()).ok);
  CHECK_THROWS(ledger.db().exec("UPDATE entries SET text = 'x' WHERE id = 1"));
}

TEST_CASE("the chain covers every column", "[ledger][chain]") {
  Ledger ledger(":memory:", Ledger::Mode::create);
  ledger.append(note("one"));
  ledger.append(note("two"));
  CHECK(verify_chain(ledger.db()).ok);
  ledger.db().exec("DROP TRIGGER entries_no_update");
  for (const char* column : {"kind", "recorded_at", "author", "source", "text", "data"}) {
    std::string old = ledger.db().execAndGet(std::string("SELECT ") + column +
                                             " FROM entries WHERE id = 1").getString();
    ledger.db().exec(std::string("UPDATE entries SET ") + column + " = " + column +
                     " || ' ' WHERE id = 1");
    auto r = verify_chain(ledger.db());
    CHECK_FALSE(r.ok);
    CHECK(r.problem.find("entry 1 was changed") != std::string::npos);
    SQLite::Statement restore(ledger.db(), std::string("UPDATE entries SET ") + column +
                                               " = ? WHERE id = 1");
    restore.bind(1, old);
    restore.exec();
  }
  CHECK(verify_chain(ledger.db()).ok);
}

TEST_CASE("a read inside a read of the same query gets its own statement", "[ledger]") {
  Ledger ledger(":memory:", Ledger::Mode::create);
  ledger.append(note("one"));
  ledger.append(note("two"));
  EntryQuery q;
  q.kinds = {"done"};
  std::vector<std::string> pairs;
  ledger.each(q, [&](const Entry& outer) {
    ledger.each(q, [&](const Entry& inner) { pairs.push_back(outer.text + "/" + inner.text); });
  });
  CHECK(pairs == std::vector<std::string>{"one/one", "one/two", "two/one", "two/two"});
  CHECK(ledger.list(q).size() == 2);  // the cached statement was left ready
}

TEST_CASE("a read that stops early does not hide later writers' entries", "[ledger]") {
  TempFile file;
  Ledger reader(file.path.string(), Ledger::Mode::create);
  reader.append(note("one"));
  reader.append(note("two"));
  EntryQuery q;
  q.kinds = {"done"};
  struct Stop {};
  CHECK_THROWS_AS(reader.each(q, [](const Entry&) { throw Stop{}; }), Stop);
  {
    Ledger writer(file.path.string());
    writer.append(note("three"));
  }
  CHECK(reader.list(q).size() == 3);
  CHECK(reader.find(3)->text == "three");
}

TEST_CASE("many entries in one call: ids, chain and hashes as one at a time", "[ledger][chain]") {
  // Fields vary from entry to entry (refs, due dates, data, times), and the entries come in
  // two calls, the second continuing the chain of the first.
  std::vector<Entry> entries;
  for (int i = 0; i < 150; ++i) {
    Entry e = note(fmt::format("entry {}", i),
                   i % 3 == 0 ? "2026-11-20T10:00:00Z" : "2026-11-21T11:30:00Z");
    e.effective_at += std::chrono::hours(i % 7);
    if (i % 5 == 1) {
      e.ref = 1;
    }
    if (i % 4 == 2) {
      e.due = "2026-12-01";
    }
    e.data = Json{{"i", i}};
    entries.push_back(e);
  }
  Ledger one_by_one(":memory:", Ledger::Mode::create);
  Ledger together(":memory:", Ledger::Mode::create);
  one_by_one.append(note("first"));
  together.append(note("first"));
  {
    SQLite::Transaction tx(one_by_one.db(), SQLite::TransactionBehavior::IMMEDIATE);
    for (const Entry& e : entries) {
      one_by_one.append_in_transaction(e);
    }
    tx.commit();
  }
  {
    SQLite::Transaction tx(together.db(), SQLite::TransactionBehavior::IMMEDIATE);
    std::vector<std::string> data;
    for (const Entry& e : entries) {
      data.push_back(e.data.dump());
    }
    CHECK(together.append_all_in_transaction(std::span<const Entry>(entries).first(100),
                                             data.data()) == 2);
    CHECK(together.append_all_in_transaction(std::span<const Entry>(entries).subspan(100)) == 102);
    tx.commit();
  }
  const char* sql = "SELECT group_concat(id || ' ' || hash || ' ' || prev_hash, ',') FROM entries";
  CHECK(one_by_one.db().execAndGet(sql).getString() == together.db().execAndGet(sql).getString());
  CHECK(together.db().execAndGet("SELECT count(*) FROM entries").getInt() == 151);
  CHECK(verify_chain(together.db()).ok);
  CHECK(together.find(151)->text == "entry 149");
}

TEST_CASE("the chain's tail is re-read after a rollback and in a new transaction",
          "[ledger][chain]") {
  TempFile file;
  Ledger ledger(file.path.string(), Ledger::Mode::create);
  ledger.append(note("one"));
  {
    SQLite::Transaction tx(ledger.db(), SQLite::TransactionBehavior::IMMEDIATE);
    CHECK(ledger.append_in_transaction(note("rolled back")) == 2);
    CHECK(ledger.append_in_transaction(note("rolled back too")) == 3);
  }  // no commit: rolled back
  CHECK(ledger.append(note("two")) == 2);
  {
    // Another connection appends between this one's transactions.
    Ledger other(file.path.string());
    CHECK(other.append(note("three, from elsewhere")) == 3);
  }
  {
    SQLite::Transaction tx(ledger.db(), SQLite::TransactionBehavior::IMMEDIATE);
    CHECK(ledger.append_in_transaction(note("four")) == 4);
    tx.commit();
  }
  CHECK(ledger.append(note("five")) == 5);
  CHECK(verify_chain(ledger.db()).ok);
  CHECK(ledger.db().execAndGet("SELECT count(*) FROM entries").getInt() == 5);
}

TEST_CASE("a failed insert leaves the chain's tail as it was", "[ledger][chain]") {
  Ledger ledger(":memory:", Ledger::Mode::create);
  ledger.append(note("one"));
  SQLite::Transaction tx(ledger.db(), SQLite::TransactionBehavior::IMMEDIATE);
  CHECK(ledger.append_in_transaction(note("two")) == 2);
  Entry bad = note("refers to nothing");
  bad.ref = 42;  // the foreign key fails this statement only
  CHECK_THROWS(ledger.append_in_transaction(bad));
  CHECK(ledger.append_in_transaction(note("three")) == 3);
  tx.commit();
  CHECK(verify_chain(ledger.db()).ok);
}

TEST_CASE("append inside the caller's transaction: committed or rolled back with it",
          "[ledger]") {
  Ledger ledger(":memory:", Ledger::Mode::create);
  ledger.append(note("before"));
  {
    SQLite::Transaction tx(ledger.db(), SQLite::TransactionBehavior::IMMEDIATE);
    CHECK(ledger.append(note("rolled back")) == 2);
    CHECK_THROWS_AS(ledger.append_all({note("ok"), [] {
                                         Entry e = note("refers to nothing");
                                         e.ref = 99;
                                         return e;
                                       }()}),
                    Error);
  }  // not committed
  CHECK(ledger.list({}).size() == 1);
  {
    SQLite::Transaction tx(ledger.db(), SQLite::TransactionBehavior::IMMEDIATE);
    CHECK(ledger.append(note("kept")) == 2);
    tx.commit();
  }
  CHECK(ledger.append(note("after")) == 3);
  CHECK(ledger.list({}).size() == 3);
  CHECK(verify_chain(ledger.db()).ok);
}

TEST_CASE("a new ledger file gets exactly the mode asked for", "[ledger]") {
  TempFile file;
  mode_t old = ::umask(0);
  { Ledger ledger(file.path.string(), Ledger::Mode::create, 1000, 0640); }
  ::umask(old);
  CHECK((std::filesystem::status(file.path).permissions() & std::filesystem::perms::all) ==
        static_cast<std::filesystem::perms>(0640));
}
