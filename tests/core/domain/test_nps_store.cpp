// NPS answers in the ledger: recording, importing (all or nothing, idempotent), counting.
#include <catch2/catch.hpp>
#include <filesystem>
#include <sstream>
#include <unistd.h>

#include <SQLiteCpp/SQLiteCpp.h>
#include <fmt/format.h>

#include "pm/storage/chain.hpp"
#include "pm/storage/integrity.hpp"
#include "pm/util/error.hpp"
#include "pm/domain/nps.hpp"
#include "pm/storage/schema.hpp"
#include "pm/util/sha256.hpp"

using namespace pm;

namespace {

NpsWriteContext context() {
  return NpsWriteContext{"tester", "import", parse_instant("2026-11-20T10:00:00+03:00", "t"),
                         find_zone("Europe/Moscow")};
}

const NpsDefaults k_defaults{"ACME Corp", "Anna Petrova"};

NpsImportResult import_text(Ledger& ledger, const std::string& text,
                            std::size_t in_memory = 100000) {
  std::istringstream in(text);
  return import_nps_csv(ledger, in, "answers.csv", k_defaults, context(), in_memory);
}

int count(Ledger& ledger, const char* sql) { return ledger.db().execAndGet(sql).getInt(); }

NpsCounts total(Ledger& ledger, NpsPeriod period = {}) {
  return nps_groups(ledger, NpsBy::total, period).at(0).counts;
}

}  // namespace

TEST_CASE("an added answer is an nps entry and a row, in one go", "[nps-store]") {
  Ledger ledger(":memory:", Ledger::Mode::create);
  NpsAnswer a;
  a.date = parse_date("2026-11-02", "t");
  a.score = 9;
  a.client = "ACME Corp";
  a.contact = "Ivan Sidorov";
  a.manager = "Anna Petrova";
  a.comment = "Quick and clear";
  EntryId id = add_nps_answer(ledger, a, context());
  auto e = ledger.find(id);
  REQUIRE(e);
  CHECK(e->kind == "nps");
  CHECK(e->text == "Quick and clear");
  CHECK(format_utc(e->effective_at) == "2026-11-01T21:00:00Z");  // midnight in Moscow
  CHECK(e->data["score"] == 9);
  CHECK(e->data["date"] == "2026-11-02");
  CHECK(e->data["contact"] == "Ivan Sidorov");
  CHECK(e->data["fingerprint"].is_null());
  CHECK(count(ledger, "SELECT count(*) FROM nps_answers WHERE entry_id = 1 AND score = 9 AND "
                      "answered_on = '2026-11-02'") == 1);
  CHECK_THROWS(ledger.db().exec("UPDATE nps_answers SET score = 10"));
  CHECK_THROWS(ledger.db().exec("DELETE FROM nps_answers"));
  a.score = 11;
  CHECK_THROWS_AS(add_nps_answer(ledger, a, context()), Error);
  a.score = 5;
  a.client = "bad\nname";
  CHECK_THROWS_WITH(add_nps_answer(ledger, a, context()), Catch::StartsWith("--client: "));
  CHECK(count(ledger, "SELECT count(*) FROM entries") == 1);
}

