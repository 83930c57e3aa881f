// pm publish and pm report --format html: the client's pages, without what is internal.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <regex>

#include "eml_check.hpp"
#include "harness.hpp"

using namespace pm::test;
namespace fs = std::filesystem;

namespace {

/// A week of a project in Moscow with an entry of each kind the site shows, and as many marked
/// --internal, each with a text that must never reach the client ("SECRET ...").
void busy_week(Project& p) {
  auto at = [&](const char* when, std::vector<std::string> args) {
    p.env["PM_NOW"] = when;
    Result r = p.pm(args);
    INFO(args[0] << ": " << r.err);
    REQUIRE(r.code == 0);
  };
  at("2026-11-23T10:00:00+03:00", {"done", "Home page <b>wireframes</b> & \"styles\""});
  at("2026-11-23T10:05:00+03:00", {"--internal", "done", "SECRET refactoring of the billing"});
  at("2026-11-23T11:00:00+03:00", {"log-agreement", "Client sends the texts", "--due",
                                   "2026-11-27", "--with", "Ivan Sidorov"});
  at("2026-11-23T11:30:00+03:00", {"log-agreement", "SECRET margin stays at 40%", "--internal",
                                   "--due", "2026-11-26"});
  at("2026-11-24T09:00:00+03:00", {"agreement", "confirm", "2", "--by", "Ivan Sidorov",
                                   "--evidence", "SECRET-confirmation@example.com"});
  at("2026-11-24T12:00:00+03:00", {"change", "propose", "Add a blog section", "--reason",
                                   "The client wants news", "--calendar-days", "--days", "8"});
  at("2026-11-24T12:30:00+03:00", {"change", "approve", "1", "--side", "client", "--by",
                                   "Ivan Sidorov", "--evidence", "<blog-ok@acme.example>"});
  at("2026-11-24T12:40:00+03:00", {"change", "approve", "1", "--side", "team"});
  at("2026-11-24T13:00:00+03:00", {"change", "propose", "SECRET cut the QA budget", "--reason",
                                   "SECRET reason", "--days", "0", "--internal"});
  at("2026-11-25T09:00:00+03:00", {"risk", "add", "Texts may come late", "--probability", "high",
                                   "--impact", "medium", "--action", "Weekly reminder",
                                   "--owner", "Ivan Sidorov"});
  at("2026-11-25T09:10:00+03:00", {"risk", "add", "SECRET the lead may leave", "--probability",
                                   "low", "--impact", "high", "--internal"});
  at("2026-11-25T10:00:00+03:00", {"nps", "add", "9", "--contact", "Ivan Sidorov", "--comment",
                                   "SECRET the manager is slow"});
  p.env["PM_NOW"] = "2026-11-27T17:00:00+03:00";
}

std::string all_files(const fs::path& dir) {
  std::string out;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (e.is_regular_file()) {
      out += read(e.path());
    }
  }
  return out;
}

void check_site(const fs::path& target) {
  const std::string command = "python3 " + shell_quote(PM_SOURCE_DIR "/tests/cli/check_site.py") +
                              " " + shell_quote(target.string()) + " 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  std::string out;
  char buffer[4096];
  while (std::size_t n = fread(buffer, 1, sizeof buffer, pipe)) {
    out.append(buffer, n);
  }
  int status = pclose(pipe);
  INFO(out);
  CHECK(status == 0);
}

}  // namespace

