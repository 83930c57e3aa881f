#include <catch2/catch.hpp>
#include <fstream>

#include <SQLiteCpp/SQLiteCpp.h>
#include <nlohmann/json.hpp>

#include "harness.hpp"

using namespace pm::test;
using Json = nlohmann::json;

namespace {

int answer_count(const Project& p) {
  SQLite::Database db((p.root() / "work/.pm/ledger.db").string(), SQLite::OPEN_READONLY);
  return db.execAndGet("SELECT count(*) FROM nps_answers").getInt();
}

bool has_text(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

void write(const std::filesystem::path& file, const std::string& text) {
  std::ofstream(file, std::ios::binary) << text;
}

/// 5 promoters, 3 passives and 2 detractors.
void add_ten(const Project& p) {
  for (const char* score : {"9", "10", "9", "10", "9", "7", "8", "7", "3", "6"}) {
    REQUIRE(p.pm({"nps", "add", score}).code == 0);
  }
}

}  // namespace

TEST_CASE("nps add records an answer with the project's client and manager", "[nps]") {
  Project p;
  Result r = p.pm({"nps", "add", "9", "--contact", "Ivan Sidorov", "--comment", "Clear and fast",
                   "--on", "2026-11-02"});
  REQUIRE(r.code == 0);
  CHECK(r.out == "1\n");
  CHECK(r.err == "Recorded 9 (promoter) from Ivan Sidorov (ACME Corp) on 2026-11-02\n");
  Result log = p.pm({"nps", "--json"});
  Json j = Json::parse(log.out);
  CHECK(j["total"]["answers"] == 1);
  CHECK(j["projects"][0]["name"] == "Website");
  Result by_manager = p.pm({"nps", "--by", "manager", "--json"});
  CHECK(Json::parse(by_manager.out)["groups"][0]["key"] == "Anna Petrova");
  Result other = p.pm({"nps", "add", "4", "--client", "Globex", "--manager", "Boris", "-q"});
  CHECK(other.code == 0);
  CHECK(other.err.empty());
  CHECK(answer_count(p) == 2);
}

TEST_CASE("nps add rejects anything but a whole number from 0 to 10", "[nps]") {
  Project p;
  for (const char* bad : {"11", "-1", "7.5", "ten"}) {
    CAPTURE(bad);
    Result r = p.pm({"nps", "add", bad});
    CHECK(r.code == 1);
    CHECK(r.err == std::string("pm: error: score: '") + bad + "' is not a score from 0 to 10\n");
    CHECK(r.out.empty());
  }
  CHECK(p.pm({"nps", "add", "5", "--on", "2026-02-30"}).code == 1);
  CHECK(p.pm({"nps", "add"}).code == 2);
  CHECK(p.entry_count() == 0);
  CHECK(answer_count(p) == 0);
}

TEST_CASE("nps reports counts, shares, NPS and its margin of error", "[nps]") {
  Project p;
  Result empty = p.pm({"nps"});
  CHECK(empty.code == 0);
  CHECK(empty.out.rfind("No NPS answers yet.", 0) == 0);
  add_ten(p);
  Result r = p.pm({"nps"});
  CHECK(r.code == 0);
  CHECK(r.out ==
        "NPS 30 ±48 (95% margin of error), from 10 answers\n"
        "                  ANSWERS  SHARE\n"
        "promoters (9-10)        5    50%\n"
        "passives (7-8)          3    30%\n"
        "detractors (0-6)        2    20%\n"
        "n = 10: too few answers for a reliable figure (30 or more are needed)\n");
  Json j = Json::parse(p.pm({"nps", "--json"}).out);
  CHECK(j["version"] == 1);
  CHECK(j["scope"] == "project");
  CHECK(j["by"].is_null());
  CHECK(j["total"]["promoters"] == 5);
  CHECK(j["total"]["passives"] == 3);
  CHECK(j["total"]["detractors"] == 2);
  CHECK(j["total"]["nps"].get<double>() == 30.0);
  CHECK(j["total"]["margin_of_error"].get<double>() ==
        Approx(1.96 * 100 * std::sqrt((0.5 + 0.2 - 0.3 * 0.3) / 10)));
  CHECK(j["total"]["reliable"] == false);
  CHECK(j["groups"].empty());
}

TEST_CASE("nps shows whole points and JSON the exact value", "[nps]") {
  Project p;
  for (const char* score : {"10", "8", "7"}) {
    REQUIRE(p.pm({"nps", "add", score}).code == 0);
  }
  CHECK(p.pm({"nps"}).out.rfind("NPS 33 ±", 0) == 0);
  Json j = Json::parse(p.pm({"nps", "--json"}).out);
  CHECK(j["total"]["nps"].get<double>() == Approx(100.0 / 3).epsilon(1e-12));
  CHECK(j["total"]["promoters_pct"].get<double>() == Approx(100.0 / 3).epsilon(1e-12));
}

TEST_CASE("nps --by client breaks it down, with a total and a footnote", "[nps]") {
  Project p;
  add_ten(p);
  REQUIRE(p.pm({"nps", "add", "0", "--client", "Globex"}).code == 0);
  Result r = p.pm({"nps", "--by", "client"});
  CHECK(r.code == 0);
  // all: p = 5/11, d = 3/11: 196 * sqrt((8/11 - (2/11)^2) / 11) = 49.2
  CHECK(r.out ==
        "CLIENT     ANSWERS  PROMOTERS  PASSIVES  DETRACTORS   NPS  MARGIN\n"
        "ACME Corp       10    5 (50%)   3 (30%)     2 (20%)    30    ±48*\n"
        "Globex           1     0 (0%)    0 (0%)    1 (100%)  -100     ±0*\n"
        "all             11    5 (45%)   3 (27%)     3 (27%)    18    ±49*\n"
        "* fewer than 30 answers: too few for a reliable figure\n");
  Json j = Json::parse(p.pm({"nps", "--by", "client", "--json"}).out);
  CHECK(j["by"] == "client");
  REQUIRE(j["groups"].size() == 2);
  CHECK(j["groups"][1]["key"] == "Globex");
  CHECK(j["groups"][1]["nps"].get<double>() == -100.0);
  CHECK(j["total"]["answers"] == 11);
}

TEST_CASE("nps over time: months with gaps, a chart, a period", "[nps]") {
  Project p;
  write(p.root() / "a.csv",
        "date,score\n2026-01-10,9\n2026-01-11,10\n2026-03-01,3\n2026-03-05,9\n2026-04-01,8\n");
  REQUIRE(p.pm({"nps", "import", "../a.csv"}).code == 0);
  Result r = p.pm({"nps", "--by", "month", "--chart"});
  CHECK(r.code == 0);
  // 2026-03: p = d = 1/2: 196 * sqrt(1 / 2) = 138.6; all: p = 3/5, d = 1/5:
  // 196 * sqrt((0.8 - 0.16) / 5) = 70.1
  CHECK(r.out ==
        "MONTH    ANSWERS  PROMOTERS  PASSIVES  DETRACTORS  NPS  MARGIN  -100      0      +100\n"
        "2026-01        2   2 (100%)    0 (0%)      0 (0%)  100     ±0*            │██████████\n"
        "2026-02        0          0         0           0    -                    │          \n"
        "2026-03        2    1 (50%)    0 (0%)     1 (50%)    0   ±139*            │          \n"
        "2026-04        1     0 (0%)  1 (100%)      0 (0%)    0     ±0*            │          \n"
        "all            5    3 (60%)   1 (20%)     1 (20%)   40    ±70*            │████      \n"
        "* fewer than 30 answers: too few for a reliable figure\n");
  CHECK(p.pm({"nps", "--by", "month"}).out.find("│") == std::string::npos);  // not a terminal
  Json q = Json::parse(p.pm({"nps", "--by", "quarter", "--json"}).out);
  REQUIRE(q["groups"].size() == 2);
  CHECK(q["groups"][0]["key"] == "2026-Q1");
  CHECK(q["groups"][0]["answers"] == 4);
  Json period = Json::parse(
      p.pm({"nps", "--since", "2026-01-11", "--until", "2026-03-01", "--json"}).out);
  CHECK(period["since"] == "2026-01-11");
  CHECK(period["until"] == "2026-03-01");
  CHECK(period["total"]["answers"] == 2);
  CHECK(p.pm({"nps", "--since", "2026-03-01"}).out.rfind("Answers given from 2026-03-01\n", 0) ==
        0);
  Result bad = p.pm({"nps", "--since", "2026-05-01", "--until", "2026-04-01"});
  CHECK(bad.code == 1);
  CHECK(bad.err.find("is after --until") != std::string::npos);
  CHECK(p.pm({"nps", "--by", "week"}).code == 2);
  CHECK(p.pm({"nps", "--by", "project"}).code == 1);
}

TEST_CASE("nps import: all or nothing, and twice adds nothing", "[nps]") {
  Project p;
  write(p.root() / "answers.csv",
        "\xEF\xBB\xBF" "date,score,client,contact,manager,comment\r\n"
        "2026-11-01,9,ACME Corp,Ivan,Anna Petrova,\"Fast, and \"\"clear\"\"\r\nThanks\"\r\n"
        "2026-11-02,6,,,,\r\n"
        "2026-11-02,6,,,,\r\n");
  Result first = p.pm({"nps", "import", "../answers.csv"});
  CHECK(first.code == 0);
  CHECK(first.err == "Imported 3 answers from ../answers.csv\n");
  CHECK(answer_count(p) == 3);
  Result again = p.pm({"nps", "import", "../answers.csv"});
  CHECK(again.code == 0);
  CHECK(again.err ==
        "All 3 answers in ../answers.csv were already recorded; nothing was added\n");
  CHECK(answer_count(p) == 3);
  // One entry for the file; the answers are rows its hash covers through their digest.
  CHECK(p.entry_count() == 1);
  Result log = p.pm({"log"});
  CHECK(has_text(log.out, "Imported 3 NPS answers from ../answers.csv"));
  CHECK(p.pm({"verify"}).code == 0);

  write(p.root() / "bad.csv", "score,date\n9,2026-11-03\n10,2026-11-04\n11,2026-11-05\n");
  Result bad = p.pm({"nps", "import", "../bad.csv"});
  CHECK(bad.code == 1);
  CHECK(bad.err == "pm: error: ../bad.csv:4: column score: '11' is not a score from 0 to 10\n");
  write(p.root() / "nodate.csv", "when,score\n2026-11-03,9\n");
  Result missing = p.pm({"nps", "import", "../nodate.csv"});
  CHECK(missing.code == 1);
  CHECK(missing.err.find("../nodate.csv:1: read as ','-separated: columns when, score; expected "
                         "a 'date' column") != std::string::npos);
  CHECK(p.pm({"nps", "import", "../none.csv"}).code == 1);
  CHECK(answer_count(p) == 3);

  Result from_stdin = p.pm({"nps", "import", "-"}, "date,score\n2026-11-10,10\n");
  CHECK(from_stdin.code == 0);
  CHECK(from_stdin.err == "Imported 1 answer from stdin\n");
  CHECK(answer_count(p) == 4);
}

TEST_CASE("nps invite renders the survey letter for a contact", "[nps]") {
  Project p;
  REQUIRE(p.pm({"people", "add", "Olga Petrova <olga@acme.example>", "--role", "technical"})
              .code == 0);
  Result known = p.pm({"nps", "invite", "--contact", "Olga Petrova", "--link",
                       "https://survey.example/x"});
  CHECK(known.code == 0);
  CHECK(known.out.find("To: Olga Petrova <olga@acme.example>\n") != std::string::npos);
  CHECK(known.out.find("Hello Olga Petrova,") != std::string::npos);
  CHECK(known.out.find("answer here: https://survey.example/x") != std::string::npos);

  // A stranger is not written to in the approver's name: an address, or pm people add first.
  Result unknown = p.pm({"nps", "invite", "--contact", "Pyotr", "--format", "eml"});
  CHECK(unknown.code == 1);
  CHECK(unknown.out.empty());
  CHECK(unknown.err ==
        "pm: error: Pyotr is not among the people of this project; add them with: pm people add "
        "\"Pyotr <ADDRESS>\", or give the address: --contact \"Pyotr <ADDRESS>\"\n");
  Result address = p.pm({"nps", "invite", "--contact", "Pyotr Ivanov <pyotr@acme.example>",
                         "--format", "eml"});
  INFO(address.err);
  CHECK(address.code == 0);
  CHECK(address.out.find("To: Pyotr Ivanov <pyotr@acme.example>") != std::string::npos);
  CHECK(address.out.find("Hello Pyotr Ivanov,") != std::string::npos);
  CHECK(address.out.find("ivan@acme.example") == std::string::npos);
  CHECK(address.out.find("X-PM-Template: nps-survey") != std::string::npos);
  // With --to elsewhere, the letter still greets the contact.
  Result forwarded = p.pm({"nps", "invite", "--contact", "Olga Petrova", "--to",
                           "office@acme.example"});
  CHECK(forwarded.code == 0);
  CHECK(forwarded.out.find("To: office@acme.example\n") != std::string::npos);
  CHECK(forwarded.out.find("Hello Olga Petrova,") != std::string::npos);

  Result plain = p.pm({"nps", "invite"});
  CHECK(plain.out.find("Hello Ivan Sidorov,") != std::string::npos);
  Result render = p.pm({"render", "nps-survey", "--set", "contact_name=Ivan"});
  CHECK(render.code == 0);
  CHECK(render.out.find("How likely are you to recommend us") != std::string::npos);
}

TEST_CASE("nps help lists its subcommands and options", "[nps]") {
  TempDir home;
  auto env = test_env(home.path());
  Result help = run({"nps", "--help"}, home.path(), env);
  CHECK(help.code == 0);
  for (const char* word : {"add", "import", "invite", "--by", "--portfolio", "--since"}) {
    CHECK(help.out.find(word) != std::string::npos);
  }
  CHECK(run({"--help"}, home.path(), env).out.find("nps") != std::string::npos);
  Result outside = run({"nps"}, home.path(), env);
  CHECK(outside.code == 3);
}