TEST_CASE("an answer's data is stored exactly as Json::dump() writes it", "[nps-store]") {
  Ledger ledger(":memory:", Ledger::Mode::create);
  NpsAnswer a;
  a.date = parse_date("2026-11-02", "t");
  a.score = 10;
  a.client = "O'Brien & \"Sons\" \\ Co";
  a.contact = "Олег Иванов";
  a.manager = "Anna/Petrova";
  a.comment = "line\nbreak \"quoted\" \\ back/slash \ttab \u2028 Ж";
  std::istringstream in("date,score,client,comment\n2026-11-03,1,\"A\x02\"\"B\",\"x\ny\"\n");
  add_nps_answer(ledger, a, context());
  CHECK_THROWS(import_nps_csv(ledger, in, "t.csv", k_defaults, context()));  // \x02 in a name
  // A control in a comment is refused at the door too (only LF and TAB are text).
  std::istringstream control("date,score,client,comment\n2026-11-03,1,A,\"x\ny\x02\"\n");
  CHECK_THROWS(import_nps_csv(ledger, control, "t.csv", k_defaults, context()));
  std::istringstream ok("date,score,client,comment\n2026-11-03,1,\"A\"\"B\\\",\"x\ny\"\n");
  import_nps_csv(ledger, ok, "t.csv", k_defaults, context());
  SQLite::Statement rows(ledger.db(), "SELECT data FROM entries WHERE kind = 'nps' ORDER BY id");
  int n = 0;
  while (rows.executeStep()) {
    std::string stored = rows.getColumn(0).getString();
    CAPTURE(stored);
    CHECK(Json::parse(stored).dump() == stored);
    ++n;
  }
  CHECK(n == 1);
  auto e = ledger.find(1);
  CHECK(e->data["client"] == a.client);
  CHECK(e->data["contact"] == a.contact);
  CHECK(e->data["manager"] == a.manager);
  CHECK(e->text == a.comment);
  CHECK(ledger.find(2)->kind == "nps-import");
  CHECK(ledger.db().execAndGet("SELECT client FROM nps_answers WHERE entry_id = 2").getString() ==
        "A\"B\\");
  CHECK(ledger.db().execAndGet("SELECT comment FROM nps_answers WHERE entry_id = 2").getString() ==
        "x\ny");
}

TEST_CASE("the table refuses a score outside 0-10 even from SQL", "[nps-store]") {
  Ledger ledger(":memory:", Ledger::Mode::create);
  const char* insert = "INSERT INTO nps_answers (entry_id, answered_on, score, client, contact, "
                       "manager) VALUES (1, '2026-11-02', {}, '', '', '')";
  CHECK_NOTHROW(ledger.db().exec(fmt::format(fmt::runtime(insert), "10")));
  CHECK_THROWS(ledger.db().exec(fmt::format(fmt::runtime(insert), "11")));
  CHECK_THROWS(ledger.db().exec(fmt::format(fmt::runtime(insert), "9.5")));
}

TEST_CASE("import reads columns in any order, ignores others, fills defaults", "[nps-store]") {
  Ledger ledger(":memory:", Ledger::Mode::create);
  auto r = import_text(ledger,
                       "\xEF\xBB\xBF" "Score,Extra,Date,Comment,Contact\r\n"
                       "9,x,2026-10-01,\"Good, \"\"really\"\"\r\ngood\",Ivan\r\n"
                       "3,y,2026-10-02 14:30,,\r\n"
                       "7,z,2026-10-31T23:30:00Z,,\r\n");
  CHECK(r.rows == 3);
  CHECK(r.added == 3);
  CHECK(r.skipped == 0);
  CHECK(r.entry == 1);
  auto e = ledger.find(1);
  REQUIRE(e);
  CHECK(e->kind == "nps-import");
  CHECK(e->source == "import");
  CHECK(e->text == "Imported 3 NPS answers from answers.csv");
  // The answers are rows only, each with every field the file gave.
  SQLite::Statement rows(ledger.db(), "SELECT entry_id, answered_on, score, client, contact, "
                                      "manager, comment, at FROM nps_answers ORDER BY id");
  REQUIRE(rows.executeStep());
  CHECK(rows.getColumn(0).getInt64() == 1);
  CHECK(rows.getColumn(1).getString() == "2026-10-01");
  CHECK(rows.getColumn(3).getString() == "ACME Corp");
  CHECK(rows.getColumn(4).getString() == "Ivan");
  CHECK(rows.getColumn(5).getString() == "Anna Petrova");
  CHECK(rows.getColumn(6).getString() == "Good, \"really\"\ngood");
  CHECK(rows.getColumn(7).isNull());
  REQUIRE(rows.executeStep());
  CHECK(rows.getColumn(1).getString() == "2026-10-02");
  CHECK(rows.getColumn(6).getString() == "");
  REQUIRE(rows.executeStep());
  // 23:30 UTC on 31 October is already 1 November in Moscow.
  CHECK(rows.getColumn(1).getString() == "2026-11-01");
  CHECK(rows.getColumn(7).getString() == "2026-10-31T23:30:00Z");
  CHECK_FALSE(rows.executeStep());
}