TEST_CASE("pm publish writes the client's site without what is internal", "[publish]") {
  Project p;
  busy_week(p);
  Result r = p.pm({"publish", "-o", "site"});
  INFO(r.err);
  REQUIRE(r.code == 0);
  CHECK(r.out.empty());
  CHECK(r.err.find("internal entries left out") != std::string::npos);
  const fs::path site = p.root() / "work" / "site";
  for (const char* file : {"index.html", "agreements.html", "changes.html", "risks.html",
                           "style.css", "reports/index.html", "reports/2026-W48.html"}) {
    INFO(file);
    CHECK(fs::is_regular_file(site / file));
  }
  const std::string everything = all_files(site);
  // Nothing internal, nothing that decides something internal, no NPS comment.
  CHECK(everything.find("SECRET") == std::string::npos);
  // What is for the client is there, escaped.
  CHECK(everything.find("Home page &lt;b&gt;wireframes&lt;/b&gt; &amp; &quot;styles&quot;") !=
        std::string::npos);
  CHECK(everything.find("<b>wireframes") == std::string::npos);
  const std::string agreements = read(site / "agreements.html");
  CHECK(agreements.find("Client sends the texts") != std::string::npos);
  const std::string changes = read(site / "changes.html");
  CHECK(changes.find("Add a blog section") != std::string::npos);
  CHECK(changes.find("&lt;blog-ok@acme.example&gt;") != std::string::npos);
  CHECK(read(site / "risks.html").find("Texts may come late") != std::string::npos);
  const std::string index = read(site / "index.html");
  CHECK(index.find("<html lang=\"en\">") != std::string::npos);
  // The baseline and the deadline the approved change moved it to (8 days).
  CHECK(index.find("2 January 2027, moved from the original 25 December 2026") !=
        std::string::npos);
  // The chain head: the whole ledger's, as pm verify reports it.
  Result verify = p.pm({"verify", "--json"});
  REQUIRE(verify.code == 0);
  const std::string head = nlohmann::json::parse(verify.out)["head"].get<std::string>();
  CHECK(index.find("pm verify --head " + head) != std::string::npos);
  check_site(site);

  SECTION("publishing again leaves every page as it was") {
    const auto before = fs::last_write_time(site / "index.html");
    Result again = p.pm({"publish", "-o", "site"});
    REQUIRE(again.code == 0);
    CHECK(again.err.find(" 0 written") != std::string::npos);
    CHECK(fs::last_write_time(site / "index.html") == before);
  }
  SECTION("a new entry changes the pages that show it, and only those") {
    p.pm({"risk", "add", "Hosting renewal", "--probability", "low", "--impact", "low"});
    Result again = p.pm({"publish", "-o", "site"});
    REQUIRE(again.code == 0);
    CHECK(read(site / "risks.html").find("Hosting renewal") != std::string::npos);
    CHECK(again.err.find(" 0 written") == std::string::npos);
    CHECK(again.err.find("1 unchanged") != std::string::npos);  // style.css
  }
}

TEST_CASE("pm publish speaks the project's language", "[publish]") {
  Project p({"--lang", "ru"});
  busy_week(p);
  Result r = p.pm({"publish", "-o", "site"});
  INFO(r.err);
  REQUIRE(r.code == 0);
  const fs::path site = p.root() / "work" / "site";
  const std::string index = read(site / "index.html");
  CHECK(index.find("<html lang=\"ru\">") != std::string::npos);
  CHECK(index.find("Срок сдачи проекта") != std::string::npos);
  CHECK(read(site / "agreements.html").find("Договорённости") != std::string::npos);
  CHECK(all_files(site).find("SECRET") == std::string::npos);
  check_site(site);
}

TEST_CASE("entries marked internal are kept, and a command that records none says so", "[publish]") {
  Project p;
  Result r = p.pm({"done", "Private note", "--internal"});
  REQUIRE(r.code == 0);
  Result log = p.pm({"export"});
  REQUIRE(log.code == 0);
  CHECK(log.out.find("\"internal\":true") != std::string::npos);
  Result listing = p.pm({"log"});
  CHECK(listing.out.find("Private note (internal)") != std::string::npos);
  // An export keeps the mark; an import copies entries as they are and cannot add one.
  std::ofstream(p.root() / "work" / "export.jsonl") << log.out;
  Project other;
  Result import = other.pm({"--internal", "import", (p.root() / "work" / "export.jsonl").string()});
  CHECK(import.code == 2);
  CHECK(import.err.find("an import copies entries exactly as an export holds them") !=
        std::string::npos);
  Result report = p.pm({"--internal", "report"});
  CHECK(report.code == 0);
  CHECK(report.err.find("--internal marks the entries a command records") != std::string::npos);
  // The team's report shows everything; the client's page does not.
  CHECK(report.out.find("Private note") != std::string::npos);
  Result html = p.pm({"report", "--format", "html"});
  REQUIRE(html.code == 0);
  CHECK(html.out.find("Private note") == std::string::npos);
  CHECK(html.out.rfind("<!DOCTYPE html>", 0) == 0);
  CHECK(html.out.find("<style>") != std::string::npos);
}

