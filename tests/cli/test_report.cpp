#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <fstream>
#include <sys/wait.h>

#include "eml_check.hpp"
#include "harness.hpp"

using namespace pm::test;
using nlohmann::json;

namespace {

/// A made-up fortnight in Moscow: 2026-W47 (16-22 November) and 2026-W48 (23-29 November).
/// Ends with PM_NOW on Friday 27 November, 17:00.
void fortnight(Project& p) {
  auto at = [&](const char* when, std::vector<std::string> args) {
    p.env["PM_NOW"] = when;
    Result r = p.pm(args);
    INFO(args[0] << ": " << r.err);
    REQUIRE(r.code == 0);
  };
  // Week 47.
  at("2026-11-16T10:00:00+03:00", {"done", "Kickoff call held"});                          // 1
  at("2026-11-16T10:05:00+03:00", {"next", "Wireframes for the home page"});               // 2
  at("2026-11-16T11:00:00+03:00", {"log-agreement", "Client sends the texts",
                                   "--due", "2026-11-27", "--with", "Ivan Sidorov"});      // 3
  at("2026-11-17T11:00:00+03:00", {"change", "propose", "Add a blog section", "--reason",
                                   "The client wants news", "--calendar-days",
                                   "--days", "8", "--cost", "1500",
                                   "--currency", "EUR"});                                  // 4
  at("2026-11-18T12:00:00+03:00", {"change", "approve", "1", "--side", "client", "--by",
                                   "Ivan Sidorov"});                                       // 5
  at("2026-11-18T12:30:00+03:00", {"change", "propose", "Dark mode", "--reason",
                                   "Nice to have", "--calendar-days",
                                   "--days", "5"});                        // 6
  at("2026-11-19T09:00:00+03:00", {"risk", "add", "Texts may come late", "--probability",
                                   "high", "--impact", "medium", "--action",
                                   "Weekly reminder", "--owner", "Ivan Sidorov"});         // 7
  at("2026-11-19T09:30:00+03:00", {"log-agreement", "Logo files by 18 November",
                                   "--due", "2026-11-18", "--meeting", "2026-11-12"});     // 8
  // Sunday 23:59 in Moscow is 20:59 UTC: week 47.
  at("2026-11-22T23:59:00+03:00", {"done", "Late Sunday fix"});                            // 9
  // Week 48. Monday 00:01 in Moscow is still Sunday 21:01 in UTC: week 48 all the same.
  at("2026-11-23T00:01:00+03:00", {"done", "Early Monday deploy"});                        // 10
  at("2026-11-23T10:00:00+03:00", {"change", "approve", "1", "--side", "team"});           // 11
  at("2026-11-24T10:00:00+03:00", {"change", "reject", "2", "--side", "client", "--by",
                                   "Ivan Sidorov", "--reason", "Not in this budget"});     // 12
  at("2026-11-25T10:00:00+03:00", {"risk", "close", "1", "--note", "Texts arrived"});      // 13
  at("2026-11-25T10:05:00+03:00", {"done", "Texts received", "--agreement", "1"});         // 14
  at("2026-11-26T15:00:00+03:00", {"next", "Launch preparation"});                         // 15
  at("2026-11-26T16:00:00+03:00", {"log-agreement", "Launch on 2 January",
                                   "--due", "2027-01-02"});                                // 16
  p.env["PM_NOW"] = "2026-11-27T17:00:00+03:00";
}

const char* k_week47_text =
    "Website: status for 16–22 November 2026\n"
    "\n"
    "We are off plan this period; the details are below.\n"
    "\n"
    "Done\n"
    "  - Kickoff call held (16 November)\n"
    "  - Late Sunday fix (22 November)\n"
    "\n"
    "Next\n"
    "  - Wireframes for the home page\n"
    "\n"
    "Agreed\n"
    "  - #1 Client sends the texts (due 27 November 2026)\n"
    "\n"
    "Decided\n"
    "  No decisions this period.\n"
    "\n"
    "Changes\n"
    "  - #1 Add a blog section: approved by the client, awaiting the team's approval; impact: "
    "+8 days, €1,500.00\n"
    "  - #2 Dark mode: proposed, awaiting approval by both sides; impact: +5 days\n"
    "\n"
    "Open risks\n"
    "  - #1 Texts may come late\n"
    "    Probability: high\n"
    "    Impact: medium\n"
    "    Action: Weekly reminder\n"
    "    Owner: Ivan Sidorov\n"
    "\n"
    "Coming up (next 14 days)\n"
    "  - 27 November 2026: #1 Client sends the texts\n"
    "\n"
    "Overdue\n"
    "  - 18 November 2026: #2 Logo files by 18 November\n"
    "\n"
    "Project deadline\n"
    "  25 December 2026, as planned.\n";

const char* k_week48_text =
    "Website: status for 23–29 November 2026\n"
    "\n"
    "We are off plan this period; the details are below.\n"
    "\n"
    "Done\n"
    "  - Early Monday deploy (23 November)\n"
    "  - Texts received (25 November)\n"
    "\n"
    "Next\n"
    "  - Launch preparation\n"
    "\n"
    "Agreed\n"
    "  - #3 Launch on 2 January (due 2 January 2027)\n"
    "\n"
    "Agreements confirmed, fulfilled or withdrawn\n"
    "  - #1 Client sends the texts: fulfilled (25 November); Texts received\n"
    "\n"
    "Decided\n"
    "  No decisions this period.\n"
    "\n"
    "Changes\n"
    "  - #1 Add a blog section: approved by both sides; impact: +8 days, €1,500.00\n"
    "  - #2 Dark mode: rejected by the client\n"
    "\n"
    "Open risks\n"
    "  No open risks.\n"
    "\n"
    "Risks closed\n"
    "  - #1 Texts may come late (25 November)\n"
    "    Outcome: Texts arrived\n"
    "\n"
    "Coming up (next 14 days)\n"
    "  No dates in the coming period.\n"
    "\n"
    "Overdue\n"
    "  - 18 November 2026: #2 Logo files by 18 November\n"
    "\n"
    "Project deadline\n"
    "  2 January 2027, moved from the original 25 December 2026 (+8 days by approved changes).\n";

/// A report without its last line, "Ledger: N:HASH" (the chain's head; test_tamper.cpp checks
/// it), which follows a blank line.
std::string without_head(const std::string& out) {
  auto at = out.rfind("\nLedger: ");
  REQUIRE(at != std::string::npos);
  CHECK(out.find('\n', at + 1) == out.size() - 1);
  return out.substr(0, at);
}

}  // namespace

