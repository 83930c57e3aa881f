// pm meeting, pm meetings, pm decision, pm question, log-agreement --meeting M2, and the
// meeting-summary letter (golden files in both languages, checked as email).
#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>

#include "eml_check.hpp"
#include "harness.hpp"

using namespace pm::test;
namespace fs = std::filesystem;

namespace {

const fs::path k_source = PM_SOURCE_DIR;

void ok(const Project& p, const std::vector<std::string>& args) {
  Result r = p.pm(args);
  INFO(args.front() << ": " << r.err);
  REQUIRE(r.code == 0);
}

void add_schedule(const Project& p) {
  std::ofstream(p.root() / "work/.pm/project.yaml", std::ios::app)
      << "meetings:\n  - {title: Weekly sync, every: week, day: tue, time: \"11:00\", "
         "duration: 60}\n";
}

/// Two meetings: the first leaves a question open, the second agrees, decides and asks.
void fill_meetings(const Project& p) {
  add_schedule(p);
  ok(p, {"people", "add", "Olga Smirnova <olga@acme.example>", "--side", "client", "--role",
         "technical"});
  ok(p, {"meeting", "Kick-off", "--on", "2026-11-10 11:00", "--with", "Ivan Sidorov"});
  ok(p, {"question", "add", "Who writes the texts of the catalogue?", "--meeting", "M1", "--to",
         "Ivan Sidorov"});
  ok(p, {"question", "add", "Do we keep the old domain?", "--meeting", "M1"});
  ok(p, {"question", "answer", "2", "Yes, with a redirect"});
  ok(p, {"meeting", "Weekly sync", "--on", "2026-11-17 11:00", "--with", "Ivan Sidorov",
         "--with", "Olga Smirnova", "--with", "Anna Petrova"});
  ok(p, {"log-agreement", "Launch on 12 December", "--meeting", "M2", "--due", "2026-12-12"});
  ok(p, {"decision", "The staging server runs on our hosting", "--meeting", "M2"});
  ok(p, {"question", "add", "Which payment gateway do we use?", "--meeting", "m2", "--to",
         "Olga Smirnova", "--due", "2026-11-24"});
}

void check_golden(const fs::path& golden, const std::string& actual) {
  const char* update = std::getenv("PM_UPDATE_GOLDEN");
  if (update != nullptr && std::string(update) == "1") {
    fs::create_directories(golden.parent_path());
    std::ofstream(golden, std::ios::binary) << actual;
  }
  INFO("golden file " << golden.string() << " (PM_UPDATE_GOLDEN=1 rewrites it)");
  REQUIRE(fs::exists(golden));
  CHECK(read(golden) == actual);
}

}  // namespace

TEST_CASE("meeting-summary renders as its golden files and passes the email checks",
          "[meetings][render][golden]") {
  for (const std::string lang : {"en", "ru"}) {
    Project p({"--lang", lang});
    fill_meetings(p);
    Result text = p.pm({"render", "meeting-summary"});
    INFO(lang << ": " << text.err);
    REQUIRE(text.code == 0);
    CHECK(text.err.empty());
    check_golden(k_source / "tests/golden" / lang / "meeting-summary.txt", text.out);
    Result eml = p.pm({"render", "meeting-summary", "--format", "eml"});
    REQUIRE(eml.code == 0);
    check_golden(k_source / "tests/golden" / lang / "meeting-summary.eml", eml.out);
    // To the people who took part, the manager (who sends it) left out.
    CHECK(eml.out.find("To: Ivan Sidorov <ivan@acme.example>, Olga Smirnova "
                       "<olga@acme.example>\n") != std::string::npos);
    for (std::size_t start = 0, end = 0; start < eml.out.find("\n\n"); start = end + 1) {
      end = eml.out.find('\n', start);
      // X-PM-Ledger holds one unbreakable N:HASH token (RFC 5322 allows 998).
      CHECK(end - start <= (eml.out.compare(start, 13, "X-PM-Ledger: ") == 0 ? 998u : 78u));
    }
    const std::string subject = lang == "en"
                                    ? "Website: summary of the meeting on 17 November 2026, "
                                      "Weekly sync"
                                    : "Website: итоги встречи 17 ноября 2026 г. — Weekly sync";
    const std::string body = lang == "en" ? "Next meeting: Tuesday, 24 November 2026, 11:00."
                                          : "Следующая встреча: вторник, 24 ноября 2026 г., "
                                            "11:00.";
    check_eml(p.root(), eml.out, subject, body);
  }
}

