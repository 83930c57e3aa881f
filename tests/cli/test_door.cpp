// Nothing bad gets in, whatever is in prints safely (docs/reliability.md): every input is
// checked at the door, and a ledger holding bad bytes and controls (an older one, or one
// written with sqlite3) still exports, lists, reports and renders, with them escaped.
#include <catch2/catch.hpp>
#include <algorithm>
#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sys/stat.h>

#include <SQLiteCpp/SQLiteCpp.h>

#include "harness.hpp"

using namespace pm::test;

namespace {

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

/// True when `text` holds a C0 control other than LF and TAB, DEL, or a C1 control.
bool has_raw_control(const std::string& text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7F) {
      return true;
    }
    if (c == 0xC2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) >= 0x80 &&
        static_cast<unsigned char>(text[i + 1]) <= 0x9F) {
      return true;
    }
  }
  return false;
}

/// Writes rows straight into the ledger, as sqlite3 could (the triggers allow INSERT).
void insert_raw(const Project& p, const std::string& kind, const std::string& author,
                const std::string& text, const std::string& data) {
  SQLite::Database db((p.root() / "work/.pm/ledger.db").string(), SQLite::OPEN_READWRITE);
  SQLite::Statement insert(db,
                           "INSERT INTO entries (kind, recorded_at, effective_at, author, source, "
                           "text, data) VALUES (?, '2026-11-18T10:00:00Z', "
                           "'2026-11-18T10:00:00Z', ?, 'cli', ?, ?)");
  insert.bind(1, kind);
  insert.bind(2, author);
  insert.bind(3, text);
  insert.bind(4, data);
  insert.exec();
  // Its per-kind number, as pm's own insert gives one (numbered kinds only).
  if (kind == "agreement" || kind == "change" || kind == "decision" || kind == "risk") {
    SQLite::Statement number(db, "INSERT INTO numbers (entry_id, kind, number) SELECT "
                                 "last_insert_rowid(), ?1, 1 + (SELECT count(*) FROM numbers "
                                 "WHERE kind = ?1)");
    number.bind(1, kind);
    number.exec();
  }
}

const std::string k_bad_utf8 = "caf\xC3\x28";
const std::string k_terminal_attack = "\x1B]0;X\x07\x1B[2J";

}  // namespace

TEST_CASE("door: text that is not UTF-8 is refused with exit 2, naming the option, and nothing "
          "is written",
          "[door]") {
  Project p;
  Result r = p.pm({"log-agreement", k_bad_utf8});
  CHECK(r.code == 2);
  CHECK(has(r.err, "text: not valid UTF-8"));
  CHECK(r.out.empty());
  CHECK(p.entry_count() == 0);
  r = p.pm({"log-agreement", "Launch", "--with", k_bad_utf8});
  CHECK(r.code == 2);
  CHECK(has(r.err, "--with: not valid UTF-8"));
  r = p.pm({"--author", k_bad_utf8, "log-agreement", "Launch"});
  CHECK(r.code == 2);
  CHECK(has(r.err, "--author: not valid UTF-8"));
  r = p.pm({"people", "add", "Caf\xC3\x28 <cafe@example.com>"});
  CHECK(r.code == 2);
  CHECK(has(r.err, "who: not valid UTF-8"));
  CHECK(p.entry_count() == 0);
  // The error message itself shows the bad byte as U+FFFD, not raw.
  CHECK(r.err.find('\xC3') == std::string::npos);
}

TEST_CASE("door: line breaks and controls in single-line options are refused", "[door]") {
  Project p;
  const std::vector<std::vector<std::string>> commands = {
      {"log-agreement", "Launch", "--with", "Ivan\r\nBcc: x@evil.example"},
      {"log-agreement", "Launch", "--tag", "a\nb"},
      {"log-agreement", "Launch", "--with", "Ivan" + k_terminal_attack},
      {"--author", "Anna\nPetrova", "log-agreement", "Launch"},
      {"change", "propose", "Blog", "--reason", "asked", "--currency", "EU\rR", "--cost", "1"},
      {"risk", "add", "Late", "--owner", "Ivan\x7F"},
      {"nps", "add", "9", "--contact", "Ivan\xC2\x85"},
      {"people", "add", "Ivan\n <i@example.com>"},
      {"people", "add", "Olga <olga@example.com>", "--role", "app\nrover"},
  };
  for (const auto& args : commands) {
    Result r = p.pm(args);
    INFO(args[1] << ": " << r.err);
    CHECK(r.code == 2);
    CHECK(has(r.err, "which it may not hold"));
    CHECK(!has_raw_control(r.err));
  }
  CHECK(p.entry_count() == 0);
  Result change = p.pm({"change", "approve", "1", "--side", "client", "--by", "Ivan\r\nX"});
  CHECK(change.code == 2);
  TempDir dir;
  Result init = run({"init", "--name", "Site\r\nBcc: x@evil.example"}, dir.path(),
                    test_env(dir.path()));
  CHECK(init.code == 2);
  CHECK(has(init.err, "--name: contains a carriage return"));
  CHECK(!std::filesystem::exists(dir / ".pm"));
}