TEST_CASE("importing the same file twice adds nothing, identical rows count", "[nps-store]") {
  Ledger ledger(":memory:", Ledger::Mode::create);
  std::string file = "date,score\n2026-11-01,9\n2026-11-01,9\n2026-11-02,4\n";
  auto first = import_text(ledger, file);
  CHECK(first.added == 3);
  auto again = import_text(ledger, file);
  CHECK(again.added == 0);
  CHECK(again.skipped == 3);
  // A later export of the same survey holds one more identical row: only it is new.
  auto later = import_text(ledger, file + "2026-11-01,9\n");
  CHECK(later.added == 1);
  CHECK(later.skipped == 3);
  CHECK(total(ledger).n() == 4);
  // One entry for each import that added answers; the one that added none wrote nothing.
  CHECK(count(ledger, "SELECT count(*) FROM entries WHERE kind = 'nps-import'") == 2);
  CHECK(count(ledger, "SELECT count(*) FROM entries") == 2);
  CHECK(ledger.find(2)->text == "Imported 1 NPS answer from answers.csv (3 already recorded, "
                                "skipped)");
  CHECK(ledger.find(2)->data["rows"] == 4);
  CHECK(ledger.find(2)->data["answers"] == 1);
  CHECK(ledger.find(2)->data["skipped"] == 3);
}

TEST_CASE("a long file: one entry, rows that verify against its digest, twice adds nothing",
          "[nps-store]") {
  // More rows than one batch holds and than the in-memory counts first make room for,
  // identical rows far apart, and a later export with the old rows in another order and new
  // ones among them.
  std::string header = "date,score,client,contact,comment\n";
  std::vector<std::string> rows;
  for (int i = 0; i < 2500; ++i) {
    if (i >= 2000) {
      rows.push_back(rows[static_cast<std::size_t>(i - 1500)]);  // 500 rows seen 1500 rows ago
      continue;
    }
    rows.push_back(fmt::format("2026-{:02}-{:02},{},Client {},{},{}\n", i % 12 + 1, i % 28 + 1,
                               i % 11, i % 5, i % 50 == 0 ? "" : fmt::format("P{}", i % 300),
                               i % 7 == 0 ? "\"Fast, \"\"clear\"\"\"" : ""));
  }
  std::string file = header;
  for (const auto& row : rows) {
    file += row;
  }
  Ledger ledger(":memory:", Ledger::Mode::create);
  Entry before;
  before.kind = "note";
  before.author = "tester";
  before.text = "before the import";
  ledger.append(before);
  auto first = import_text(ledger, file);
  CHECK(first.added == 2500);
  CHECK(count(ledger, "SELECT count(*) FROM entries") == 2);
  CHECK(count(ledger, "SELECT count(*) FROM nps_answers") == 2500);
  CHECK(count(ledger, "SELECT count(*) FROM nps_answers WHERE entry_id = 2") == 2500);
  CHECK(ledger.find(2)->text == "Imported 2,500 NPS answers from answers.csv");
  CHECK(verify_chain(ledger.db()).ok);
  CHECK(check_derived_tables(ledger.db()).empty());
  CHECK(import_text(ledger, file).added == 0);
  std::string later = header;
  for (std::size_t i = rows.size(); i-- > 0;) {
    later += rows[i];
    if (i % 100 == 0) {
      later += fmt::format("2027-01-{:02},10,New client,Someone,\n", i / 100 + 1);
    }
  }
  auto again = import_text(ledger, later);
  CHECK(again.added == 25);
  CHECK(again.skipped == 2500);
  CHECK(total(ledger).n() == 2525);
  CHECK(verify_chain(ledger.db()).ok);
  CHECK(check_derived_tables(ledger.db()).empty());
  CHECK(count(ledger, "SELECT count(*) FROM entries") == 3);
}