TEST_CASE("a meeting's summary: an earlier meeting, --set next_meeting, no schedule",
          "[meetings][render]") {
  Project p;
  fill_meetings(p);
  Result first = p.pm({"render", "meeting-summary", "--set", "meeting=1", "--set",
                       "next_meeting=Tuesday, 17 November, 11:00"});
  REQUIRE(first.code == 0);
  CHECK(first.out.find("To: Ivan Sidorov <ivan@acme.example>\n") != std::string::npos);
  CHECK(first.out.find("Who writes the texts of the catalogue? (Ivan Sidorov)") !=
        std::string::npos);
  CHECK(first.out.find("old domain") == std::string::npos);  // answered
  CHECK(first.out.find("payment gateway") == std::string::npos);  // asked later
  CHECK(first.out.find("Next meeting: Tuesday, 17 November, 11:00.") != std::string::npos);
  Result none = p.pm({"render", "meeting-summary", "--set", "meeting=3"});
  CHECK(none.code != 0);
  CHECK(none.err == "pm: error: there is no meeting 3; `pm meetings` shows the meetings\n");
}

TEST_CASE("pm meetings and pm question list, as tables and JSON", "[meetings]") {
  Project p;
  fill_meetings(p);
  Result list = p.pm({"meetings"});
  REQUIRE(list.code == 0);
  CHECK(list.out.find("M2  2026-11-17 11:00  Ivan Sidorov, Olga Smirnova, Anna Petrova  3") !=
        std::string::npos);
  CHECK(list.out.find("Next: Weekly sync, 2026-11-24 11:00") != std::string::npos);
  Result json = p.pm({"meetings", "--json"});
  REQUIRE(json.code == 0);
  CHECK(json.out.find("\"at\": \"2026-11-24T11:00:00+03:00\"") != std::string::npos);
  CHECK(json.out.find("\"agreements\": 1") != std::string::npos);

  Result open = p.pm({"question", "list"});
  REQUIRE(open.code == 0);
  CHECK(open.out.find("Which payment gateway do we use?") != std::string::npos);
  CHECK(open.out.find("old domain") == std::string::npos);
  Result all = p.pm({"question", "list", "--all", "--json"});
  REQUIRE(all.code == 0);
  CHECK(all.out.find("\"text\": \"Yes, with a redirect\"") != std::string::npos);

  // The agreement took the meeting's time and people.
  Result agreements = p.pm({"agreements", "--json"});
  CHECK(agreements.out.find("\"meeting\": \"2026-11-17T11:00:00+03:00\"") != std::string::npos);
  CHECK(agreements.out.find("\"Olga Smirnova\"") != std::string::npos);
  CHECK(p.pm({"show", "M2"}).code == 0);
  CHECK(p.pm({"show", "Q1"}).code == 0);
}

TEST_CASE("meetings: bad input is one line on stderr", "[meetings]") {
  Project p;
  fill_meetings(p);
  auto error = [&](const std::vector<std::string>& args) {
    Result r = p.pm(args);
    CHECK(r.code != 0);
    CHECK(r.out.empty());
    return r.err;
  };
  CHECK(error({"log-agreement", "X", "--meeting", "M9"}) ==
        "pm: error: there is no meeting 9; `pm meetings` shows the meetings\n");
  CHECK(error({"question", "add", "X", "--meeting", "2026-11-17"}) ==
        "pm: error: '2026-11-17' names no meeting; give its number as M2 (pm meetings lists "
        "them)\n");
  CHECK(error({"question", "answer", "7", "X"}) ==
        "pm: error: there is no question 7; `pm question list --all` shows the questions\n");
  CHECK(error({"question", "answer", "2", "Again"}).find("question 2 was already answered") !=
        std::string::npos);
  CHECK(error({"meeting", "X", "--on", "2026-11-17 25:00"}) ==
        "pm: error: --on: '25:00' is not a time of day; give HH:MM from 00:00 to 23:59, e.g. "
        "\"2026-11-17 11:00\"\n");
  CHECK(error({"meeting", "  "}).find("the meeting has no topic") != std::string::npos);
  CHECK(error({"meeting", "X\x1b[31m"}).find("pm: error:") == 0);
  CHECK(error({"question", "add", "X", "--to", "a\nb"}).find("pm: error:") == 0);

  Project q;
  std::ofstream(q.root() / "work/.pm/project.yaml", std::ios::app)
      << "meetings:\n  - {title: Review, day: fri, time: \"25:00\"}\n";
  Result r = q.pm({"meetings"});
  CHECK(r.code != 0);
  const std::string& bad = r.err;
  CHECK(bad.find("project.yaml:") != std::string::npos);
  CHECK(bad.find("'meetings[].time' must be a time of day from 00:00 to 23:59, not '25:00'") !=
        std::string::npos);
}
