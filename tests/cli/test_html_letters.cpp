// HTML letters end to end: `pm render --html`, `--format html`, `html: true` in project.yaml,
// `pm send --html`; golden files of the multipart message in both languages, Python's email
// package reading it back, and tidy checking the HTML part when it is installed.
#include <catch2/catch.hpp>
#include <cstdio>
#include <cstdlib>
#include <fstream>

#include "eml_check.hpp"
#include "harness.hpp"

using namespace pm::test;
namespace fs = std::filesystem;

namespace {

const fs::path k_source = PM_SOURCE_DIR;

const std::vector<std::string> k_letters = {
    "kickoff",    "agreement-confirmation", "priorities", "risk-notice",
    "payment",    "closing",                "nps-survey", "change-notice",
    "weekly-status", "escalation",          "delay",      "monthly-digest"};

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

void must(const Project& p, const std::vector<std::string>& args) {
  Result r = p.pm(args);
  if (r.code != 0) {
    throw std::runtime_error(r.err);
  }
}

/// Two agreements (the second superseding the first), a done and a next note, a risk and a
/// proposed change: enough for every built-in letter.
void fill_project(const Project& p) {
  must(p, {"people", "add", "Olga Smirnova <olga@acme.example>", "--side", "client", "--role",
           "finance"});
  must(p, {"people", "add", "Petr Volkov <petr@acme.example>", "--side", "client", "--role",
           "sponsor"});
  must(p, {"log-agreement", "Launch on 12 December", "--meeting", "2026-11-18"});
  must(p, {"log-agreement", "Launch on 15 December; final texts arrive by 1 December", "--with",
           "Ivan Sidorov", "--with", "Petr Volkov", "--due", "2026-12-15", "--meeting",
           "2026-11-19", "--supersedes", "1"});
  must(p, {"done", "Home page layout approved", "--on", "2026-11-17"});
  must(p, {"next", "Catalogue pages"});
  must(p, {"risk", "add", "Final texts may arrive after 1 December", "--probability", "medium",
           "--impact", "high", "--owner", "Maria Lebedeva"});
  must(p, {"change", "propose", "Add a blog section", "--reason", "Marketing wants news",
           "--calendar-days", "--days", "5", "--cost", "1500", "--currency", "EUR"});
}

std::vector<std::string> render_args(const std::string& name,
                                     const std::vector<std::string>& extra) {
  std::vector<std::string> args = {"render", name};
  if (name == "monthly-digest") {
    args.insert(args.end(), {"--period", "2026-11"});
  }
  args.insert(args.end(), extra.begin(), extra.end());
  fs::path data = k_source / "tests/data/letters" / (name + ".yaml");
  if (fs::exists(data)) {
    args.insert(args.end(), {"--data", data.string()});
  }
  return args;
}

bool have(const std::string& program) {
  return std::system(("command -v " + program + " >/dev/null 2>&1").c_str()) == 0;
}

/// tidy's verdict on an HTML document: no errors and no warnings. Without tidy it says so on
/// stderr and in the test's output, visibly, instead of passing in silence.
void check_with_tidy(const fs::path& dir, const std::string& html, const std::string& what) {
  if (!have("tidy")) {
    std::fprintf(stderr, "SKIPPED: tidy not installed (apt-get install tidy); %s not validated\n",
                 what.c_str());
    WARN("SKIPPED: tidy not installed; " << what << " not validated");
    return;
  }
  const fs::path file = dir / "part.html";
  std::ofstream(file, std::ios::binary) << html;
  const fs::path report = dir / "tidy.txt";
  const int status = std::system(("tidy -errors -q " + shell_quote(file.string()) + " 2>" +
                                  shell_quote(report.string()))
                                     .c_str());
  INFO(what << ": " << read(report) << "\n" << html);
  CHECK(status == 0);
  CHECK(read(report).empty());
}

void write_topic_template(const Project& p) {
  fs::create_directories(p.root() / "work/.pm/templates");
  std::ofstream(p.root() / "work/.pm/templates/topic.yaml")
      << "name: topic\ndescription: A letter about one topic\nlanguage: en\nto: [approver]\n"
         "subject: \"{{project.name}}: news\"\nvariables:\n  topic:\n    description: What it "
         "is about.\n    required: true\n  link:\n    description: A link.\n    required: "
         "false\nbody: |\n  Hello {{recipient.name}},\n\n  **Topic:** {{topic}}\n\n"
         "  {{#link}}[Open it]({{link}}){{/link}}\n\n  - [a script](javascript:alert(1))\n"
         "  - <b>raw</b>\n";
}

void append_config(const Project& p, const std::string& text) {
  std::ofstream(p.root() / "work/.pm/project.yaml", std::ios::app) << text;
}

}  // namespace