TEST_CASE("a fortnight: each week's report in text", "[report]") {
  Project p;
  fortnight(p);
  Result w47 = p.pm({"report", "--week", "2026-W47"});
  REQUIRE(w47.code == 0);
  CHECK(w47.err.empty());
  CHECK(without_head(w47.out) == k_week47_text);
  Result w48 = p.pm({"report", "--week", "2026-W48"});
  REQUIRE(w48.code == 0);
  CHECK(without_head(w48.out) == k_week48_text);
  CHECK(p.pm({"report"}).out == w48.out);
  CHECK(p.pm({"report", "--week", "this"}).out == w48.out);
  CHECK(p.pm({"report", "--week", "last"}).out == w47.out);
  CHECK(p.pm({"report", "--since", "2026-11-23", "--until", "2026-11-29"}).out == w48.out);
  CHECK(w47.out.find('\033') == std::string::npos);  // no colour off a terminal
}

TEST_CASE("a fortnight: JSON parses and agrees with the text", "[report]") {
  Project p;
  fortnight(p);
  json w47 = json::parse(p.pm({"report", "--week", "2026-W47", "--format", "json"}).out);
  CHECK(w47["version"] == 1);
  CHECK(w47["project"] == "Website");
  CHECK(w47["period"] == json{{"week", "2026-W47"},
                              {"first", "2026-11-16"},
                              {"last", "2026-11-22"},
                              {"timezone", "Europe/Moscow"},
                              {"from", "2026-11-15T21:00:00Z"},
                              {"until", "2026-11-22T21:00:00Z"}});
  CHECK(w47["as_of"] == "2026-11-22");
  std::string text47 = p.pm({"report", "--week", "2026-W47"}).out;
  for (const auto* section : {"done", "next", "agreements", "changes", "risks"}) {
    for (const auto& item : w47[section]) {
      INFO(section << ": " << item["text"]);
      CHECK(text47.find(item["text"].get<std::string>()) != std::string::npos);
    }
  }
  CHECK(w47["done"].size() == 2);
  CHECK(w47["done"][1] == json{{"id", 9}, {"text", "Late Sunday fix"}, {"date", "2026-11-22"},
                               {"author", "Test Author"}});
  CHECK(w47["changes"][0] == json{{"id", 4},
                                  {"number", 1},
                                  {"evidence", json::array()},
                                  {"text", "Add a blog section"},
                                  {"reason", "The client wants news"},
                                  {"status", "proposed"},
                                  {"client", "approved"},
                                  {"team", nullptr},
                                  {"days", 8},
                                  {"cost", "1500"},
                                  {"currency", "EUR"}});
  CHECK(w47["risks"][0]["id"] == 7);
  CHECK(w47["upcoming"] == json::array({{{"date", "2026-11-27"}, {"kind", "agreement"}, {"id", 3}, {"number", 1},
                                         {"text", "Client sends the texts"}}}));
  CHECK(w47["overdue"][0]["id"] == 8);
  CHECK(w47["deadline"] == json{{"baseline", "2026-12-25"}, {"current", "2026-12-25"},
                                {"days", 0}, {"shifted", false}});
  CHECK(w47["off_plan"] == true);

  json w48 = json::parse(p.pm({"report", "--week", "2026-W48", "--format", "json"}).out);
  CHECK(w48["done"].size() == 2);
  CHECK(w48["done"][0]["text"] == "Early Monday deploy");
  CHECK(w48["changes"][0]["status"] == "approved");
  CHECK(w48["changes"][1]["status"] == "rejected");
  CHECK(w48["risks"] == json::array());
  CHECK(w48["upcoming"] == json::array());
  CHECK(w48["deadline"]["current"] == "2027-01-02");
  CHECK(w48["deadline"]["days"] == 8);
  // The deadline moved only when the second side approved (Monday 23 November, 10:00).
  for (const auto& [since, current] : std::vector<std::pair<std::string, std::string>>{
           {"2026-11-22", "2026-12-25"}, {"2026-11-23", "2027-01-02"}}) {
    json day = json::parse(
        p.pm({"report", "--since", since, "--until", since, "--format", "json"}).out);
    CHECK(day["deadline"]["current"] == current);
  }
}

