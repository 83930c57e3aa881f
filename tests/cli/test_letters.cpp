// Rendered letters compared byte for byte with tests/golden/ (PM_UPDATE_GOLDEN=1 rewrites them;
// read the diff before committing), and the eml checked by Python's email package.
#include <catch2/catch.hpp>
#include <algorithm>
#include <cstdlib>
#include <fstream>

#include "harness.hpp"

using namespace pm::test;
namespace fs = std::filesystem;

namespace {

const fs::path k_source = PM_SOURCE_DIR;

/// A project in `lang` with people in every role, two agreements (the second superseding), a
/// note of work done and one of work next, two risks (the first closed) and a proposed change.
void fill_letter_project(const Project& p) {
  for (std::vector<std::string> args : {
           std::vector<std::string>{"people", "add", "Olga Smirnova <olga@acme.example>", "--side",
                                    "client", "--role", "finance"},
           std::vector<std::string>{"people", "add", "Petr Volkov <petr@acme.example>", "--side",
                                    "client", "--role", "sponsor", "--role", "technical"},
           std::vector<std::string>{"people", "add", "Maria Lebedeva <maria@studio.example>",
                                    "--side", "team", "--role", "technical"},
           std::vector<std::string>{"log-agreement", "Launch on 12 December", "--meeting",
                                    "2026-11-18"},
           std::vector<std::string>{"log-agreement",
                                    "Launch on 15 December; final texts arrive by 1 December",
                                    "--with", "Ivan Sidorov", "--with", "Petr Volkov", "--due",
                                    "2026-12-15", "--meeting", "2026-11-19", "--supersedes", "1"},
           std::vector<std::string>{"done", "Home page layout approved", "--on", "2026-11-17"},
           std::vector<std::string>{"next", "Catalogue pages"},
           std::vector<std::string>{"risk", "add", "The hosting contract may not be signed in time",
                                    "--probability", "low", "--impact", "medium"},
           std::vector<std::string>{"risk", "add", "Final texts may arrive after 1 December",
                                    "--probability", "medium", "--impact", "high", "--action",
                                    "We prepared the layouts with placeholder texts.", "--owner",
                                    "Maria Lebedeva"},
           std::vector<std::string>{"risk", "close", "1", "--note", "Signed on 19 November"},
           std::vector<std::string>{"change", "propose", "Add a blog section", "--reason",
                                    "Marketing wants to publish news from launch day", "--calendar-days",
                                    "--days",
                                    "5", "--cost", "1500", "--currency", "EUR", "--ask",
                                    "Send the blog categories by 27 November"},
       }) {
    Result r = p.pm(args);
    if (r.code != 0) {
      throw std::runtime_error(r.err);
    }
  }
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

const std::vector<std::string> k_letters = {
    "kickoff",    "agreement-confirmation", "priorities", "risk-notice",
    "payment",    "closing",                "nps-survey", "change-notice",
    "weekly-status", "escalation",          "delay",      "monthly-digest"};

/// A template of the project's own, `topic`, whose subject is its one variable `topic`.
void add_topic_template(const Project& p) {
  fs::create_directories(p.root() / "work/.pm/templates");
  std::ofstream(p.root() / "work/.pm/templates/topic.yaml")
      << "name: topic\ndescription: A letter about one topic\nlanguage: en\nto: [approver]\n"
         "subject: \"{{project.name}}: {{topic}}\"\nvariables:\n  topic:\n    description: What "
         "it is about.\n    required: true\nbody: |\n  Hello {{recipient.name}},\n";
}

/// `pm render NAME` with the letter's test data (tests/data/letters/NAME.yaml) when it has
/// some, and `extra` arguments. The digest is of November, the month the fixture fills.
std::vector<std::string> render_args(const std::string& name,
                                     const std::vector<std::string>& extra = {}) {
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

}  // namespace

TEST_CASE("built-in letters render as their golden files", "[render][golden]") {
  for (const std::string lang : {"en", "ru"}) {
    Project p({"--lang", lang});
    fill_letter_project(p);
    for (const auto& name : k_letters) {
      Result r = p.pm(render_args(name));
      INFO(lang << "/" << name << ": " << r.err);
      REQUIRE(r.code == 0);
      CHECK(r.err.empty());
      check_golden(k_source / "tests/golden" / lang / (name + ".txt"), r.out);
    }
    Result eml = p.pm({"render", "agreement-confirmation", "--format", "eml"});
    REQUIRE(eml.code == 0);
    check_golden(k_source / "tests/golden" / lang / "agreement-confirmation.eml", eml.out);
    Result md = p.pm({"render", "agreement-confirmation", "--format", "md"});
    REQUIRE(md.code == 0);
    check_golden(k_source / "tests/golden" / lang / "agreement-confirmation.md", md.out);
  }
}

TEST_CASE("every built-in letter's headers keep RFC 5322 and RFC 2047 line limits",
          "[render][eml]") {
  for (const std::string lang : {"en", "ru"}) {
    Project p({"--lang", lang});
    fill_letter_project(p);
    for (const auto& name : k_letters) {
      Result r = p.pm(render_args(name, {"--format", "eml"}));
      INFO(lang << "/" << name << ": " << r.err);
      REQUIRE(r.code == 0);
      const std::string headers = r.out.substr(0, r.out.find("\n\n"));
      std::size_t start = 0;
      while (start < headers.size()) {
        std::size_t end = std::min(headers.find('\n', start), headers.size());
        std::string line = headers.substr(start, end - start);
        CAPTURE(line);
        // X-PM-Ledger holds one unbreakable N:HASH token for scripts: RFC 5322 allows 998.
        CHECK(line.size() <= (line.starts_with("X-PM-Ledger: ") ? 998u : 78u));
        // Every encoded-word on the line is at most 75 characters (RFC 2047, section 2).
        for (std::size_t at = line.find("=?"); at != std::string::npos;
             at = line.find("=?", at + 2)) {
          std::size_t close = line.find("?=", at + 10);
          REQUIRE(close != std::string::npos);
          CHECK(close + 2 - at <= 75);
          at = close;
        }
        start = end + 1;
      }
    }
  }
  // A 1,200-letter word in a subject is encoded and split rather than left on one line.
  Project p;
  add_topic_template(p);
  Result r = p.pm({"render", "topic", "--set", "topic=" + std::string(1200, '9'), "--format",
                   "eml"});
  INFO(r.err);
  REQUIRE(r.code == 0);
  for (std::size_t start = 0, end; (end = r.out.find('\n', start)) != std::string::npos;
       start = end + 1) {
    CHECK(end - start <= 78);
  }
}

TEST_CASE("counts in letters take the right plural form in Russian and English",
          "[render][plural]") {
  for (const std::string lang : {"en", "ru"}) {
    Project p({"--lang", lang});
    fs::path config = p.root() / "work/.pm/project.yaml";
    std::string yaml = read(config);
    const std::size_t at = yaml.find("reply_within_hours: 2");
    REQUIRE(at != std::string::npos);
    yaml.replace(at, 21, "reply_within_hours: 1");
    const std::size_t every = yaml.find("status_every_days: 5");
    REQUIRE(every != std::string::npos);
    yaml.replace(every, 20, "status_every_days: 21");
    std::ofstream(config) << yaml;
    Result r = p.pm({"render", "kickoff", "--data",
                     (k_source / "tests/data/letters/kickoff.yaml").string()});
    INFO(r.err);
    REQUIRE(r.code == 0);
    if (lang == "ru") {
      CHECK(r.out.find("в течение 1 рабочего часа.") != std::string::npos);
      CHECK(r.out.find("не более 21 рабочего дня:") != std::string::npos);
    } else {
      CHECK(r.out.find("within 1 working hour.") != std::string::npos);
      CHECK(r.out.find("every 21 working days you") != std::string::npos);
    }
  }
}

TEST_CASE("every built-in template passes templates check", "[templates]") {
  for (const auto& entry : fs::recursive_directory_iterator(k_source / "templates")) {
    if (entry.path().extension() != ".yaml") {
      continue;
    }
    TempDir home;
    Result r = run({"templates", "check", entry.path().string()}, home.path(), test_env(home.path()));
    INFO(entry.path().string() << ": " << r.err);
    CHECK(r.code == 0);
  }
}

TEST_CASE("a Russian agreement confirmation parses with Python's email package", "[render][eml]") {
  if (std::system("python3 -c 'import email' >/dev/null 2>&1") != 0) {
    WARN("python3 is not installed; the eml is checked by the golden file only");
    return;
  }
  TempDir home;
  auto env = test_env(home.path());
  REQUIRE(run({"init", "--name", "Сайт для клиента", "--client", "ООО Ромашка", "--manager",
               "Анна Петрова", "--email", "anna@example.com", "--lang", "ru", "--deadline",
               "2026-12-25", "--tz", "Europe/Moscow"},
              home.path(), env).code == 0);
  REQUIRE(run({"people", "add", "Иван Сидоров <ivan@romashka.example>", "--side", "client",
               "--role", "approver"},
              home.path(), env).code == 0);
  REQUIRE(run({"log-agreement", "Запуск переносится на 12 декабря; тексты от клиента до 1 декабря",
               "--with", "Иван Сидоров", "--due", "2026-12-12"},
              home.path(), env).code == 0);
  Result r = run({"render", "agreement-confirmation", "--format", "eml", "-o", "letter.eml"},
                 home.path(), env);
  REQUIRE(r.code == 0);
  std::string command = "python3 '" + (k_source / "tests/core/mail/check_eml.py").string() + "' '" +
                        (home / "letter.eml").string() +
                        "' 'Сайт для клиента: подтверждение договорённостей от 20 ноября 2026 г.' "
                        "'Запуск переносится на 12 декабря; тексты от клиента до 1 декабря' "
                        ">/dev/null";
  CHECK(std::system(command.c_str()) == 0);
  std::string eml = read(home / "letter.eml");
  CHECK(eml.find("From: =?UTF-8?B?") != std::string::npos);
  CHECK(eml.rfind("Date: Fri, 20 Nov 2026 10:00:00 +0300\n", 0) == 0);
}

TEST_CASE("render is strict about variables", "[render]") {
  Project p;
  Result missing = p.pm({"render", "kickoff"});
  CHECK(missing.code == 1);
  CHECK(missing.err ==
        "pm: error: the 'kickoff' letter needs 'goals' (What the project must achieve, in the "
        "client's terms.); give it with --set goals=VALUE\n");
  Result unknown = p.pm({"render", "kickoff", "--set", "goals=x", "--set", "colour=red"});
  CHECK(unknown.code == 1);
  CHECK(unknown.err.find("'colour' is not a variable of the 'kickoff' letter") != std::string::npos);
  Result bad_set = p.pm({"render", "kickoff", "--set", "goals"});
  CHECK(bad_set.code == 1);
  CHECK(bad_set.err.find("write it as key=value") != std::string::npos);
  Result bad_date = p.pm({"render", "priorities", "--set", "priorities=a", "--set",
                          "reply_by=2026-02-30"});
  CHECK(bad_date.code == 1);
  CHECK(bad_date.err.find("2026-02-30 does not exist") != std::string::npos);
  Result no_agreement = p.pm({"render", "agreement-confirmation"});
  CHECK(no_agreement.code == 1);
  CHECK(no_agreement.err.find("log one with: pm log-agreement") != std::string::npos);
}

TEST_CASE("plain text is never HTML-escaped", "[render]") {
  Project p;
  Result r = p.pm({"render", "kickoff", "--set", "goals=Help O'Brien & Co <ship> \"fast\""});
  REQUIRE(r.code == 0);
  CHECK(r.out.find("Help O'Brien & Co <ship> \"fast\"") != std::string::npos);
}

TEST_CASE("a line break can never add a header", "[render][eml]") {
  Project p;
  REQUIRE(p.pm({"log-agreement", "X"}).code == 0);
  add_topic_template(p);
  Result subject = p.pm({"render", "topic", "--set", "topic=1\nBcc: evil@example.com",
                         "--format", "eml"});
  CHECK(subject.code == 1);
  CHECK(subject.err.find("line break") != std::string::npos);
  CHECK(subject.out.empty());
  Result to = p.pm({"render", "agreement-confirmation", "--to",
                    "Eve <eve@example.com>\nBcc: evil@example.com", "--format", "eml"});
  CHECK(to.code == 2);  // refused at the door: --to is a single line
  CHECK(to.err.find("line break") != std::string::npos);
  CHECK(to.out.empty());
  Result bad = p.pm({"render", "agreement-confirmation", "--to", "not-an-address@", "--format",
                     "eml"});
  CHECK(bad.code == 1);
  CHECK(bad.err.find("invalid address") != std::string::npos);
}

TEST_CASE("an empty recipient role says how to fill it", "[render]") {
  Project p;
  Result r = p.pm({"render", "payment", "--set", "amount=10", "--set", "due=2026-12-01"});
  CHECK(r.code == 1);
  CHECK(r.err.find("pm people add \"NAME <ADDRESS>\" --side client --role finance") !=
        std::string::npos);
  Result with_to = p.pm({"render", "payment", "--set", "amount=10", "--set", "due=2026-12-01",
                         "--to", "Boss <boss@acme.example>"});
  CHECK(with_to.code == 0);
  CHECK(with_to.out.find("To: Boss <boss@acme.example>\n") != std::string::npos);
}

TEST_CASE("log-agreement --letter prints the letter and the id on stderr", "[render]") {
  Project p;
  Result r = p.pm({"log-agreement", "Launch on 12 December", "--letter"});
  REQUIRE(r.code == 0);
  CHECK(r.err == "1\n");
  CHECK(r.out.find("MIME-Version: 1.0\n") != std::string::npos);
  CHECK(r.out.find("X-PM-Entry: 1\n") != std::string::npos);
  Result text = p.pm({"log-agreement", "Second", "--letter", "--format", "text"});
  CHECK(text.out.rfind("From: Anna Petrova <anna@example.com>\n", 0) == 0);
}

TEST_CASE("render -o writes the letter to a file", "[render]") {
  Project p;
  Result r = p.pm({"render", "kickoff", "--set", "goals=Ship", "-o", "kickoff.txt"});
  REQUIRE(r.code == 0);
  CHECK(r.out.empty());
  CHECK(read(p.root() / "work/kickoff.txt").find("Ship") != std::string::npos);
}

TEST_CASE("a project template overrides the built-in one", "[templates]") {
  Project p;
  fs::create_directories(p.root() / "work/.pm/templates");
  std::ofstream(p.root() / "work/.pm/templates/kickoff.yaml")
      << "name: kickoff\ndescription: Our own kickoff\nlanguage: en\nto: [approver]\n"
         "subject: \"Hi from {{project.name}}\"\nbody: |\n  Short and sweet.\n";
  Result r = p.pm({"render", "kickoff"});
  REQUIRE(r.code == 0);
  CHECK(r.out.find("Subject: Hi from Website\n\nShort and sweet.\n") != std::string::npos);
  Result list = p.pm({"templates"});
  CHECK(list.out.find("Our own kickoff") != std::string::npos);
}

TEST_CASE("templates check reports problems with file and line", "[templates]") {
  Project p;
  fs::path file = p.root() / "bad.yaml";
  std::ofstream(file) << "name: bad\ndescription: A bad one\nlanguage: de\nto: [approver]\n"
                         "subject: \"Hi {{nobody}}\"\nbody: |\n  Hello\n  {{#open}}\n";
  Result r = p.pm({"templates", "check", file.string()});
  CHECK(r.code == 1);
  CHECK(r.err.find(file.string() + ":3: language 'de' is not supported") != std::string::npos);
  CHECK(r.err.find(file.string() + ":5: 'nobody' is not a declared variable") != std::string::npos);
  CHECK(r.err.find("'open' is not a declared variable") != std::string::npos);
  CHECK(r.err.find("section '{{#open}}' is never closed") != std::string::npos);

  fs::path broken = p.root() / "broken.yaml";
  std::ofstream(broken) << "name: broken\nbody: |\n  x\n to: [\n";
  Result y = p.pm({"templates", "check", broken.string()});
  CHECK(y.code == 1);
  CHECK(y.err.find(broken.string() + ":4: malformed YAML") != std::string::npos);
}

TEST_CASE("templates lists and shows the built-in letters", "[templates]") {
  Project p;
  Result list = p.pm({"templates", "--lang", "en"});
  REQUIRE(list.code == 0);
  for (const auto& name : k_letters) {
    CHECK(list.out.find(name) != std::string::npos);
  }
  Result show = p.pm({"templates", "show", "payment", "--lang", "ru"});
  CHECK(show.code == 0);
  CHECK(show.out.find("language: ru") != std::string::npos);
  Result none = p.pm({"templates", "show", "nothing"});
  CHECK(none.code == 1);
  CHECK(none.err.find("known templates: agreement-confirmation") != std::string::npos);
}

TEST_CASE("render --data takes YAML or JSON and reports malformed files", "[render]") {
  Project p;
  std::ofstream(p.root() / "work/vars.json") << R"({"priorities": ["Catalogue", "Blog"]})";
  Result json = p.pm({"render", "priorities", "--data", "vars.json"});
  REQUIRE(json.code == 0);
  CHECK(json.out.find("Catalogue") != std::string::npos);
  CHECK(json.out.find("Blog") != std::string::npos);
  std::ofstream(p.root() / "work/bad.yaml") << "priorities: [one, two\nquestion: x\n";
  Result bad = p.pm({"render", "priorities", "--data", "bad.yaml"});
  CHECK(bad.code == 1);
  CHECK(bad.err.rfind("pm: error: bad.yaml:", 0) == 0);
  CHECK(bad.err.find("malformed YAML or JSON") != std::string::npos);
  Result missing = p.pm({"render", "priorities", "--data", "nope.yaml"});
  CHECK(missing.code == 1);
  CHECK(missing.err.find("cannot read nope.yaml") != std::string::npos);
}

TEST_CASE("a malformed project.yaml is named with its line", "[project]") {
  Project p;
  std::ofstream(p.root() / "work/.pm/project.yaml") << "name: X\nlanguage: [en\n";
  Result r = p.pm({"agreements"});
  CHECK(r.code == 1);
  CHECK(r.err.find("project.yaml:") != std::string::npos);
  CHECK(r.err.find("malformed YAML") != std::string::npos);
  std::ofstream(p.root() / "work/.pm/project.yaml") << "name: X\nlanguage: de\n";
  Result lang = p.pm({"agreements"});
  CHECK(lang.code == 1);
  CHECK(lang.err.find("project.yaml:2: 'language' must be en or ru, not 'de'") != std::string::npos);
}

TEST_CASE("people add validates, merges roles and lists both sides", "[people]") {
  Project p;
  CHECK(p.pm({"people", "add", "Ivan Sidorov <ivan@acme.example>", "--role", "finance"}).code == 0);
  Result bad = p.pm({"people", "add", "Nobody <nobody@>"});
  CHECK(bad.code == 1);
  CHECK(bad.err.find("invalid address") != std::string::npos);
  Result nameless = p.pm({"people", "add", "x@acme.example"});
  CHECK(nameless.code == 1);
  Result role = p.pm({"people", "add", "A B <ab@acme.example>", "--role", "Big Boss"});
  CHECK(role.code == 1);
  CHECK(role.err.find("must be a lowercase word") != std::string::npos);
  CHECK(p.pm({"people", "add", "A B <ab@acme.example>", "--role", "Архитектор"}).code == 1);
  CHECK(p.pm({"people", "add", "A B <ab@acme.example>", "--side", "both"}).code == 2);
  Result list = p.pm({"people"});
  CHECK(list.out ==
        "SIDE    NAME          EMAIL              ROLES\n"
        "team    Anna Petrova  anna@example.com   manager\n"
        "client  Ivan Sidorov  ivan@acme.example  approver, finance\n");
}

TEST_CASE("recipients: each address once, every To greeted by the name they prefer",
          "[render][recipients]") {
  Project p({"--lang", "ru"});
  REQUIRE(p.pm({"log-agreement", "Запуск 12 декабря"}).code == 0);
  // Ivan is the approver already; give him a greeting and a second role, and add Olga.
  REQUIRE(p.pm({"people", "add", "Ivan Sidorov <ivan@acme.example>", "--role", "finance",
                "--greeting", "Иван Петрович"})
              .code == 0);
  REQUIRE(p.pm({"people", "add", "Ольга Смирнова <olga@acme.example>", "--role", "approver"})
              .code == 0);
  Result r = p.pm({"render", "agreement-confirmation", "--cc", "finance", "--format", "eml"});
  INFO(r.err);
  REQUIRE(r.code == 0);
  // Ivan is an approver (To) and finance (Cc): one copy, in To.
  CHECK(r.out.find("\nCc:") == std::string::npos);
  Result text = p.pm({"render", "agreement-confirmation", "--cc", "finance"});
  REQUIRE(text.code == 0);
  CHECK(text.out.find("Здравствуйте, Иван Петрович и Ольга Смирнова!") != std::string::npos);
  Result json = p.pm({"people", "--json"});
  CHECK(json.out.find("\"greeting\": \"Иван Петрович\"") != std::string::npos);
  CHECK(read(p.root() / "work/.pm/project.yaml").find("greeting: Иван Петрович") !=
        std::string::npos);
  // English, with more than three: the group.
  Project en;
  for (const char* who : {"A One <a@acme.example>", "B Two <b@acme.example>",
                          "C Three <c@acme.example>"}) {
    REQUIRE(en.pm({"people", "add", who, "--role", "approver"}).code == 0);
  }
  REQUIRE(en.pm({"log-agreement", "Launch"}).code == 0);
  Result four = en.pm({"render", "agreement-confirmation"});
  REQUIRE(four.code == 0);
  CHECK(four.out.find("Hello colleagues,") != std::string::npos);
}

TEST_CASE("roles are named in the letter's language, roles of one's own may be Cyrillic",
          "[render][roles]") {
  Project p({"--lang", "ru"});
  REQUIRE(p.pm({"people", "add", "Пётр Смирнов <petr@acme.example>", "--role", "lead", "--role",
                "finance"})
              .code == 0);
  Result cyrillic = p.pm({"people", "add", "Ольга Белова <olga@studio.example>", "--side", "team",
                          "--role", "архитектор"});
  INFO(cyrillic.err);
  REQUIRE(cyrillic.code == 0);
  Result kickoff = p.pm(render_args("kickoff"));
  INFO(kickoff.err);
  REQUIRE(kickoff.code == 0);
  CHECK(kickoff.out.find("Пётр Смирнов, руководитель группы, контактное лицо по оплате") !=
        std::string::npos);
  CHECK(kickoff.out.find("Ivan Sidorov, согласующий") != std::string::npos);
  CHECK(kickoff.out.find("Ольга Белова, архитектор") != std::string::npos);
  CHECK(kickoff.out.find("lead") == std::string::npos);
  // A label of the project's own, per language; a template may write to a Cyrillic role.
  fs::path yaml = p.root() / "work/.pm/project.yaml";
  std::string config = read(yaml);
  std::ofstream(yaml) << config << "roles:\n  архитектор: {en: solution architect, ru: главный архитектор}\n";
  Result labelled = p.pm(render_args("kickoff"));
  REQUIRE(labelled.code == 0);
  CHECK(labelled.out.find("Ольга Белова, главный архитектор") != std::string::npos);
  Result english = p.pm(render_args("kickoff", {"--lang", "en"}));
  REQUIRE(english.code == 0);
  CHECK(english.out.find("Ольга Белова, solution architect") != std::string::npos);
  CHECK(english.out.find("Пётр Смирнов, team lead, finance contact") != std::string::npos);
  Result to_role = p.pm(render_args("priorities", {"--to", "team.архитектор"}));
  INFO(to_role.err);
  CHECK(to_role.code == 0);
  CHECK(to_role.out.find("To: Ольга Белова <olga@studio.example>") != std::string::npos);
  std::ofstream(yaml) << config << "roles:\n  архитектор: {de: Architekt}\n";
  Result bad = p.pm(render_args("kickoff"));
  CHECK(bad.code == 1);
  CHECK(bad.err.find("labels are given for en and ru, not 'de'") != std::string::npos);
}

TEST_CASE("amounts are written as each language writes money, exactly as entered",
          "[render][money]") {
  const std::string nbsp = "\xC2\xA0";
  Project ru({"--lang", "ru"});
  Result payment = ru.pm({"render", "payment", "--set", "amount=150000,5", "--set",
                          "due=2026-12-04", "--to", "buh@acme.example"});
  INFO(payment.err);
  REQUIRE(payment.code == 0);
  CHECK(payment.out.find("Subject: Website: оплата 150" + nbsp + "000,50" + nbsp +
                         "₽ до 4 декабря 2026 г.") != std::string::npos);
  Result usd = ru.pm({"render", "payment", "--set", "amount=$1,500", "--set", "due=2026-12-04",
                      "--to", "buh@acme.example"});
  REQUIRE(usd.code == 0);
  CHECK(usd.out.find("сумма — 1" + nbsp + "500,00" + nbsp + "$.") != std::string::npos);
  Project en;
  Result eur = en.pm({"render", "payment", "--set", "amount=1500,50", "--set", "due=2026-12-04",
                      "--to", "ap@acme.example"});
  REQUIRE(eur.code == 0);
  CHECK(eur.out.find("payment of €1,500.50 due") != std::string::npos);
  Result rub = en.pm({"render", "payment", "--set", "amount=150000", "--set", "currency=rub",
                      "--set", "due=2026-12-04", "--to", "ap@acme.example"});
  REQUIRE(rub.code == 0);
  CHECK(rub.out.find("payment of RUB" + nbsp + "150,000.00 due") != std::string::npos);
  for (const char* bad : {"amount=1,500", "amount=lots", "amount=1 50"}) {
    Result r = en.pm({"render", "payment", "--set", bad, "--set", "due=2026-12-04", "--to",
                      "ap@acme.example"});
    INFO(bad);
    CHECK(r.code == 1);
    CHECK(r.err.find("variable 'amount' of 'payment' must be an amount") != std::string::npos);
  }
  Result code = en.pm({"render", "payment", "--set", "amount=5", "--set", "currency=euro",
                       "--set", "due=2026-12-04", "--to", "ap@acme.example"});
  CHECK(code.code == 1);
  CHECK(code.err.find("currency 'euro' of the 'payment' letter is not an ISO 4217 code") !=
        std::string::npos);
  // A change's cost in the notice and the report.
  REQUIRE(ru.pm({"change", "propose", "Отчёт по складу", "--reason", "Запрос клиента", "--calendar-days",
                 "--days",
                 "3", "--cost", "300000,50", "--currency", "RUB"})
              .code == 0);
  Result notice = ru.pm({"render", "change-notice"});
  REQUIRE(notice.code == 0);
  CHECK(notice.out.find("Стоимость: 300" + nbsp + "000,50" + nbsp + "₽") != std::string::npos);
  Result report = ru.pm({"report"});
  CHECK(report.out.find("300" + nbsp + "000,50" + nbsp + "₽") != std::string::npos);
}

TEST_CASE("the people of a meeting are copied on its confirmation", "[render][recipients]") {
  Project p({"--lang", "ru"});
  REQUIRE(p.pm({"people", "add", "Ольга Смирнова <olga@acme.example>", "--role", "technical"})
              .code == 0);
  REQUIRE(p.pm({"people", "add", "Мария Лебедева <maria@studio.example>", "--side", "team"})
              .code == 0);
  REQUIRE(p.pm({"log-agreement", "Запуск 15 декабря", "--with", "Ольга Смирнова", "--with",
                "maria@studio.example", "--with", "Ivan Sidorov", "--with", "Незнакомец",
                "--with", "Anna Petrova"})
              .code == 0);
  Result r = p.pm({"render", "agreement-confirmation"});
  INFO(r.err);
  REQUIRE(r.code == 0);
  // Ivan is in To already, Anna sends it, the stranger has no address.
  CHECK(r.out.find("To: Ivan Sidorov <ivan@acme.example>\nCc: Ольга Смирнова "
                   "<olga@acme.example>, Мария Лебедева <maria@studio.example>\n") !=
        std::string::npos);
  // --cc says who is copied, all of them.
  Result cc = p.pm({"render", "agreement-confirmation", "--cc", "boss@acme.example"});
  REQUIRE(cc.code == 0);
  CHECK(cc.out.find("Cc: boss@acme.example\n") != std::string::npos);
}

TEST_CASE("quotes nest by the language's rules in letters", "[render][quotes]") {
  Project p({"--lang", "ru"});
  fs::path yaml = p.root() / "work/.pm/project.yaml";
  std::string config = read(yaml);
  REQUIRE(config.find("name: Website\n") != std::string::npos);
  config.replace(config.find("name: Website\n"), 14, "name: Перезапуск сайта ООО «Ромашка»\n");
  std::ofstream(yaml) << config;
  Result r = p.pm(render_args("closing"));
  INFO(r.err);
  REQUIRE(r.code == 0);
  CHECK(r.out.find("«Перезапуск сайта ООО „Ромашка“»") != std::string::npos);
  CHECK(r.out.find("«Ромашка»»") == std::string::npos);
}

TEST_CASE("letters that follow a state render as golden files in every state",
          "[render][golden][states]") {
  for (const std::string lang : {"en", "ru"}) {
    Project p({"--lang", lang});
    const bool ru = lang == "ru";
    for (std::vector<std::string> args : {
             std::vector<std::string>{"people", "add", "Olga Smirnova <olga@acme.example>",
                                      "--side", "client", "--role", "finance"},
             std::vector<std::string>{"done", ru ? "Макеты главной страницы готовы"
                                                 : "Home page mock-ups done"},
             std::vector<std::string>{"risk", "add", ru ? "Тексты «О компании» могут задержаться"
                                                        : "The \"About us\" texts may come late",
                                      "--probability", "high", "--impact", "medium"},
             // 1: proposed, with a cost in kopecks and what is asked; 2: approved; 3: rejected.
             std::vector<std::string>{"change", "propose",
                                      ru ? "Раздел «Блог»" : "A \"Blog\" section", "--reason",
                                      ru ? "Клиенту нужны новости" : "The client wants news",
                                      "--calendar-days",
                                      "--days", "8", "--cost", "150000,50", "--currency", "RUB",
                                      "--ask", ru ? "Ваше согласие до пятницы"
                                                  : "Your approval by Friday"},
             std::vector<std::string>{"change", "propose", ru ? "Тёмная тема" : "Dark mode",
                                      "--reason", ru ? "Просьба спонсора" : "The sponsor asked",
                                      "--calendar-days", "--days", "3"},
             std::vector<std::string>{"change", "approve", "2", "--side", "client", "--by",
                                      "Ivan Sidorov", "--evidence", "<ok-2@acme.example>"},
             std::vector<std::string>{"change", "approve", "2", "--side", "team"},
             std::vector<std::string>{"change", "propose", ru ? "Форум" : "Forum", "--reason",
                                      ru ? "Идея команды" : "The team's idea", "--calendar-days",
                                      "--days", "10",
                                      "--cost", "300000", "--currency", "RUB"},
             std::vector<std::string>{"change", "reject", "3", "--side", "client", "--by",
                                      "Ivan Sidorov", "--reason",
                                      ru ? "Не в этом году" : "Not this year"},
         }) {
      Result r = p.pm(args);
      INFO(args[0] << " " << args[1] << ": " << r.err);
      REQUIRE(r.code == 0);
    }
    for (const auto& [number, state] : std::vector<std::pair<std::string, std::string>>{
             {"1", "proposed"}, {"2", "approved"}, {"3", "rejected"}}) {
      Result r = p.pm({"render", "change-notice", "--set", "change=" + number});
      INFO(lang << "/change-notice " << state << ": " << r.err);
      REQUIRE(r.code == 0);
      check_golden(k_source / "tests/golden" / lang / ("change-notice." + state + ".txt"), r.out);
    }
    Result week = p.pm({"report", "--format", "eml"});
    INFO(week.err);
    REQUIRE(week.code == 0);
    check_golden(k_source / "tests/golden" / lang / "weekly-status.changes.eml", week.out);
    Result text = p.pm({"render", "weekly-status"});
    REQUIRE(text.code == 0);
    check_golden(k_source / "tests/golden" / lang / "weekly-status.changes.txt", text.out);
  }
}

namespace {

void write_file(const fs::path& file, const std::string& text) {
  fs::create_directories(file.parent_path());
  std::ofstream(file, std::ios::binary) << text;
}

std::string letter(const std::string& name, const std::string& description,
                   const std::string& body, const std::string& variables = "") {
  return "name: " + name + "\ndescription: " + description +
         "\nlanguage: en\nto: [approver]\nsubject: \"" + description + "\"\n" +
         (variables.empty() ? "" : "variables:\n" + variables) + "body: |\n" + body;
}

}  // namespace

TEST_CASE("templates are searched in the project, PM_TEMPLATE_PATH, the user config, the "
          "built-ins",
          "[templates][search]") {
  Project p;
  const fs::path one = p.root() / "agency/one";
  const fs::path two = p.root() / "agency/two";
  const fs::path config_dir = p.root() / "agency/config";
  write_file(p.root() / "work/.pm/templates/kickoff.yaml",
             letter("kickoff", "Project kickoff", "  From the project.\n"));
  write_file(one / "en/kickoff.yaml", letter("kickoff", "Shared kickoff", "  From one.\n"));
  write_file(one / "invoice.yaml", letter("invoice", "Invoice one", "  From one.\n"));
  write_file(two / "invoice.yaml", letter("invoice", "Invoice two", "  From two.\n"));
  write_file(two / "welcome.yaml", letter("welcome", "Welcome two", "  From two.\n"));
  write_file(config_dir / "welcome.yaml", letter("welcome", "Welcome config", "  Config.\n"));
  write_file(config_dir / "farewell.yaml", letter("farewell", "Farewell", "  Config.\n"));
  write_file(p.root() / ".config/pm/config.yaml",
             "templates_path:\n  - " + config_dir.string() + "\n  - ~/nowhere\n");
  p.env["PM_TEMPLATE_PATH"] =
      one.string() + ":" + (p.root() / "missing").string() + ":" + two.string();

  // Each letter comes from the first directory that has it.
  for (auto [name, expect] : std::vector<std::pair<std::string, std::string>>{
           {"kickoff", "From the project."},
           {"invoice", "From one."},
           {"welcome", "From two."},
           {"farewell", "Config."},
           {"payment", "The next payment for Website"}}) {
    std::vector<std::string> args = {"render", name};
    if (name == "payment") {
      args.insert(args.end(), {"--set", "amount=1", "--set", "due=2026-12-01", "--to", "a@b.example"});
    }
    Result r = p.pm(args);
    INFO(name << ": " << r.err);
    CHECK(r.code == 0);
    CHECK(r.err.empty());  // render does not warn about the missing directories
    CHECK(r.out.find(expect) != std::string::npos);
  }

  Result list = p.pm({"templates", "--lang", "en"});
  REQUIRE(list.code == 0);
  CHECK(list.err == "pm: warning: PM_TEMPLATE_PATH names " + (p.root() / "missing").string() +
                        ", which does not exist; it is skipped\n"
                        "pm: warning: templates_path in " +
                        (p.root() / ".config/pm/config.yaml").string() + " names " +
                        (p.root() / "nowhere").string() +
                        ", which does not exist; it is skipped\n");
  CHECK(list.out.find("SHADOWS") != std::string::npos);

  Result json = p.pm({"templates", "--json"});
  REQUIRE(json.code == 0);
  auto entry = [&](const std::string& name) {
    std::size_t at = json.out.find("\"name\": \"" + name + "\"");
    REQUIRE(at != std::string::npos);
    std::size_t end = json.out.find('}', at);
    return json.out.substr(at, end - at);
  };
  std::string kickoff = entry("kickoff");
  CHECK(kickoff.find("\"source\": \"project\"") != std::string::npos);
  CHECK(kickoff.find("\"shadows\": [\n        \"" + (one / "en/kickoff.yaml").string() +
                     "\",\n        \"built-in\"\n      ]") != std::string::npos);
  std::string welcome = entry("welcome");
  CHECK(welcome.find("\"source\": \"PM_TEMPLATE_PATH\"") != std::string::npos);
  CHECK(welcome.find((config_dir / "welcome.yaml").string()) != std::string::npos);
  CHECK(entry("farewell").find("\"source\": \"" +
                               (p.root() / ".config/pm/config.yaml").string() + "\"") !=
        std::string::npos);

  Result show = p.pm({"templates", "show", "invoice"});
  CHECK(show.code == 0);
  CHECK(show.out == letter("invoice", "Invoice one", "  From one.\n"));
}

TEST_CASE("a bad PM_TEMPLATE_PATH or user config is one clear error", "[templates][search]") {
  Project p;
  p.env["PM_TEMPLATE_PATH"] = std::string("/a\x01") + "b";
  Result r = p.pm({"render", "kickoff", "--set", "goals=x"});
  CHECK(r.code == 1);
  CHECK(r.err.find("pm: error: PM_TEMPLATE_PATH") == 0);
  CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  p.env.erase("PM_TEMPLATE_PATH");
  write_file(p.root() / ".config/pm/config.yaml", "templates: /srv\n");
  r = p.pm({"templates"});
  CHECK(r.code == 1);
  CHECK(r.err == "pm: error: " + (p.root() / ".config/pm/config.yaml").string() +
                     ":1: unknown key 'templates'; the user config knows: templates_path, mail\n");
}

TEST_CASE("partials come from the search path, unknown and recursive ones are refused",
          "[templates][partials]") {
  Project p;
  const fs::path shared = p.root() / "shared";
  p.env["PM_TEMPLATE_PATH"] = shared.string();
  // A project letter with a partial from the agency's shared directory.
  write_file(shared / "partials/footer.mustache", "--\n{{manager.name}}, {{project.name}}\n");
  write_file(p.root() / "work/.pm/templates/note.yaml",
             letter("note", "A note", "  Hello.\n\n  {{> footer}}\n"));
  Result r = p.pm({"render", "note"});
  REQUIRE(r.code == 0);
  CHECK(r.out.find("Hello.\n\n--\nAnna Petrova, Website\n") != std::string::npos);

  // The shared signature replaces the built-in one in every built-in letter of its language.
  write_file(shared / "en/partials/signature.mustache", "Cheers,\n{{manager.name}}\n");
  r = p.pm({"render", "kickoff", "--set", "goals=Ship"});
  REQUIRE(r.code == 0);
  CHECK(r.out.find("what to correct.\n\nCheers,\nAnna Petrova\n") != std::string::npos);

  write_file(p.root() / "work/.pm/templates/broken.yaml",
             letter("broken", "Broken", "  Hi\n  {{> nowhere}}\n"));
  r = p.pm({"render", "broken"});
  CHECK(r.code == 1);
  CHECK(r.err.find("broken.yaml:8: no partial 'nowhere'") != std::string::npos);

  write_file(shared / "partials/loop.mustache", "again {{> loop}}\n");
  write_file(p.root() / "work/.pm/templates/loop.yaml", letter("loop", "Loop", "  {{> loop}}\n"));
  r = p.pm({"render", "loop"});
  CHECK(r.code == 1);
  CHECK(r.err.find("the partial 'loop' includes itself (loop → loop)") != std::string::npos);

  // templates check looks partials up the same way, with the line that includes them.
  fs::path file = p.root() / "check.yaml";
  write_file(file, letter("check", "Check", "  {{> footer}}\n  {{> loop}}\n  {{> nowhere}}\n"));
  r = p.pm({"templates", "check", file.string()});
  CHECK(r.code == 1);
  CHECK(r.err.find(file.string() + ":8: in the partial " +
                   (shared / "partials/loop.mustache").string() +
                   ":1: the partial 'loop' includes itself") != std::string::npos);
  CHECK(r.err.find(file.string() + ":9: no partial 'nowhere'") != std::string::npos);
  CHECK(r.err.find(":7:") == std::string::npos);  // footer is found and sound

  // A partial that uses a variable the letter does not declare.
  write_file(shared / "partials/undeclared.mustache", "{{invoice}}\n");
  write_file(file, letter("check", "Check", "  {{> undeclared}}\n"));
  r = p.pm({"templates", "check", file.string()});
  CHECK(r.code == 1);
  CHECK(r.err.find(":7: in the partial " + (shared / "partials/undeclared.mustache").string() +
                   ":1: 'invoice' is not a declared variable") != std::string::npos);
}

TEST_CASE("a template may change its delimiters", "[templates][delimiters]") {
  Project p;
  write_file(p.root() / "work/.pm/templates/braces.yaml",
             letter("braces", "Braces", "  {{=<% %>=}}\n  Use {{name}} in <%project.name%>.\n",
                    ""));
  Result r = p.pm({"render", "braces"});
  REQUIRE(r.code == 0);
  CHECK(r.out.find("\n\nUse {{name}} in Website.\n") != std::string::npos);
  write_file(p.root() / "work/.pm/templates/bad.yaml",
             letter("bad", "Bad", "  {{=<%%>=}}\n  x\n"));
  r = p.pm({"render", "bad"});
  CHECK(r.code == 1);
  CHECK(r.err.find("bad.yaml:7: a delimiter change is written {{=<% %>=}}") != std::string::npos);
}

TEST_CASE("render --data keeps booleans, numbers, lists and maps", "[render][data]") {
  Project p;
  write_file(p.root() / "work/.pm/templates/typed.yaml",
             letter("typed", "Typed",
                    "  {{#urgent}}URGENT{{/urgent}}{{^urgent}}routine{{/urgent}} {{urgent}}\n"
                    "  {{amount}} {{#items}}{{name}} x{{qty}}, {{/items}}\n"
                    "  {{office.city}} {{#office}}{{street.name}}{{/office}} {{note}}\n",
                    "  urgent:\n    description: u\n"
                    "  amount:\n    description: a\n    type: number\n"
                    "  items:\n    description: i\n    type: list\n"
                    "  office:\n    description: o\n    type: map\n"
                    "  note:\n    description: n\n"));
  write_file(p.root() / "work/false.yaml",
             "urgent: false\namount: 1500.50\nitems:\n  - {name: pens, qty: 2}\n"
             "office: {city: Moscow, street: {name: Tverskaya}}\nnote: \"false\"\n");
  Result r = p.pm({"render", "typed", "--data", "false.yaml"});
  REQUIRE(r.code == 0);
  CHECK(r.out.find("\n\nroutine false\n1,500.50 pens x2, \nMoscow Tverskaya false\n") !=
        std::string::npos);
  write_file(p.root() / "work/true.json",
             R"({"urgent": true, "amount": 3, "items": [], "note": "yes"})");
  r = p.pm({"render", "typed", "--data", "true.json"});
  REQUIRE(r.code == 0);
  CHECK(r.out.find("\n\nURGENT true\n3 \n  yes\n") != std::string::npos);
  write_file(p.root() / "work/bad.yaml", "items: {name: pens}\n");
  r = p.pm({"render", "typed", "--data", "bad.yaml"});
  CHECK(r.code == 1);
  CHECK(r.err == "pm: error: variable 'items' of 'typed' is a list, and was given a map; give "
                 "it as a YAML list (- item) or as lines of --set items=...\n");
}

TEST_CASE("risk-notice is filled from the risk register", "[render][risk]") {
  Project p;
  Result none = p.pm(render_args("risk-notice"));
  CHECK(none.code == 1);
  CHECK(none.err.find("the risk register holds no open risk; record one with: pm risk add") !=
        std::string::npos);
  fill_letter_project(p);
  // Without a number: the latest open risk (risk 1 is closed).
  Result latest = p.pm(render_args("risk-notice", {"--format", "eml"}));
  INFO(latest.err);
  REQUIRE(latest.code == 0);
  CHECK(latest.out.find("Risk #2: Final texts may arrive after 1 December") != std::string::npos);
  CHECK(latest.out.find("X-PM-Entry: 6\n") != std::string::npos);
  // By number, as pm risk list numbers them.
  REQUIRE(p.pm({"risk", "add", "The brand book may change", "--probability", "high", "--impact",
                "low"})
              .code == 0);
  Result second = p.pm(render_args("risk-notice", {"--set", "risk=2"}));
  REQUIRE(second.code == 0);
  CHECK(second.out.find("Risk #2: Final texts may arrive after 1 December\nProbability: medium\n"
                        "Impact: high\nOwner: Maria Lebedeva\n") != std::string::npos);
  CHECK(second.out.find("What we are already doing\nWe prepared the layouts") !=
        std::string::npos);
  Result third = p.pm(render_args("risk-notice"));
  REQUIRE(third.code == 0);
  CHECK(third.out.find("Risk #3: The brand book may change\nProbability: high\nImpact: low\n\n") !=
        std::string::npos);
  CHECK(third.out.find("What we are already doing") == std::string::npos);
  Result unknown = p.pm(render_args("risk-notice", {"--set", "risk=9"}));
  CHECK(unknown.code == 1);
  CHECK(unknown.err.find("there is no risk 9") != std::string::npos);
  Result closed = p.pm(render_args("risk-notice", {"--set", "risk=1"}));
  CHECK(closed.code == 1);
  CHECK(closed.err.find("risk 1 was closed on 2026-11-20") != std::string::npos);
  Result word = p.pm(render_args("risk-notice", {"--set", "risk=latest"}));
  CHECK(word.code == 1);
  CHECK(word.err.find("--set risk=latest: expected the id of an entry") != std::string::npos);
}

TEST_CASE("the monthly digest covers the last whole month unless --period names one",
          "[render][digest]") {
  Project p({"--lang", "ru"});
  fill_letter_project(p);
  // It is 20 November: the last whole month is October, when nothing happened.
  Result empty = p.pm({"render", "monthly-digest"});
  INFO(empty.err);
  REQUIRE(empty.code == 0);
  CHECK(empty.out.find("Subject: Website: итоги за октябрь 2026 г.\n") != std::string::npos);
  CHECK(empty.out.find("To: Petr Volkov <petr@acme.example>\nCc: Ivan Sidorov") !=
        std::string::npos);
  CHECK(empty.out.find("- За этот месяц не отмечено ни результатов, ни договорённостей,") !=
        std::string::npos);
  // Only what is true: no headings over empty lists, and no counts of nothing.
  for (const char* absent : {"Результаты\n", "Договорились\n", "Изменения\n", "Закрытые риски\n",
                             "задач", "риск закрыт", "запрос"}) {
    CAPTURE(absent);
    CHECK(empty.out.find(absent) == std::string::npos);
  }
  // Risks opened in November were not open in October; the deadline is.
  CHECK(empty.out.find("Открытые риски") == std::string::npos);
  CHECK(empty.out.find("- Срок сдачи проекта: 25 декабря 2026 г., по плану\n") !=
        std::string::npos);
  Result november = p.pm({"render", "monthly-digest", "--period", "2026-11"});
  REQUIRE(november.code == 0);
  CHECK(november.out.find("- 1 задача завершена\n- 1 новая договорённость\n") != std::string::npos);
  CHECK(november.out.find("- 1 риск закрыт\n- 1 риск остаётся открытым\n") != std::string::npos);
  CHECK(november.out.find("Планы на декабрь 2026 г.\n") != std::string::npos);
  Result bad = p.pm({"render", "monthly-digest", "--period", "2026-13"});
  CHECK(bad.code == 1);
  CHECK(bad.err.find("--period '2026-13': a month is 01 to 12") != std::string::npos);
  Result words = p.pm({"render", "monthly-digest", "--period", "November"});
  CHECK(words.code == 1);
  CHECK(words.err.find("write a month as 2026-11, a quarter as 2026-Q4, an ISO week as 2026-W47") !=
        std::string::npos);
  Result entry = p.pm({"render", "monthly-digest", "--set", "month=3"});
  CHECK(entry.code == 1);
  CHECK(entry.err.find("covers a month, not one entry") != std::string::npos);
  // --period also picks the week of a weekly status.
  Result week = p.pm({"render", "weekly-status", "--period", "2026-W46"});
  REQUIRE(week.code == 0);
  CHECK(week.out.find("Subject: Website: статус за 9–15 ноября 2026 г.\n") != std::string::npos);
}

TEST_CASE("escalation and delay say which variable they need", "[render]") {
  Project p;
  fill_letter_project(p);
  Result escalation = p.pm({"render", "escalation", "--set", "what_happened=Access is late"});
  CHECK(escalation.code == 1);
  CHECK(escalation.err ==
        "pm: error: the 'escalation' letter needs 'impact' (What it affects (dates, budget or "
        "results), as concretely as we can say.); give it with --set impact=VALUE\n");
  Result by = p.pm(render_args("escalation", {"--set", "decide_by=next week"}));
  CHECK(by.code == 1);
  CHECK(by.err.find("decide_by") != std::string::npos);
  Result delay = p.pm({"render", "delay", "--set", "reason=The export was late"});
  CHECK(delay.code == 1);
  CHECK(delay.err.find("needs 'new_date'") != std::string::npos);
  // The project as a whole: the promised date is the current deadline.
  Result whole = p.pm({"render", "delay", "--set", "reason=The export was late", "--set",
                       "new_date=2027-01-15"});
  REQUIRE(whole.code == 0);
  CHECK(whole.out.find("What is late: the project as a whole\nPromised for: 25 December 2026\n"
                       "New date: 15 January 2027\n") != std::string::npos);
  CHECK(whole.out.find("you can choose instead") == std::string::npos);
  CHECK(whole.out.find("To make up for it") == std::string::npos);
  CHECK(whole.out.find("Please reply to confirm the new date.\n") != std::string::npos);
}

TEST_CASE("a template name is a word, never a path", "[render][templates]") {
  Project p;
  fs::create_directories(p.root() / "work/.pm/templates");
  for (const char* name : {"../ledger", "en/../../x", "a b", ""}) {
    Result r = p.pm({"render", name});
    INFO(name);
    CHECK(r.code != 0);
    CHECK(r.out.empty());
  }
  Result r = p.pm({"render", "../../project"});
  CHECK(r.err == "pm: error: '../../project' is not a template name: names are words of "
                 "letters, digits, '-' and '_' (pm templates lists them)\n");
}