TEST_CASE("door: multi-line texts allow LF and TAB only, sizes are limited", "[door]") {
  Project p;
  CHECK(p.pm({"log-agreement", "Launch\n\tfirst\n\tsecond"}).code == 0);
  Result r = p.pm({"log-agreement", "Launch" + k_terminal_attack});
  CHECK(r.code == 2);
  CHECK(has(r.err, "text: contains the control character U+001B"));
  CHECK(p.pm({"done", "Built\r\n"}).code == 2);
  CHECK(p.pm({"nps", "add", "9", "--comment", "ok\x07"}).code == 2);
  CHECK(p.pm({"log-agreement", std::string(64 * 1024 + 1, 'a')}).code == 2);
  CHECK(p.pm({"log-agreement", "Launch", "--with", std::string(4097, 'a')}).code == 2);
  CHECK(p.pm({"log-agreement", "Launch", "--with", std::string(4096, 'a')}).code == 0);
  CHECK(p.entry_count() == 2);
}

TEST_CASE("door: the environment is checked too: PM_AUTHOR, PM_DIR, PM_NOW", "[door]") {
  Project p;
  Project other;
  p.env["PM_AUTHOR"] = "Anna\x1B[2J";
  Result r = p.pm({"log-agreement", "Launch"});
  CHECK(r.code == 2);
  CHECK(has(r.err, "PM_AUTHOR: contains the control character U+001B"));
  p.env["PM_AUTHOR"] = "Anna";
  // PM_DIR is a path, which may hold a line break; this one names no project.
  p.env["PM_DIR"] = (other.root() / "work").string() + "\n";
  r = p.pm({"log-agreement", "Launch"});
  CHECK(r.code == 3);
  CHECK(has(r.err, "holds no pm project"));
  CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  p.env.erase("PM_DIR");
  p.env["PM_NOW"] = "0001-01-01T00:00:00Z";
  r = p.pm({"log-agreement", "Launch"});
  CHECK(r.code == 1);
  CHECK(has(r.err, "PM_NOW"));
  CHECK(p.entry_count() == 0);
}

TEST_CASE("door: dates and instants outside 1900..9999 after zone conversion are refused",
          "[door]") {
  Project p;
  Result r = p.pm({"log-agreement", "Launch", "--meeting", "9999-12-31T23:59:59-12:00"});
  CHECK(r.code == 1);
  CHECK(has(r.err, "--meeting: 9999-12-31T23:59:59-12:00 is after 9999 in UTC"));
  r = p.pm({"log-agreement", "Launch", "--due", "1899-12-31"});
  CHECK(r.code == 1);
  CHECK(has(r.err, "--due: 1899-12-31 is before 1900"));
  CHECK(p.pm({"log-agreement", "Launch", "--meeting", "1900-01-01T02:00:00+03:00"}).code == 1);
  CHECK(p.entry_count() == 0);
  CHECK(p.pm({"log-agreement", "Launch", "--meeting", "9999-12-31T23:59:59Z"}).code == 0);
  CHECK(p.pm({"log-agreement", "Launch", "--meeting", "1900-01-01T00:00:00Z"}).code == 0);
}

TEST_CASE("door: endless input (/dev/zero) is refused quickly, with bounded memory", "[door]") {
  Project p;
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"nps", "import", "/dev/zero"},
           {"render", "weekly-status", "--data", "/dev/zero"},
           {"templates", "check", "/dev/zero"},
           {"import", "/dev/zero"},
       }) {
    auto start = std::chrono::steady_clock::now();
    Result r = p.pm(args);
    auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start);
    INFO(args[0] << " " << args[1] << ": " << r.err);
    CHECK(r.code == 1);
    CHECK((has(r.err, "the limit") || has(r.err, "larger than")));
    CHECK(seconds.count() < 10);
    CHECK(r.out.empty());
  }
  CHECK(p.entry_count() == 0);
}