TEST_CASE("a fortnight: Markdown and a ready-to-send email", "[report]") {
  Project p;
  fortnight(p);
  Result md = p.pm({"report", "--week", "2026-W48", "--format", "md"});
  REQUIRE(md.code == 0);
  CHECK(md.out.rfind("# Website: status for 23–29 November 2026\n\n"
                     "**We are off plan this period; the details are below.**\n\n"
                     "## Done\n\n"
                     "- Early Monday deploy (23 November)\n",
                     0) == 0);
  CHECK(md.out.find("## Open risks\n\n_No open risks._\n") != std::string::npos);

  for (const char* week : {"2026-W47", "2026-W48"}) {
    Result eml = p.pm({"report", "--week", week, "--format", "eml", "--next-steps",
                       "We call Ivan on Monday about the logo files."});
    REQUIRE(eml.code == 0);
    CHECK(eml.out.find("X-PM-Template: weekly-status\n") != std::string::npos);
    std::string subject = std::string("Website: status for ") +
                          (std::string(week) == "2026-W47" ? "16–22" : "23–29") + " November 2026";
    check_eml(p.root(), eml.out, subject, "We call Ivan on Monday about the logo files.");
    check_eml(p.root(), eml.out, subject, "- 18 November 2026: #2 Logo files by 18 November");
  }
  Result w48 = p.pm({"report", "--week", "2026-W48", "--format", "eml"});
  check_eml(p.root(), w48.out, "Website: status for 23–29 November 2026",
            "- #2 Dark mode: rejected by the client");
  check_eml(p.root(), w48.out, "Website: status for 23–29 November 2026",
            "2 January 2027, moved from the original 25 December 2026\n(+8 days by approved "
            "changes).");
  // The same message as pm render builds for this week.
  CHECK(p.pm({"render", "weekly-status", "--format", "eml"}).out == w48.out);
}