TEST_CASE("identical rows beyond the in-memory count are counted in a temporary table",
          "[nps-store]") {
  Ledger ledger(":memory:", Ledger::Mode::create);
  std::string file = "date,score\n2026-11-01,9\n2026-11-02,9\n2026-11-03,9\n2026-11-03,9\n"
                     "2026-11-01,9\n2026-11-03,9\n";
  CHECK(import_text(ledger, file, 1).added == 6);
  CHECK(import_text(ledger, file, 1).added == 0);
  CHECK(import_text(ledger, file + "2026-11-03,9\n", 2).added == 1);
  CHECK(total(ledger).n() == 7);
}

TEST_CASE("a bad row rejects the whole file and names its line and column", "[nps-store]") {
  Ledger ledger(":memory:", Ledger::Mode::create);
  import_text(ledger, "date,score\n2026-01-05,10\n");
  auto rejects = [&](const std::string& text, const std::string& message) {
    CAPTURE(text);
    CHECK_THROWS_WITH(import_text(ledger, text), message);
    CHECK(count(ledger, "SELECT count(*) FROM entries") == 1);
    CHECK(count(ledger, "SELECT count(*) FROM nps_answers") == 1);
  };
  std::string good = "date,score,comment\n2026-11-01,9,\"two\nlines\"\n2026-11-02,8,ok\n";
  rejects(good + "2026-11-03,11,x\n", "answers.csv:5: column score: '11' is not a score from 0 to 10");
  rejects(good + "2026-11-03,-1,x\n", "answers.csv:5: column score: '-1' is not a score from 0 to 10");
  rejects(good + "2026-11-03,7.5,x\n", "answers.csv:5: column score: '7.5' is not a score from 0 to 10");
  rejects(good + "2026-11-03,ten,x\n", "answers.csv:5: column score: 'ten' is not a score from 0 to 10");
  rejects(good + "2026-11-03,,x\n", "answers.csv:5: column score: '' is not a score from 0 to 10");
  rejects(good + "03.11.2026,5,x\n",
          "answers.csv:5: column date: '03.11.2026' is not a date; write it as YYYY-MM-DD, e.g. "
          "2026-12-25");
  rejects(good + "2026-02-30,5,x\n",
          "answers.csv:5: column date: 2026-02-30 does not exist in the calendar");
  rejects(good + ",5,x\n", "answers.csv:5: column date: empty; every answer needs the day it "
                           "was given (YYYY-MM-DD)");
  rejects(good + "2026-11-03,5\n", "answers.csv:5: 2 fields, but the header has 3; the file is "
                                   "read as ','-separated, so a value holding a ',' must be in "
                                   "double quotes");
  rejects(good + "2026-11-03,5,\"never closed\n",
          "answers.csv:5: column comment: a quoted field is not closed by the end of the file; "
          "close it with a double quote");
  rejects(good + "2026-11-03,5,\xFF\xFE\n",
          "answers.csv:5: column comment: not valid UTF-8 (byte 0xff at offset 0); give the "
          "text in UTF-8");
}

TEST_CASE("the header must name date and score, once each", "[nps-store]") {
  Ledger ledger(":memory:", Ledger::Mode::create);
  CHECK_THROWS_WITH(import_text(ledger, "date,rating\n2026-11-01,9\n"),
                    "answers.csv:1: read as ','-separated: columns date, rating; expected a "
                    "'score' column (the header row must name date and score; client, contact, "
                    "manager and comment are optional; ',', ';' and tab are recognised)");
  CHECK_THROWS_WITH(import_text(ledger, "\xEF\xBB\xBFscore\n9\n"),
                    Catch::StartsWith("answers.csv:1: read as ','-separated: columns score; "
                                      "expected a 'date' column"));
  // A header in one piece: the message shows how it was read.
  CHECK_THROWS_WITH(import_text(ledger, "date|score\n2026-11-01|9\n"),
                    Catch::StartsWith("answers.csv:1: read as ','-separated: columns date|score;"));
  CHECK_THROWS_WITH(import_text(ledger, "date,score,Score\n"),
                    "answers.csv:1: the header names the column score twice");
  CHECK_THROWS_WITH(import_text(ledger, ""), Catch::StartsWith("answers.csv is empty"));
  CHECK(import_text(ledger, "date,score\n").rows == 0);
  CHECK(import_text(ledger, "date,score\n,\n\n , \n").rows == 0);  // empty rows hold nothing
  CHECK(count(ledger, "SELECT count(*) FROM entries") == 0);
}