TEST_CASE("html cli: an agreement confirmation with an HTML part matches its golden files",
          "[html][render][golden]") {
  for (const std::string lang : {"en", "ru"}) {
    Project p({"--lang", lang});
    fill_project(p);
    Result text_only = p.pm({"render", "agreement-confirmation", "--format", "eml"});
    Result eml = p.pm({"render", "agreement-confirmation", "--format", "eml", "--html"});
    Result html = p.pm({"render", "agreement-confirmation", "--format", "html"});
    INFO(lang << ": " << eml.err << html.err);
    REQUIRE(text_only.code == 0);
    REQUIRE(eml.code == 0);
    REQUIRE(html.code == 0);
    CHECK(eml.err.empty());
    check_golden(k_source / "tests/golden" / lang / "agreement-confirmation.html.eml", eml.out);
    check_golden(k_source / "tests/golden" / lang / "agreement-confirmation.html", html.out);
    // The HTML part is the document --format html prints.
    CHECK(html.out.starts_with("<!DOCTYPE html>\n<html lang=\"" + lang + "\">\n"));

    if (!have("python3")) {
      WARN("python3 is missing: the multipart checks are skipped");
      continue;
    }
    const fs::path plain = p.root() / "plain.eml";
    std::ofstream(plain, std::ios::binary) << text_only.out;
    const fs::path message = p.root() / "html.eml";
    std::ofstream(message, std::ios::binary) << eml.out;
    const fs::path part = p.root() / "part.html";
    const std::string subject = lang == "en"
                                    ? "Website: confirming what we agreed on 19 November 2026"
                                    : "Website: подтверждение договорённостей от 19 ноября 2026 г.";
    const std::string command =
        "python3 " + shell_quote((k_source / "tests/core/mail/check_eml.py").string()) + " " +
        shell_quote(message.string()) + " " + shell_quote(subject) + " " +
        shell_quote("Launch on 15 December; final texts arrive by 1 December") +
        " --html --same-text-as " + shell_quote(plain.string()) + " --html-out " +
        shell_quote(part.string()) + " --html-contains " +
        shell_quote("Launch on 15 December; final texts arrive by 1 December") + " >/dev/null";
    CHECK(std::system(command.c_str()) == 0);
    CHECK(read(part) == html.out);
  }
}

TEST_CASE("html cli: every built-in letter's HTML part is valid for tidy", "[html][tidy]") {
  for (const std::string lang : {"en", "ru"}) {
    Project p({"--lang", lang});
    fill_project(p);
    for (const auto& name : k_letters) {
      Result r = p.pm(render_args(name, {"--format", "html"}));
      INFO(lang << "/" << name << ": " << r.err);
      REQUIRE(r.code == 0);
      CHECK(r.out.find("<style") == std::string::npos);
      CHECK(r.out.find("<p style=\"") != std::string::npos);
      check_with_tidy(p.root(), r.out, lang + "/" + name);
    }
  }
}

TEST_CASE("html cli: html true in project.yaml makes eml and send multipart and text stays text",
          "[html][render]") {
  Project p;
  fill_project(p);
  const Result text_before = p.pm({"render", "agreement-confirmation"});
  const Result eml_before = p.pm({"render", "agreement-confirmation", "--format", "eml"});
  const Result html_flag = p.pm({"render", "agreement-confirmation", "--format", "eml", "--html"});
  REQUIRE(eml_before.code == 0);
  CHECK(eml_before.out.find("Content-Type: text/plain; charset=utf-8\n") != std::string::npos);
  CHECK(eml_before.out.find("multipart") == std::string::npos);

  append_config(p, "html: true\n");
  const Result eml = p.pm({"render", "agreement-confirmation", "--format", "eml"});
  REQUIRE(eml.code == 0);
  CHECK(eml.out == html_flag.out);
  CHECK(eml.out.find("Content-Type: multipart/alternative; boundary=\"=_pm_") != std::string::npos);
  // --no-html: the text-only message of before, byte for byte.
  const Result no_html = p.pm({"render", "agreement-confirmation", "--format", "eml", "--no-html"});
  REQUIRE(no_html.code == 0);
  CHECK(no_html.out == eml_before.out);
  // What is read in a terminal stays text.
  const Result text = p.pm({"render", "agreement-confirmation"});
  REQUIRE(text.code == 0);
  CHECK(text.out == text_before.out);
  // pm send prints what it would send: multipart, unless --no-html.
  const Result sent = p.pm({"send", "agreement-confirmation", "--dry-run"});
  INFO(sent.err);
  REQUIRE(sent.code == 0);
  CHECK(sent.out.find("Content-Type: multipart/alternative;") != std::string::npos);
  CHECK(sent.out.find("Content-Type: text/html; charset=utf-8") != std::string::npos);
  const Result sent_text = p.pm({"send", "agreement-confirmation", "--dry-run", "--no-html"});
  REQUIRE(sent_text.code == 0);
  CHECK(sent_text.out.find("multipart") == std::string::npos);
  // The weekly report as email follows project.yaml too.
  const Result report = p.pm({"report", "--format", "eml"});
  INFO(report.err);
  REQUIRE(report.code == 0);
  CHECK(report.out.find("Content-Type: multipart/alternative;") != std::string::npos);
  // html: false and a value that is no boolean.
  std::string yaml = read(p.root() / "work/.pm/project.yaml");
  yaml.replace(yaml.find("html: true"), 10, "html: yes");
  std::ofstream(p.root() / "work/.pm/project.yaml") << yaml;
  const Result bad = p.pm({"render", "agreement-confirmation", "--format", "eml"});
  CHECK(bad.code != 0);
  CHECK(bad.err.find("'html' must be true or false, not 'yes'") != std::string::npos);
}