TEST_CASE("door: bad files name their line: templates, --data, NPS CSV", "[door]") {
  Project p;
  std::ofstream(p.root() / "work/data.yaml") << "a: 1\nb: \"x\x1B[2J\"\n";
  Result r = p.pm({"render", "weekly-status", "--data", "data.yaml"});
  CHECK(r.code == 1);
  CHECK(has(r.err, "data.yaml:2: contains the control character U+001B"));
  std::ofstream(p.root() / "work/answers.csv")
      << "date,score,comment\n2026-11-03,9,fine\n2026-11-04,7,caf\xC3\x28\n";
  r = p.pm({"nps", "import", "answers.csv"});
  CHECK(r.code == 1);
  CHECK(has(r.err, "answers.csv:3"));
  CHECK(p.entry_count() == 0);
  std::ofstream(p.root() / "work/letter.yaml") << "name: letter\ndescription: \"\x07\"\n";
  r = p.pm({"templates", "check", "letter.yaml"});
  CHECK(r.code == 1);
  CHECK(has(r.err, "letter.yaml:2: contains the control character U+0007"));
}

TEST_CASE("printed safely: a ledger holding bad bytes and controls still exports, lists, "
          "reports and renders, escaped",
          "[door][local-only]") {
  // local-only: the bad rows are written into .pm/ledger.db behind pm's back; on a server that
  // file is a replica, which then no longer matches the server, and pm refuses to write.
  Project p;
  REQUIRE(p.pm({"log-agreement", "Launch on 12 December", "--with", "Ivan Sidorov"}).code == 0);
  insert_raw(p, "agreement", "Anna" + k_bad_utf8, "Agreed: " + k_terminal_attack + "\r\nend",
             R"({"with":["Iv)" + k_bad_utf8 + R"("],"tags":[]})");
  insert_raw(p, "note", "Anna", "done \x1B[2J" + k_bad_utf8, R"({"on":"done"})");

  Result exported = p.pm({"export"});
  REQUIRE(exported.code == 0);
  CHECK(has(exported.out, "caf\xEF\xBF\xBD("));
  CHECK(has(exported.out, "\\u001b]0;X\\u0007"));
  CHECK(!has_raw_control(exported.out));
  Result csv = p.pm({"export", "--format", "csv"});
  REQUIRE(csv.code == 0);
  CHECK(has(csv.out, "caf\xEF\xBF\xBD("));

  for (const auto& args : std::vector<std::vector<std::string>>{
           {"agreements", "--json"}, {"log", "--json"}, {"report", "--format", "json",
                                                         "--week", "2026-W47"}}) {
    Result r = p.pm(args);
    INFO(args[0] << ": " << r.err);
    REQUIRE(r.code == 0);
    CHECK_NOTHROW(nlohmann::json::parse(r.out));
    CHECK(!has_raw_control(r.out));
    CHECK(r.out.find("caf\xC3\x28") == std::string::npos);
  }
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"agreements"}, {"log"}, {"report", "--week", "2026-W47"},
           {"report", "--format", "eml", "--week", "2026-W47"},
           {"render", "agreement-confirmation", "--set", "agreement=2"},
           {"render", "agreement-confirmation", "--set", "agreement=2", "--format", "eml"}}) {
    Result r = p.pm(args);
    INFO(args[0] << " " << args.back() << ": " << r.err);
    REQUIRE(r.code == 0);
    CHECK(!has_raw_control(r.out));
    CHECK(r.out.find("caf\xC3\x28") == std::string::npos);
  }
  Result table = p.pm({"agreements"});
  CHECK(has(table.out, "Agreed: \\x1b]0;X\\x07\\x1b[2J\\r\xE2\x8F\x8E" "end"));
  CHECK(has(table.out, "Ivcaf\xEF\xBF\xBD("));
  Result text = p.pm({"render", "agreement-confirmation", "--set", "agreement=2"});
  CHECK(has(text.out, "\\x1b]0;X\\x07\\x1b[2J\\r\nend"));
}

TEST_CASE("printed safely: a JSON listing is complete or absent", "[door]") {
  Project p;
  REQUIRE(p.pm({"log-agreement", "Launch"}).code == 0);
  // A row whose effective time pm cannot read fails the listing after the first row.
  SQLite::Database db((p.root() / "work/.pm/ledger.db").string(), SQLite::OPEN_READWRITE);
  db.exec("INSERT INTO entries (kind, recorded_at, effective_at, author, source, text) VALUES "
          "('agreement', '2026-11-19T10:00:00Z', 'soon', 'Anna', 'cli', 'Broken')");
  Result r = p.pm({"log", "--json"});
  CHECK(r.code != 0);
  CHECK(r.out.empty());
}