TEST_CASE("the same ledger, period and PM_NOW give the same bytes", "[report]") {
  Project p;
  fortnight(p);
  for (const char* format : {"text", "md", "json", "eml"}) {
    Result a = p.pm({"report", "--week", "2026-W47", "--format", format});
    Result b = p.pm({"report", "--week", "2026-W47", "--format", format});
    INFO(format);
    REQUIRE(a.code == 0);
    CHECK(a.out == b.out);
    CHECK_FALSE(a.out.empty());
  }
  // -o writes the same bytes to a file and nothing to stdout.
  Result file = p.pm({"report", "--week", "2026-W47", "--format", "md", "-o", "w47.md"});
  CHECK(file.code == 0);
  CHECK(file.out.empty());
  CHECK(read(p.root() / "work/w47.md") == p.pm({"report", "--week", "2026-W47", "--format", "md"}).out);
  // NO_COLOR never changes a byte, nor does later work change a past week's report: only its
  // last line, the ledger's head when it was made (docs/reliability.md), moves on.
  auto without_head = [](std::string text) {
    const std::size_t at = text.rfind("\nLedger: ");
    REQUIRE(at != std::string::npos);
    return text.substr(0, at);
  };
  std::string before = p.pm({"report", "--week", "2026-W47"}).out;
  p.env["NO_COLOR"] = "1";
  CHECK(p.pm({"report", "--week", "2026-W47"}).out == before);
  p.env["PM_NOW"] = "2026-12-02T10:00:00+03:00";
  REQUIRE(p.pm({"done", "Something in December"}).code == 0);
  std::string after = p.pm({"report", "--week", "2026-W47"}).out;
  CHECK(without_head(after) == without_head(before));
  CHECK(after != before);
}

TEST_CASE("report periods: bad weeks and options are refused", "[report]") {
  Project p;
  struct Case {
    std::vector<std::string> args;
    int code;
    std::string message;
  };
  std::vector<Case> cases = {
      {{"report", "--week", "2026-W60"}, 1,
       "pm: error: --week 2026-W60: 2026 has ISO weeks W01 to W53\n"},
      {{"report", "--week", "2027-W53"}, 1, "2027 has ISO weeks W01 to W52"},
      {{"report", "--week", "next"}, 1, "write an ISO week as 2026-W47, or this or last"},
      {{"report", "--week", "this", "--since", "2026-11-01"}, 2, "excludes"},
      {{"report", "--until", "2026-11-01"}, 1, "--until needs --since"},
      {{"report", "--since", "2026-11-20", "--until", "2026-11-01"}, 1,
       "--until 2026-11-01 is before --since 2026-11-20"},
      {{"report", "--since", "2026-02-30"}, 1, "--since: 2026-02-30 does not exist"},
      {{"report", "--format", "pdf"}, 2, "--format"},
      {{"report", "--to", "x@example.com"}, 1, "--to and --cc go with --format eml"},
  };
  for (const auto& c : cases) {
    Result r = p.pm(c.args);
    INFO(r.err);
    CHECK(r.code == c.code);
    CHECK(r.err.find(c.message) != std::string::npos);
    CHECK(r.out.empty());
  }
  // An empty week says so in every section; by 2 January the deadline has passed.
  p.env["PM_NOW"] = "2027-01-02T10:00:00+03:00";
  Result empty = p.pm({"report", "--week", "2026-W53"});
  CHECK(empty.code == 0);
  CHECK(empty.out.find("Website: status for 28 December 2026 – 3 January 2027\n") == 0);
  CHECK(empty.out.find("Nothing recorded this period.") != std::string::npos);
  CHECK(empty.out.find("Overdue\n  - 25 December 2026: Project deadline\n") != std::string::npos);
  CHECK(p.pm({"report", "--help"}).code == 0);
}