TEST_CASE("counts per client, manager, month and quarter, within a period", "[nps-store]") {
  Ledger ledger(":memory:", Ledger::Mode::create);
  import_text(ledger,
              "date,score,client,manager\n"
              "2026-01-15,10,Globex,Boris\n"
              "2026-01-20,6,ACME,Anna\n"
              "2026-02-01,9,ACME,Anna\n"
              "2026-04-30,8,Globex,Anna\n"
              "2026-05-01,0,,\n");
  auto by_client = nps_groups(ledger, NpsBy::client, {});
  REQUIRE(by_client.size() == 3);
  CHECK(by_client[0].key == "ACME");
  CHECK(by_client[0].counts.n() == 2);
  CHECK(by_client[1].key == "ACME Corp");  // the default
  CHECK(by_client[2].key == "Globex");
  CHECK(by_client[2].counts.promoters == 1);
  CHECK(by_client[2].counts.passives == 1);

  auto by_manager = nps_groups(ledger, NpsBy::manager, {});
  REQUIRE(by_manager.size() == 3);
  CHECK(by_manager[0].key == "Anna");
  CHECK(by_manager[0].counts.n() == 3);
  CHECK(by_manager[1].key == "Anna Petrova");
  CHECK(by_manager[2].key == "Boris");

  auto by_month = nps_groups(ledger, NpsBy::month, {});
  REQUIRE(by_month.size() == 4);
  CHECK(by_month[0].key == "2026-01");
  CHECK(by_month[0].counts.n() == 2);
  CHECK(by_month[2].key == "2026-04");

  auto by_quarter = nps_groups(ledger, NpsBy::quarter, {});
  REQUIRE(by_quarter.size() == 2);
  CHECK(by_quarter[0].key == "2026-Q1");
  CHECK(by_quarter[0].counts.n() == 3);
  CHECK(by_quarter[1].key == "2026-Q2");

  NpsPeriod period{parse_date("2026-01-20", "t"), parse_date("2026-04-30", "t")};
  NpsCounts within = total(ledger, period);
  CHECK(within.n() == 3);  // both ends included
  CHECK(total(ledger, NpsPeriod{parse_date("2026-05-01", "t"), std::nullopt}).n() == 1);
  CHECK(total(ledger, NpsPeriod{std::nullopt, parse_date("2026-01-15", "t")}).n() == 1);
  CHECK(nps_groups(ledger, NpsBy::client, period).size() == 2);
  CHECK(total(ledger).n() == 5);
}

TEST_CASE("every breakdown is one pass over an index, without sorting", "[nps-store]") {
  Ledger ledger(":memory:", Ledger::Mode::create);
  for (const char* group : {"answered_on, score", "answered_on, score, manager",
                            "answered_on, score, manager, client"}) {
    std::string sql = fmt::format("EXPLAIN QUERY PLAN SELECT 1, score, count(*) FROM nps_answers "
                                  "INDEXED BY nps_answers_breakdown WHERE answered_on >= '2026' "
                                  "GROUP BY {}",
                                  group);
    SQLite::Statement plan(ledger.db(), sql);
    std::string details;
    while (plan.executeStep()) {
      details += plan.getColumn(3).getString() + "\n";
    }
    CAPTURE(details);
    CHECK(details.find("COVERING INDEX nps_answers_breakdown") != std::string::npos);
    CHECK(details.find("TEMP B-TREE") == std::string::npos);
  }
}

TEST_CASE("fingerprints differ by column boundaries and occurrence", "[nps-store]") {
  std::array<std::string_view, 6> a = {"2026-11-01", "9", "ab", "c", "", ""};
  std::array<std::string_view, 6> b = {"2026-11-01", "9", "a", "bc", "", ""};
  CHECK(nps_fingerprint(a, 1) != nps_fingerprint(b, 1));
  CHECK(nps_fingerprint(a, 1) != nps_fingerprint(a, 2));
  CHECK(nps_fingerprint(a, 1) == nps_fingerprint(a, 1));
}

