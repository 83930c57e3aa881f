// Tampering is caught and corruption is named: each edit a person with the sqlite3 tool (or a
// text editor, or a bad disk) could make to a copy of a ledger, and what pm says about it.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <random>

#include <unistd.h>

#include <SQLiteCpp/SQLiteCpp.h>

#include "harness.hpp"

using namespace pm::test;
namespace fs = std::filesystem;

namespace {

/// Puts an append-only trigger back exactly as schema step 1 or 2 creates it.
std::string restore_trigger(const std::string& name, const std::string& table) {
  return "CREATE TRIGGER " + name + " BEFORE DELETE ON " + table +
         "\nBEGIN SELECT RAISE(ABORT, 'ledger entries are append-only'); END;";
}

fs::path ledger_of(const Project& p) { return p.root() / "work/.pm/ledger.db"; }

/// Edits the ledger behind pm's back.
void tamper(const Project& p, const std::string& sql) {
  SQLite::Database db(ledger_of(p).string(), SQLite::OPEN_READWRITE);
  db.exec(sql);
}

/// A project with an entry of every kind the derived tables follow.
void fill(const Project& p) {
  for (std::vector<std::string> args : {
           std::vector<std::string>{"log-agreement", "Launch on 12 December", "--due",
                                    "2026-12-12"},
           std::vector<std::string>{"change", "propose", "Add a blog", "--reason", "asked",
                                    "--calendar-days", "--days", "5"},
           std::vector<std::string>{"change", "approve", "1", "--side", "client", "--by",
                                    "Ivan Sidorov"},
           std::vector<std::string>{"change", "approve", "1", "--side", "team"},
           std::vector<std::string>{"risk", "add", "Texts late", "--probability", "high",
                                    "--impact", "medium"},
           std::vector<std::string>{"nps", "add", "9"},
           std::vector<std::string>{"done", "Catalogue built"},
       }) {
    Result r = p.pm(args);
    INFO(r.err);
    REQUIRE(r.code == 0);
  }
}

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

/// The anchor a letter's footer prints: "Ledger: N:HASH".
std::string footer_anchor(const std::string& letter) {
  auto at = letter.rfind("Ledger: ");
  REQUIRE(at != std::string::npos);
  return letter.substr(at + 8, letter.find('\n', at) - at - 8);
}

}  // namespace

TEST_CASE("verify prints the head, kept in .pm/head and in every letter and report",
          "[tamper]") {
  Project p;
  fill(p);
  Result r = p.pm({"verify"});
  REQUIRE(r.code == 0);
  std::string head = read(p.root() / "work/.pm/head");
  REQUIRE(head.size() == std::string("7:").size() + 64 + 1);
  CHECK(head.starts_with("7:"));
  CHECK(r.out == "ok: 7 entries, the hash chain, derived tables, triggers and indexes are "
                 "intact\nhead: " + head);
  std::string anchor = footer_anchor(p.pm({"render", "agreement-confirmation"}).out);
  CHECK(anchor == head.substr(0, 2 + 16));
  CHECK(footer_anchor(p.pm({"report"}).out) == anchor);
  CHECK(footer_anchor(p.pm({"report", "--format", "md"}).out) == anchor);
  CHECK(has(p.pm({"report", "--format", "json"}).out, "\"ledger\": \"" + head.substr(0, 66)));
  std::string eml = p.pm({"render", "agreement-confirmation", "--format", "eml"}).out;
  CHECK(has(eml, "X-PM-Ledger:"));
  CHECK(has(eml, head.substr(2, 64)));
  CHECK(p.pm({"verify", "--head", anchor}).code == 0);
  CHECK(p.pm({"verify", "--head", head.substr(0, 2 + 12)}).code == 0);
  Result short_anchor = p.pm({"verify", "--head", head.substr(0, 2 + 11)});
  CHECK(short_anchor.code == 1);
  CHECK(has(short_anchor.err, "at least 12 hex digits"));
  // A later entry leaves an older anchor valid: the ledger only grows.
  REQUIRE(p.pm({"done", "More"}).code == 0);
  CHECK(p.pm({"verify", "--head", anchor}).code == 0);
  CHECK(read(p.root() / "work/.pm/head").starts_with("8:"));
}