TEST_CASE("html cli: send --html without html in project.yaml", "[html][send]") {
  Project p;
  fill_project(p);
  const Result sent = p.pm({"send", "agreement-confirmation", "--dry-run", "--html"});
  INFO(sent.err);
  REQUIRE(sent.code == 0);
  CHECK(sent.out.find("Content-Type: multipart/alternative;") != std::string::npos);
  const Result plain = p.pm({"send", "agreement-confirmation", "--dry-run"});
  REQUIRE(plain.code == 0);
  CHECK(plain.out.find("multipart") == std::string::npos);
}

TEST_CASE("html cli: --html and --no-html apply to eml only", "[html][render]") {
  Project p;
  fill_project(p);
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"render", "agreement-confirmation", "--html"},
        std::vector<std::string>{"render", "agreement-confirmation", "--format", "md", "--html"},
        std::vector<std::string>{"render", "agreement-confirmation", "--format", "html",
                                 "--no-html"}}) {
    Result r = p.pm(args);
    INFO(args.back() << ": " << r.err);
    CHECK(r.code == 2);
    CHECK(r.err.find("--format eml") != std::string::npos);
  }
  Result both = p.pm({"render", "agreement-confirmation", "--format", "eml", "--html",
                      "--no-html"});
  CHECK(both.code == 2);
}

TEST_CASE("html cli: hostile values and template markup cannot inject into the HTML part",
          "[html][render]") {
  Project p;
  write_topic_template(p);
  Result r = p.pm({"render", "topic", "--format", "html", "--set",
                   "topic=<script>alert(1)</script> [x](javascript:alert(2)) *no* \"q\" Привет",
                   "--set", "link=javascript:alert(3)"});
  INFO(r.err << "\n" << r.out);
  REQUIRE(r.code == 0);
  CHECK(r.out.find("<script") == std::string::npos);
  CHECK(r.out.find("<b>") == std::string::npos);
  CHECK(r.out.find("href=\"javascript") == std::string::npos);
  CHECK(r.out.find("<strong>Topic:</strong> &lt;script&gt;alert(1)&lt;/script&gt; "
                   "[x](javascript:alert(2)) *no* &quot;q&quot; Привет") != std::string::npos);
  CHECK(r.out.find("raw HTML omitted") != std::string::npos);
  check_with_tidy(p.root(), r.out, "the hostile letter");
  // A safe link given as a value is a link.
  r = p.pm({"render", "topic", "--format", "html", "--set", "topic=x", "--set",
            "link=https://survey.example/s?a=1&b=2"});
  REQUIRE(r.code == 0);
  CHECK(r.out.find("href=\"https://survey.example/s?a=1&amp;b=2\">Open it</a>") !=
        std::string::npos);
  // The text part keeps the values as they were given.
  r = p.pm({"render", "topic", "--set", "topic=<script>*no*</script>"});
  REQUIRE(r.code == 0);
  CHECK(r.out.find("**Topic:** <script>*no*</script>") != std::string::npos);
}

TEST_CASE("html cli: a multipart letter sent from a mail program is recorded like a text one",
          "[html][communication]") {
  Project p;
  fill_project(p);
  Result r = p.pm({"render", "agreement-confirmation", "--format", "eml", "--html", "-o",
                   (p.root() / "sent.eml").string()});
  REQUIRE(r.code == 0);
  r = p.pm({"letter", "record", (p.root() / "sent.eml").string()});
  INFO(r.err);
  REQUIRE(r.code == 0);
  CHECK(r.err.find("recorded letter 'Website: confirming what we agreed on 19 November 2026'") !=
        std::string::npos);
  CHECK(r.err.find("not from a template") == std::string::npos);
}