TEST_CASE("the report letters leave out what is internal", "[publish]") {
  Project p;
  busy_week(p);
  Result eml = p.pm({"report", "--format", "eml"});
  INFO(eml.err);
  REQUIRE(eml.code == 0);
  CHECK(eml.out.find("Client sends the texts") != std::string::npos);
  CHECK(eml.out.find("SECRET") == std::string::npos);
  // The team's JSON has everything; --client-view has what the client sees.
  Result team = p.pm({"report", "--format", "json"});
  Result client = p.pm({"report", "--format", "json", "--client-view"});
  REQUIRE(team.code == 0);
  REQUIRE(client.code == 0);
  CHECK(team.out.find("SECRET") != std::string::npos);
  CHECK(client.out.find("SECRET") == std::string::npos);
  CHECK(nlohmann::json::parse(client.out)["ledger"] == nlohmann::json::parse(team.out)["ledger"]);
}

TEST_CASE("pm report --format html is a whole valid page", "[publish]") {
  Project p;
  busy_week(p);
  Result r = p.pm({"report", "--format", "html", "-o", "week.html"});
  INFO(r.err);
  REQUIRE(r.code == 0);
  const std::string page = read(p.root() / "work" / "week.html");
  CHECK(page.find("<h1>Website: status for 23–29 November 2026</h1>") != std::string::npos);
  CHECK(page.find("SECRET") == std::string::npos);
  check_site(p.root() / "work" / "week.html");
}

TEST_CASE("pm publish refuses what it cannot do, in one line", "[publish]") {
  Project p;
  Result r = p.pm({"publish"});
  CHECK(r.code != 0);
  CHECK(r.err.find("--output") != std::string::npos);
  std::ofstream(p.root() / "work" / "file") << "x";
  r = p.pm({"publish", "-o", "file/site"});
  CHECK(r.code != 0);
  CHECK(r.err.rfind("pm: error: ", 0) == 0);
  CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
}

TEST_CASE("pm nps --format html is a page with the figures and the chart, without comments",
          "[publish][nps]") {
  Project p;
  for (const auto& [score, on] : std::vector<std::pair<std::string, std::string>>{
           {"9", "2026-10-05"}, {"10", "2026-10-20"}, {"3", "2026-11-10"}}) {
    Result r = p.pm({"nps", "add", score, "--contact", "Ivan Sidorov", "--on", on, "--comment",
                     "SECRET <b>comment</b>"});
    REQUIRE(r.code == 0);
  }
  Result r = p.pm({"nps", "--format", "html", "--by", "month"});
  INFO(r.err);
  REQUIRE(r.code == 0);
  CHECK(r.out.rfind("<!DOCTYPE html>", 0) == 0);
  CHECK(r.out.find("SECRET") == std::string::npos);
  CHECK(r.out.find("<h1>NPS: Website</h1>") != std::string::npos);
  CHECK(r.out.find("id=\"pm-chart-nps\"") != std::string::npos);
  // The month rows and the points: October 2 promoters (100), November 1 detractor (-100).
  CHECK(r.out.find("<title>2026-10: NPS 100 ± 0 (answers: 2)</title>") != std::string::npos);
  CHECK(r.out.find("<title>2026-11: NPS -100 ± 0 (answers: 1)</title>") != std::string::npos);
  CHECK(r.out.find("data-label=\"Month\">2026-10</td>") != std::string::npos);
  std::ofstream(p.root() / "work" / "nps.html") << r.out;
  check_site(p.root() / "work" / "nps.html");
  // Nothing is internal here, so the site reads the ledger itself: still no comment on it.
  Result site = p.pm({"publish", "-o", "site"});
  REQUIRE(site.code == 0);
  const std::string everything = all_files(p.root() / "work" / "site");
  CHECK(everything.find("SECRET") == std::string::npos);
  CHECK(everything.find("id=\"pm-chart-nps\"") != std::string::npos);
}