TEST_CASE("entries cut off the end are caught against .pm/head and against an anchor",
          "[tamper][local-only]") {
  // local-only: on a server the record is the server's, and a replica cut short is filled
  // again from it on the next command (tests/server/test_server.py).
  Project p;
  fill(p);
  std::string anchor = footer_anchor(p.pm({"render", "agreement-confirmation"}).out);
  std::string head = read(p.root() / "work/.pm/head");
  tamper(p, "DROP TRIGGER entries_no_delete; DELETE FROM entries WHERE id >= 6; " +
                restore_trigger("entries_no_delete", "entries"));
  Result r = p.pm({"verify"});
  CHECK(r.code == 5);
  CHECK(has(r.err, "the ledger ends at entry 5, but the head names entry 7"));
  SECTION("the head file rewritten too: only the client's anchor catches it") {
    std::ofstream(p.root() / "work/.pm/head") << "0:\n";
    tamper(p, "DROP TRIGGER nps_answers_no_delete; DELETE FROM nps_answers; " +
                  restore_trigger("nps_answers_no_delete", "nps_answers"));
    CHECK(p.pm({"verify"}).code == 0);  // consistent again: .pm/head was rewritten too
    Result r2 = p.pm({"verify", "--head", anchor});
    CHECK(r2.code == 5);
    CHECK(has(r2.err, "against --head " + anchor));
    CHECK(has(r2.err, "entries 6..7 were cut off the end"));
  }
  SECTION("a rewritten chain does not match an anchor's hash") {
    Result r2 = p.pm({"verify", "--head", "5:" + std::string(12, 'a')});
    CHECK(r2.code == 5);
    CHECK(has(r2.err, "entry 5 has hash"));
  }
}

TEST_CASE("edits of the derived tables, triggers and indexes are caught", "[tamper]") {
  Project p;
  fill(p);
  REQUIRE(p.pm({"verify"}).code == 0);
  std::string sql, expect;
  SECTION("change_approvals moved the deadline") {
    sql = "UPDATE change_approvals SET days = 500, total_days = 500";
    expect = "table change_approvals differs from what the entries imply";
  }
  SECTION("an item closed behind pm's back") {
    sql = "UPDATE items SET closed_at = '2026-01-01T00:00:00Z' WHERE id = 1";
    expect = "table items differs";
  }
  SECTION("an NPS score raised, its trigger dropped first") {
    sql = "DROP TRIGGER nps_answers_no_update; UPDATE nps_answers SET score = 10";
    expect = "table nps_answers differs";
  }
  SECTION("a row inserted into a derived table") {
    sql = "INSERT INTO items VALUES (3, 'risk', '2026-01-01T00:00:00Z', NULL, "
          "'9999-12-31T23:59:59Z')";
    expect = "table items differs";
  }
  SECTION("a dropped trigger") {
    sql = "DROP TRIGGER entries_no_update";
    expect = "trigger entries_no_update is missing";
  }
  SECTION("a dropped index") {
    sql = "DROP INDEX items_open";
    expect = "index items_open is missing";
  }
  SECTION("a changed index") {
    sql = "DROP INDEX entries_due; CREATE INDEX entries_due ON entries (due)";
    expect = "index entries_due is not as pm creates it";
  }
  SECTION("a trigger pm did not create") {
    sql = "CREATE TRIGGER quiet AFTER INSERT ON entries BEGIN SELECT 1; END";
    expect = "trigger quiet on entries is not pm's";
  }
  tamper(p, sql);
  Result r = p.pm({"verify"});
  CHECK(r.code == 5);
  CHECK(has(r.err, expect));
  Result json = p.pm({"verify", "--json"});
  CHECK(json.code == 5);
  CHECK(has(json.out, "\"ok\": false"));
}