TEST_CASE("a format 1 ledger gains nps_answers on open and keeps its entries", "[nps-store]") {
  std::filesystem::path file = std::filesystem::temp_directory_path() /
                               ("pm-format1-" + std::to_string(::getpid()) + ".db");
  {
    // What pm wrote before NPS: step 1 only.
    SQLite::Database db(file.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db.exec(schema_steps().at(0).sql);
    db.exec("PRAGMA application_id = " + std::to_string(Ledger::k_application_id));
    db.exec("PRAGMA user_version = 1");
    db.exec("INSERT INTO entries (kind, recorded_at, effective_at, author, source, text) VALUES "
            "('agreement', '2026-11-01T10:00:00Z', '2026-11-01T10:00:00Z', 'a', 'cli', 'Kept')");
  }
  {
    // A reading command brings an old ledger forward too: the user just upgraded pm.
    Ledger reader(file.string(), Ledger::Mode::read_only);
    CHECK(reader.format() == Ledger::k_format);
    CHECK(total(reader).n() == 0);
  }
  {
    Ledger ledger(file.string());
    CHECK(ledger.format() == Ledger::k_format);
    CHECK(ledger.find(1)->text == "Kept");
    CHECK(total(ledger).n() == 0);
    import_text(ledger, "date,score\n2026-11-02,10\n");
    CHECK(total(ledger).promoters == 1);
  }
  Ledger reader(file.string(), Ledger::Mode::read_only);
  CHECK(total(reader).n() == 1);
  for (const char* suffix : {"", "-wal", "-shm"}) {
    std::filesystem::remove(file.string() + suffix);
  }
}

TEST_CASE("a format 8 ledger's nps answers keep their rows and verify after step 9",
          "[nps-store]") {
  std::filesystem::path file = std::filesystem::temp_directory_path() /
                               ("pm-format8-" + std::to_string(::getpid()) + ".db");
  {
    // What pm wrote before imports became one entry: steps 1 to 8, an answer as an nps entry
    // with its row, as pm nps add and pm nps import both wrote them.
    SQLite::Database db(file.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    for (std::size_t i = 0; i < 8; ++i) {
      db.exec(schema_steps().at(i).sql);
      if (schema_steps().at(i).after != nullptr) {
        schema_steps().at(i).after(db);
      }
    }
    db.exec("PRAGMA application_id = " + std::to_string(Ledger::k_application_id));
    db.exec("PRAGMA user_version = 8");
    std::string prev;
    for (int id = 1; id <= 2; ++id) {
      StoredEntry e{id, "nps", "2026-11-01T10:00:00Z", "2026-10-31T21:00:00Z", "a", "import",
                    id == 1 ? "Fast" : "", "", "",
                    fmt::format(R"({{"score":{},"date":"2026-11-01","client":"ACME","contact":"",)"
                                R"("manager":"Anna","fingerprint":"{:016x}"}})",
                                id == 1 ? 9 : 4, id * 1000),
                    ""};
      std::string hash = entry_hash(prev, e);
      SQLite::Statement insert(db, "INSERT INTO entries (id, kind, recorded_at, effective_at, "
                                   "author, source, text, data, prev_hash, hash) VALUES "
                                   "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
      insert.bind(1, id);
      insert.bind(2, e.kind);
      insert.bind(3, e.recorded_at);
      insert.bind(4, e.effective_at);
      insert.bind(5, e.author);
      insert.bind(6, e.source);
      insert.bind(7, e.text);
      insert.bind(8, e.data);
      insert.bind(9, prev);
      insert.bind(10, hash);
      insert.exec();
      db.exec(fmt::format("INSERT INTO nps_answers VALUES ({}, '2026-11-01', {}, 'ACME', '', "
                          "'Anna', {})",
                          id, id == 1 ? 9 : 4, id * 1000));
      prev = hash;
    }
  }
  {
    Ledger ledger(file.string());
    CHECK(ledger.format() == Ledger::k_format);
    CHECK(count(ledger, "SELECT count(*) FROM nps_answers WHERE id = entry_id") == 2);
    CHECK(total(ledger).promoters == 1);
    CHECK(total(ledger).detractors == 1);
    CHECK(verify_chain(ledger.db()).ok);
    CHECK(check_derived_tables(ledger.db()).empty());
    CHECK(check_schema_objects(ledger.db()).empty());
    // The ledger holds fingerprints: a new import looks its rows up, and its entry follows.
    import_text(ledger, "date,score\n2026-11-02,10\n");
    CHECK(total(ledger).n() == 3);
    CHECK(ledger.find(3)->kind == "nps-import");
    CHECK(count(ledger, "SELECT entry_id FROM nps_answers WHERE answered_on = '2026-11-02'") == 3);
    CHECK(verify_chain(ledger.db()).ok);
    CHECK(check_derived_tables(ledger.db()).empty());
    CHECK(check_schema_objects(ledger.db()).empty());
  }
  for (const char* suffix : {"", "-wal", "-shm"}) {
    std::filesystem::remove(file.string() + suffix);
  }
}

TEST_CASE("an import into a ledger with fingerprints and one without keep the unique index",
          "[nps-store]") {
  Ledger ledger(":memory:", Ledger::Mode::create);
  const std::string index =
      "SELECT sql FROM sqlite_master WHERE name = 'nps_answers_fingerprint'";
  const std::string before = ledger.db().execAndGet(index).getString();
  CHECK(before == nps_fingerprint_index_sql());
  import_text(ledger, "date,score\n2026-11-01,9\n2026-11-01,9\n");  // none recorded before
  CHECK(ledger.db().execAndGet(index).getString() == before);
  import_text(ledger, "date,score\n2026-11-01,9\n2026-11-01,9\n2026-11-01,9\n");  // some were
  CHECK(ledger.db().execAndGet(index).getString() == before);
  CHECK(check_schema_objects(ledger.db()).empty());
  CHECK(check_derived_tables(ledger.db()).empty());
  CHECK(total(ledger).n() == 3);
  // The index refuses a fingerprint twice, whoever writes it.
  CHECK_THROWS(ledger.db().exec("INSERT INTO nps_answers (entry_id, answered_on, score, client, "
                                "contact, manager, fingerprint) SELECT entry_id, answered_on, "
                                "score, client, contact, manager, fingerprint FROM nps_answers "
                                "LIMIT 1"));
  // A failed import leaves the index as it was.
  Ledger empty(":memory:", Ledger::Mode::create);
  CHECK_THROWS(import_text(empty, "date,score\n2026-11-01,9\n2026-11-01,11\n"));
  CHECK(empty.db().execAndGet(index).getString() == before);
}

TEST_CASE("an import's digest covers each answer's fields in row order", "[nps-store]") {
  Ledger ledger(":memory:", Ledger::Mode::create);
  import_text(ledger, "date,score,contact,comment\n2026-11-01,9,Ivan,Fast\n"
                      "2026-11-01T23:30:00Z,4,,\n");
  auto e = ledger.find(1);
  REQUIRE(e);
  std::string forms;
  append_answer_record(forms, AnswerRecord{"2026-11-01", 9, "ACME Corp", "Ivan", "Anna Petrova",
                                           "Fast", "",
                                           fingerprint_hex(nps_fingerprint(
                                               {"2026-11-01", "9", "", "Ivan", "", "Fast"}, 1))});
  append_answer_record(forms,
                       AnswerRecord{"2026-11-02", 4, "ACME Corp", "", "Anna Petrova", "",
                                    "2026-11-01T23:30:00Z",
                                    fingerprint_hex(nps_fingerprint(
                                        {"2026-11-01T23:30:00Z", "4", "", "", "", ""}, 1))});
  CHECK(forms.starts_with("10:2026-11-01\n1:9\n9:ACME Corp\n4:Ivan\n12:Anna Petrova\n4:Fast\n0:\n16:"));
  CHECK(e->data["digest"] == sha256_hex(forms));
  CHECK(e->data["file"] == "answers.csv");
  CHECK(check_nps_imports(ledger.db()).empty());
}