TEST_CASE("the report in Russian, and in a zone east of UTC", "[report]") {
  Project ru({"--lang", "ru"});
  ru.env["PM_NOW"] = "2026-11-16T10:00:00+03:00";
  REQUIRE(ru.pm({"done", "Провели установочную встречу"}).code == 0);
  Result eml = ru.pm({"report", "--format", "eml"});
  REQUIRE(eml.code == 0);
  check_eml(ru.root(), eml.out, "Website: статус за 16–22 ноября 2026 г.",
            "- Провели установочную встречу (16 ноября)");
  Result text = ru.pm({"report"});
  CHECK(text.out.find("Website: статус за 16–22 ноября 2026 г.\n\nСделано\n") == 0);
  CHECK(ru.pm({"report", "--lang", "en"}).out.find("Website: status for") == 0);

  // Tokyo: Monday 01:00 local is Sunday 16:00 UTC; the note belongs to Monday's week.
  Project tokyo;
  auto yaml_file = tokyo.root() / "work/.pm/project.yaml";
  std::string yaml = read(yaml_file);
  yaml.replace(yaml.find("Europe/Moscow"), 13, "Asia/Tokyo");
  std::ofstream(yaml_file, std::ios::binary | std::ios::trunc) << yaml;
  tokyo.env["PM_NOW"] = "2026-11-16T01:00:00+09:00";
  REQUIRE(tokyo.pm({"done", "Night deploy"}).code == 0);
  json w47 = json::parse(tokyo.pm({"report", "--format", "json"}).out);
  CHECK(w47["period"]["week"] == "2026-W47");
  CHECK(w47["period"]["from"] == "2026-11-15T15:00:00Z");
  REQUIRE(w47["done"].size() == 1);
  CHECK(w47["done"][0]["date"] == "2026-11-16");
  json w46 = json::parse(tokyo.pm({"report", "--week", "2026-W46", "--format", "json"}).out);
  CHECK(w46["done"] == json::array());
}

TEST_CASE("a report that cannot be written exits non-zero", "[report]") {
  if (!std::filesystem::exists("/dev/full")) {
    WARN("no /dev/full here: skipped");
    return;
  }
  Project p;
  for (const char* format : {"text", "eml"}) {
    std::string command = "cd " + shell_quote((p.root() / "work").string()) +
                          " && env -u PM_DIR PM_NOW=2026-11-20T10:00:00+03:00 " +
                          shell_quote(PM_BINARY) + " report --format " + format +
                          " >/dev/full 2>/dev/null";
    int status = std::system(command.c_str());
    INFO(format);
    CHECK(WIFEXITED(status));
    // The email is recorded before it is written: then the exit code says so (docs/exit-codes.md).
    CHECK(WEXITSTATUS(status) == (std::string(format) == "eml" ? 6 : 1));
  }
}

TEST_CASE("the cron example mails the report, and nothing when pm fails", "[report][cron]") {
  if (std::system("command -v bash >/dev/null 2>&1") != 0) {
    WARN("no bash here: skipped");
    return;
  }
  Project p;
  REQUIRE(p.pm({"done", "Kickoff call held"}).code == 0);
  auto sent = p.root() / "sent.eml";
  auto fake_msmtp = p.root() / "msmtp";
  std::ofstream(fake_msmtp) << "#!/bin/sh\n[ \"$1\" = -t ] || exit 9\ncat >>" +
                                   shell_quote(sent.string()) + "\n";
  std::filesystem::permissions(fake_msmtp, std::filesystem::perms::owner_all);
  auto run_script = [&](const std::string& project) {
    std::string command = "env -u PM_DIR PM_NOW=2026-11-20T16:00:00+03:00 PM=" +
                          shell_quote(PM_BINARY) + " MSMTP=" + shell_quote(fake_msmtp.string()) +
                          " bash " + shell_quote(PM_SOURCE_DIR "/examples/cron/weekly-report") +
                          " " + shell_quote(project) + " 2>/dev/null";
    int status = std::system(command.c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  };
  CHECK(run_script((p.root() / "work").string()) == 0);
  std::string message = read(sent);
  check_eml(p.root(), message, "Website: status for 16–22 November 2026",
            "- Kickoff call held (20 November)");
  std::filesystem::remove(sent);
  CHECK(run_script((p.root() / "nowhere").string()) != 0);
  CHECK_FALSE(std::filesystem::exists(sent));
}