TEST_CASE("a reading command warns once when pm's triggers are missing", "[tamper]") {
  Project p;
  fill(p);
  tamper(p, "DROP TRIGGER entries_no_update; DROP TRIGGER items_add");
  Result r = p.pm({"agreements"});
  CHECK(r.code == 0);
  CHECK(r.err == "pm: warning: ledger " + ledger_of(p).string() +
                     " lacks pm's triggers (entries_no_update, items_add): it was edited "
                     "outside pm; run 'pm verify'\n");
  CHECK(Project().pm({"agreements"}).err.empty());
}

TEST_CASE("an export cut at a line boundary is refused on import", "[tamper][export]") {
  Project source;
  fill(source);
  for (const std::string format : {"jsonl", "csv"}) {
    std::string text = source.pm({"export", "--format", format}).out;
    std::string eol = format == "csv" ? "\r\n" : "\n";
    // Drop the final record, then also the last entry: both cut at a line boundary.
    std::string cut = text.substr(0, text.rfind(eol, text.size() - eol.size() - 1) + eol.size());
    std::string cut_more = cut.substr(0, cut.rfind(eol, cut.size() - eol.size() - 1) + eol.size());
    for (const auto& [name, content] : {std::pair{"cut." + format, cut},
                                        std::pair{"cut-more." + format, cut_more}}) {
      std::ofstream(source.root() / name, std::ios::binary) << content;
      Project target;
      Result r = target.pm({"import", (source.root() / name).string()});
      INFO(name << ": " << r.err);
      CHECK(r.code == 1);
      CHECK(has(r.err, "has no final record"));
      CHECK(target.entry_count() == 0);
    }
    // A final record that disagrees with the entries before it: an entry cut from the middle
    // of the chain would fail its hash, so take the last entry out and keep the record.
    std::string last_gone = cut_more + text.substr(cut.size());
    std::ofstream(source.root() / ("gone." + format), std::ios::binary) << last_gone;
    Project target;
    Result r = target.pm({"import", (source.root() / ("gone." + format)).string()});
    CHECK(r.code == 1);
    CHECK(has(r.err, "the final record says 7:"));
    CHECK(target.entry_count() == 0);
  }
}

