// Per-kind numbers: assigned in the inserting transaction, hashed for new entries, given to old
// entries by the migration without touching their hashes, and checked by check_numbers().
#include <catch2/catch.hpp>
#include <filesystem>
#include <string>

#include <SQLiteCpp/SQLiteCpp.h>
#include <unistd.h>

#include "pm/domain/numbers.hpp"
#include "pm/domain/project.hpp"
#include "pm/storage/chain.hpp"
#include "pm/storage/ledger.hpp"
#include "pm/util/error.hpp"

using namespace pm;

namespace {

Entry entry(const std::string& kind, const std::string& text) {
  Entry e;
  e.kind = kind;
  e.text = text;
  e.recorded_at = parse_instant("2026-11-20T10:00:00Z", "t");
  e.effective_at = e.recorded_at;
  e.author = "tester";
  return e;
}

struct TempFile {
  std::filesystem::path path = std::filesystem::temp_directory_path() /
                               ("pm-numbers-" + std::to_string(::getpid()) + ".db");
  ~TempFile() {
    for (const char* suffix : {"", "-wal", "-shm"}) {
      std::filesystem::remove(path.string() + suffix);
    }
  }
};

}  // namespace

TEST_CASE("numbers run per kind, other kinds have none", "[numbers]") {
  Ledger ledger(":memory:", Ledger::Mode::create);
  ledger.append(entry("done", "a"));
  EntryId a1 = ledger.append(entry("agreement", "first"));
  EntryId c1 = ledger.append(entry("change", "blog"));
  EntryId a2 = ledger.append(entry("agreement", "second"));
  auto ids = ledger.append_all({entry("risk", "late"), entry("agreement", "third")});
  CHECK(ledger.find(1)->number == 0);
  CHECK(ledger.find(a1)->number == 1);
  CHECK(ledger.find(c1)->number == 1);
  CHECK(ledger.find(a2)->number == 2);
  CHECK(ledger.find(ids[0])->number == 1);
  CHECK(ledger.find(ids[1])->number == 3);
  CHECK(ledger.find_numbered("agreement", 2)->id == a2);
  CHECK_FALSE(ledger.find_numbered("agreement", 4));
  CHECK(check_numbers(ledger.db()).empty());
  CHECK(verify_chain(ledger.db()).ok);
  CHECK(reference_of(*ledger.find(a2)) == "A2");
  CHECK(reference_of(*ledger.find(1)) == "E1");
  CHECK(find_reference(ledger, "c1").id == c1);
  CHECK(find_reference(ledger, "Agreement 3").id == ids[1]);
  CHECK(find_reference(ledger, "E1").kind == "done");
  CHECK_THROWS_WITH(find_reference(ledger, "R2"),
                    "there is no risk 2; `pm risk list` shows the risks");
  CHECK_THROWS_WITH(require_kind(*ledger.find(a1), "change"),
                    "entry 2 is an agreement, not a change; `pm change list` shows the changes");
  CHECK_THROWS_WITH(require_kind(*ledger.find(1), "risk"),
                    "entry 1 is a done note, not a risk; `pm risk list` shows the risks");
}

TEST_CASE("the hash covers a new entry's number, check_numbers finds a wrong one", "[numbers]") {
  Ledger ledger(":memory:", Ledger::Mode::create);
  ledger.append(entry("agreement", "first"));
  ledger.append(entry("agreement", "second"));
  ledger.db().exec("DROP TRIGGER entries_no_update");
  ledger.db().exec("UPDATE entries SET number = 5 WHERE id = 2");
  VerifyResult r = verify_chain(ledger.db());
  CHECK_FALSE(r.ok);
  CHECK(r.problem.find("entry 2 was changed") != std::string::npos);
  CHECK(check_numbers(ledger.db()) ==
        std::vector<std::string>{"entry 2 is agreement 2, but carries the number 5"});
  ledger.db().exec("UPDATE entries SET number = 2 WHERE id = 2");
  CHECK(verify_chain(ledger.db()).ok);
  // The derived table edited behind pm's back: the hashes hold, the check does not.
  ledger.db().exec("UPDATE numbers SET number = 7 WHERE entry_id = 1");
  CHECK(check_numbers(ledger.db()) ==
        std::vector<std::string>{"entry 1 is agreement 1, but the numbers table says 7"});
  ledger.db().exec("DELETE FROM numbers WHERE entry_id = 1");
  CHECK(check_numbers(ledger.db()) ==
        std::vector<std::string>{"entry 1 (agreement 1) has no row in the numbers table"});
}

TEST_CASE("an import's number must be the next of its kind", "[numbers]") {
  Ledger ledger(":memory:", Ledger::Mode::create);
  Entry e = entry("agreement", "first");
  e.number = 2;
  CHECK_THROWS_WITH(ledger.append(e), Catch::Contains("would be agreement 1, but it is "
                                                      "numbered 2"));
  e.number = 1;
  CHECK(ledger.find(ledger.append(e))->number == 1);
  Entry n = entry("done", "x");
  n.number = 1;
  CHECK_THROWS_WITH(ledger.append(n), Catch::Contains("a done note, which is not numbered"));
}

TEST_CASE("a format 1 ledger gets numbers in id order, its hashes stay valid",
          "[numbers][migration]") {
  TempFile file;
  {
    SQLite::Database db(file.path.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db.exec(pm::read_file(std::string(PM_SOURCE_DIR) + "/tests/data/ledger-format1.sql"));
  }
  Ledger ledger(file.path.string());
  CHECK(ledger.find(1)->number == 1);
  CHECK(ledger.find(2)->number == 2);
  CHECK(ledger.find(3)->number == 0);
  // Migrated entries carry no number of their own: their hashes were made before numbers.
  CHECK(ledger.db().execAndGet("SELECT count(*) FROM entries WHERE number IS NOT NULL").getInt() ==
        0);
  EntryId id = ledger.append(entry("agreement", "after the upgrade"));
  CHECK(ledger.find(id)->number == 3);
  CHECK(ledger.db().execAndGet("SELECT number FROM entries WHERE id = 4").getInt() == 3);
  CHECK(verify_chain(ledger.db()).ok);
  CHECK(check_numbers(ledger.db()).empty());
}