TEST_CASE("a zero-length, truncated or foreign ledger.db is refused with a way back",
          "[tamper][corrupt]") {
  Project p;
  fill(p);
  fs::path ledger = ledger_of(p);
  std::string expect;
  SECTION("zero length") {
    fs::resize_file(ledger, 0);
    expect = "is empty (0 bytes)";
  }
  SECTION("half the file") {
    fs::resize_file(ledger, fs::file_size(ledger) / 2);
    expect = "is truncated";
  }
  SECTION("a text file") {
    std::ofstream(ledger, std::ios::trunc) << "notes\n";
    expect = "is not a SQLite database";
  }
  SECTION("a plain SQLite database") {
    fs::remove(ledger);
    for (const char* suffix : {"-wal", "-shm"}) {
      fs::remove(ledger.string() + suffix);
    }
    SQLite::Database db(ledger.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db.exec("CREATE TABLE t (x)");
    expect = "is a SQLite database but not a pm ledger";
  }
  auto size = fs::file_size(ledger);
  for (std::vector<std::string> args : {std::vector<std::string>{"agreements"},
                                        std::vector<std::string>{"verify"},
                                        std::vector<std::string>{"done", "x"}}) {
    Result r = p.pm(args);
    INFO(args[0] << ": " << r.err);
    CHECK(r.code == 5);
    CHECK(has(r.err, expect));
    CHECK(has(r.err, "'pm import' the latest export"));
    CHECK(r.out.empty());
  }
  CHECK(fs::file_size(ledger) == size);  // never re-created
}

TEST_CASE("corrupted pages fail every command that reads them, never exit 0",
          "[tamper][corrupt]") {
  Project p;
  REQUIRE(p.pm({"nps", "add", "9"}).code == 0);
  std::string long_text(400, 'x');
  for (int i = 0; i < 60; ++i) {
    REQUIRE(p.pm({"log-agreement", "Agreement " + std::to_string(i) + " " + long_text}).code == 0);
    REQUIRE(p.pm({"nps", "add", std::to_string(i % 11)}).code == 0);
  }
  fs::path ledger = ledger_of(p);
  REQUIRE(fs::file_size(ledger) > 16 * 4096);
  {
    // Overwrite the middle third with noise, as a failing disk would.
    std::fstream f(ledger, std::ios::in | std::ios::out | std::ios::binary);
    auto size = static_cast<std::streamoff>(fs::file_size(ledger));
    f.seekp(size / 3);
    std::mt19937 noise(42);
    for (std::streamoff i = size / 3; i < 2 * size / 3; ++i) {
      f.put(static_cast<char>(noise()));
    }
  }
  for (std::vector<std::string> args :
       {std::vector<std::string>{"export"}, std::vector<std::string>{"nps"},
        std::vector<std::string>{"report"}, std::vector<std::string>{"verify"}}) {
    Result r = p.pm(args);
    INFO(args[0] << ": " << r.err);
    CHECK(r.code == 5);
    CHECK(r.out.empty());
    CHECK((has(r.err, "damaged") || has(r.err, "integrity check failed")));
  }
}

TEST_CASE("a ledger the user cannot write is read by every reading command", "[tamper][ro]") {
  Project p;
  fill(p);
  std::string letter_before = p.pm({"render", "agreement-confirmation"}).out;
  // Another user reads: the project's files stay root's, readable by all, writable by none.
  fs::path home = p.root() / "nobody-home";
  fs::create_directories(home);
  fs::permissions(home, fs::perms::all);
  for (const auto& entry : fs::recursive_directory_iterator(p.root())) {
    if (entry.path().string().starts_with(home.string())) {
      continue;
    }
    fs::permissions(entry.path(),
                    entry.is_directory() ? fs::perms(0755) : fs::perms(0644));
  }
  fs::permissions(p.root(), fs::perms(0755));
  std::string setpriv = "/usr/bin/setpriv";
  Result probe = sh(setpriv + " --reuid=nobody --regid=nogroup --clear-groups true", p.root(),
                    p.env);
  if (!fs::exists(setpriv) || probe.code != 0 || ::geteuid() != 0) {
    WARN("skipped: cannot run pm as nobody here (needs root and setpriv)");
    return;
  }
  auto env = p.env;
  env["HOME"] = home.string();
  env["XDG_DATA_HOME"] = (home / ".local/share").string();
  env["XDG_CONFIG_HOME"] = (home / ".config").string();
  auto as_nobody = [&](const std::string& args) {
    return sh(setpriv + " --reuid=nobody --regid=nogroup --clear-groups " PM_BINARY " " + args,
              p.root() / "work", env);
  };
  for (const char* args : {"agreements", "report", "export", "verify", "log", "nps"}) {
    Result r = as_nobody(args);
    INFO(args << ": " << r.err);
    CHECK(r.code == 0);
    CHECK_FALSE(r.out.empty());
  }
  CHECK(as_nobody("render agreement-confirmation").out == letter_before);
  Result write = as_nobody("done 'not mine'");
  CHECK(write.code == 1);
  CHECK(has(write.err, "pm: error: cannot"));
}

TEST_CASE("imported NPS answers verify, and their fingerprints survive an export and import",
          "[tamper][nps]") {
  const std::string csv = "date,score,client\n2026-11-03,9,ACME\n2026-11-04,3,Globex\n";
  Project p;
  REQUIRE(p.pm({"nps", "import", "-"}, csv).code == 0);
  Result verify = p.pm({"verify"});
  INFO(verify.err);
  CHECK(verify.code == 0);
  // A fingerprint changed behind pm's back no longer matches the digest the import's hash
  // covers.
  tamper(p, "DROP TRIGGER nps_answers_no_update; UPDATE nps_answers SET fingerprint = 1 "
            "WHERE entry_id = 1 AND score = 9");
  Result edited = p.pm({"verify"});
  CHECK(edited.code == 5);
  CHECK(has(edited.err, "entry 1 (an NPS import): its answers in nps_answers no longer match "
                        "the digest its hash covers: an answer was changed outside pm"));

  Project fresh;
  Project copy;
  REQUIRE(fresh.pm({"nps", "import", "-"}, csv).code == 0);
  Result exported = fresh.pm({"export"});
  REQUIRE(exported.code == 0);
  REQUIRE(copy.pm({"import", "-"}, exported.out).code == 0);
  CHECK(copy.pm({"verify"}).code == 0);
  CHECK(copy.pm({"export"}).out == exported.out);
  // The copy knows the file was imported: importing it again adds nothing.
  Result again = copy.pm({"nps", "import", "-"}, csv);
  CHECK(again.code == 0);
  CHECK(has(again.err, "All 2 answers in stdin were already recorded; nothing was added"));
  CHECK(copy.entry_count() == 1);
}

TEST_CASE("an imported NPS answer changed added or removed fails verify",
          "[tamper][nps][local-only]") {
  // local-only: the answers are edited in .pm/ledger.db, on a server only this machine's copy.
  Project p;
  REQUIRE(p.pm({"nps", "add", "7"}).code == 0);
  REQUIRE(p.pm({"nps", "import", "-"},
               "date,score,client,comment\n2026-11-03,9,ACME,Fast\n2026-11-04,3,Globex,\n"
               "2026-11-05,10,ACME,Clear\n")
              .code == 0);
  REQUIRE(p.pm({"verify"}).code == 0);
  std::string sql, expect;
  SECTION("a comment rewritten") {
    sql = "DROP TRIGGER nps_answers_no_update; UPDATE nps_answers SET comment = 'Slow' "
          "WHERE comment = 'Fast'";
    expect = "entry 2 (an NPS import): its answers in nps_answers no longer match the digest "
             "its hash covers: an answer was changed outside pm";
  }
  SECTION("a score raised") {
    sql = "DROP TRIGGER nps_answers_no_update; UPDATE nps_answers SET score = 10 WHERE score = 3";
    expect = "entry 2 (an NPS import): its answers in nps_answers no longer match";
  }
  SECTION("a row removed") {
    sql = "DROP TRIGGER nps_answers_no_delete; DELETE FROM nps_answers WHERE score = 3; " +
          restore_trigger("nps_answers_no_delete", "nps_answers");
    expect = "entry 2 (an NPS import) covers 3 answers, but nps_answers holds 2 rows for it: "
             "answers were added or removed outside pm";
  }
  SECTION("a row added") {
    sql = "INSERT INTO nps_answers (entry_id, answered_on, score, client, contact, manager, "
          "comment) VALUES (2, '2026-11-06', 10, 'ACME', '', 'Anna', '')";
    expect = "entry 2 (an NPS import) covers 3 answers, but nps_answers holds 4 rows for it";
  }
  SECTION("a row naming an entry that records no answer") {
    sql = "INSERT INTO nps_answers (entry_id, answered_on, score, client, contact, manager) "
          "VALUES (7, '2026-11-06', 10, 'ACME', '', 'Anna')";
    expect = "table nps_answers differs from what the entries imply (1 rows not implied";
  }
  SECTION("a row moved from the import to the answer added by hand") {
    sql = "DROP TRIGGER nps_answers_no_update; UPDATE nps_answers SET entry_id = 1 "
          "WHERE score = 10";
    expect = "covers 3 answers, but nps_answers holds 2 rows for it";
  }
  tamper(p, sql);
  Result r = p.pm({"verify"});
  INFO(r.err);
  CHECK(r.code == 5);
  CHECK(has(r.err, expect));
}
