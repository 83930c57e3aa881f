#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <unistd.h>

#include "pm/mail/builtin_templates.hpp"
#include "pm/util/error.hpp"
#include "pm/mail/template.hpp"
#include "pm/mail/letter.hpp"
#include "pm/domain/user_config.hpp"

using namespace pm;
namespace fs = std::filesystem;

namespace {

const char* k_good = R"(name: hello
description: A short hello
language: en
to: [approver, team.technical, "Boss <boss@example.com>"]
subject: "Hello from {{project.name}}"
variables:
  items:
    description: Things to list
    type: list
  when:
    description: A day
    type: date
    default: 2026-12-01
body: |
  Hi {{recipient.name}},
  {{#items}}
  - {{.}}
  {{/items}}
  {{#people.client}}{{name}}{{/people.client}}
)";

bool has_problem(const std::vector<TemplateProblem>& problems, int line, const std::string& text) {
  for (const auto& p : problems) {
    if ((line == 0 || p.line == line) && p.message.find(text) != std::string::npos) {
      return true;
    }
  }
  return false;
}

}  // namespace

TEST_CASE("a sound template parses with its variables and recipients", "[template]") {
  CHECK(check_template(k_good, "hello").empty());
  LetterTemplate t = parse_template(k_good, "hello.yaml");
  CHECK(t.name == "hello");
  CHECK(t.to.size() == 3);
  REQUIRE(t.variable("when") != nullptr);
  CHECK(t.variable("when")->default_value == "2026-12-01");
  CHECK(t.variable("items")->type == "list");
  CHECK(t.variable("nothing") == nullptr);
}

TEST_CASE("check_template finds each kind of problem, with its line", "[template]") {
  auto problems = check_template(R"(name: other
description: x
language: fr
to: ["not an address@"]
subject: "{{undeclared}}"
extra: 1
variables:
  v:
    type: colour
    required: true
    default: x
body: |
  line one
  {{#v}}
  {{/w}}
  {{>partial}}
)",
                                 "expected");
  CHECK(has_problem(problems, 1, "differs from the file name 'expected'"));
  CHECK(has_problem(problems, 3, "language 'fr' is not supported"));
  CHECK(has_problem(problems, 4, "invalid address"));
  CHECK(has_problem(problems, 5, "'undeclared' is not a declared variable"));
  CHECK(has_problem(problems, 6, "unknown key 'extra'"));
  CHECK(has_problem(problems, 8, "has no description"));
  CHECK(has_problem(problems, 8, "type 'colour'"));
  CHECK(has_problem(problems, 8, "is required and has a default"));
  CHECK(has_problem(problems, 15, "section end '{{/w}}' does not match '{{#v}}'"));
  CHECK(has_problem(problems, 16, "no partial 'partial'"));
}

TEST_CASE("malformed YAML is reported with its line", "[template]") {
  auto problems = check_template("name: x\nbody: |\n  ok\nto: [a, b\n");
  REQUIRE_FALSE(problems.empty());
  CHECK(problems.front().message.rfind("malformed YAML", 0) == 0);
  CHECK(problems.front().line >= 4);
  CHECK_THROWS_WITH(parse_template("name: [\n", "bad.yaml"), Catch::StartsWith("bad.yaml:"));
}

TEST_CASE("a key that is not a word is a problem of the template, not a crash", "[template]") {
  // Found by tests/fuzz/fuzz_template (corpus: nonscalar-key.yaml): yaml-cpp's conversion
  // error escaped check_template, so `pm templates` failed on one bad project template with
  // "yaml-cpp: error at line 1, column 3: bad conversion".
  auto problems = check_template("? [a]\n: b\nname: t\n");
  CHECK(has_problem(problems, 1, "a key must be a word"));
  problems = check_template("name: t\nvariables:\n  ? {x: 1}\n  : {description: d}\n");
  CHECK(has_problem(problems, 3, "a variable's name must be a word"));
  CHECK_THROWS_AS(parse_template("{[a]: b}", "bad.yaml"), Error);
}

TEST_CASE("missing keys are named", "[template]") {
  auto problems = check_template("name: x\n");
  for (const char* key : {"description", "language", "to", "subject", "body"}) {
    CHECK(has_problem(problems, 0, std::string("'") + key + "' is missing"));
  }
}

TEST_CASE("a required key that is blank is named, not taken", "[template]") {
  // "name: |" followed by the next key is an empty block: the fuzzer found it taken as a name.
  const std::string yaml =
      "name: |\ndescription: d\nlanguage: en\nto: [approver]\nsubject: s\nbody: |\n  b\n";
  auto problems = check_template(yaml);
  CHECK(has_problem(problems, 1, "the key 'name' is empty"));
  CHECK_THROWS_AS(parse_template(yaml, "blank.yaml"), Error);
  CHECK(has_problem(check_template("name: t\ndescription: d\nlanguage: \"  \"\nto: [approver]\n"
                                   "subject: s\nbody: b\n"),
                    3, "the key 'language' is empty"));
}

TEST_CASE("every built-in template is sound, in both languages", "[template]") {
  int en = 0;
  int ru = 0;
  for (const auto& b : builtin_templates()) {
    INFO(b.path);
    CHECK(check_template(b.yaml, b.name).empty());
    LetterTemplate t = parse_template(b.yaml, b.path);
    CHECK(t.language == b.language);
    (b.language == "en" ? en : ru) += 1;
  }
  CHECK(en == 13);
  CHECK(ru == 13);
}

TEST_CASE("the library falls back to built-ins and names the known templates", "[template]") {
  TemplateLibrary library("");
  CHECK(library.load("kickoff", "ru").language == "ru");
  CHECK_THROWS_WITH(library.load("nope", "en"), Catch::Contains("known templates: "));
}

namespace {

/// A template `name` in `language` whose body is `body` (one line, indented by the caller).
std::string letter_yaml(const std::string& name, const std::string& description,
                        const std::string& body, const std::string& language = "en") {
  return "name: " + name + "\ndescription: " + description + "\nlanguage: " + language +
         "\nto: [approver]\nsubject: s\nvariables:\n  who:\n    description: w\nbody: |\n" + body;
}

/// Partials from a fixed table, for check_template.
PartialFinder table(std::map<std::string, std::string> partials) {
  return [partials](const std::string& name, const std::string&) -> std::optional<PartialText> {
    auto it = partials.find(name);
    if (it == partials.end()) {
      return std::nullopt;
    }
    return PartialText{it->second, name + ".mustache"};
  };
}

/// A directory under the temp dir, removed at the end of the test.
struct Scratch {
  fs::path path;
  Scratch() {
    // Unique per process and per scratch: ctest runs these tests in parallel processes, and
    // an unseeded rand() gave them all the same directory (one removed it under another).
    static int count = 0;
    path = fs::temp_directory_path() / ("pm-template-test-" + std::to_string(::getpid()) + "-" +
                                        std::to_string(++count));
    fs::create_directories(path);
  }
  ~Scratch() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  void write(const std::string& file, const std::string& text) const {
    fs::create_directories((path / file).parent_path());
    std::ofstream(path / file, std::ios::binary) << text;
  }
};

}  // namespace

TEST_CASE("partials are found, checked in scope, and refused when unknown or recursive",
          "[template][partials]") {
  // The built-in signature, as the built-in letters use it.
  LetterTemplate t = parse_template(letter_yaml("p", "d", "  Hi\n  {{> signature}}\n"), "p.yaml");
  REQUIRE(t.partials.count("signature") == 1);
  CHECK(t.partials["signature"] == "Best regards,\n{{manager.name}}\n");
  CHECK(parse_template(letter_yaml("p", "d", "  {{> signature}}\n", "ru"), "p.yaml")
            .partials["signature"] == "С уважением,\n{{manager.name}}\n");

  // Unknown: a problem on the line of the tag.
  auto problems = check_template(letter_yaml("p", "d", "  Hi\n  {{> nowhere}}\n"), "p");
  CHECK(has_problem(problems, 11, "no partial 'nowhere'"));
  // A name that is not a word never becomes a path.
  CHECK(has_problem(check_template(letter_yaml("p", "d", "  {{> ../../etc/passwd}}\n"), "p"), 10,
                    "a partial's name is a word"));

  // Tags inside a partial are checked against the template's variables and in the scope it
  // is included in; the problem is reported at the line that includes it.
  auto finder = table({{"greet", "Hi {{who}} and {{nobody}}\n"},
                       {"item", "- {{name}}\n"},
                       {"self", "again {{> self}}\n"},
                       {"a", "{{> b}}"},
                       {"b", "{{> a}}"},
                       {"open", "{{#who}}never closed"}});
  problems = check_template(letter_yaml("p", "d", "  {{> greet}}\n"), "p", finder);
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].line == 10);
  CHECK(problems[0].message ==
        "in the partial greet.mustache:1: 'nobody' is not a declared variable; declare it under "
        "'variables:' or use one of the context names in docs/templates.md");
  CHECK(check_template(letter_yaml("p", "d", "  {{#people.client}}{{> item}}{{/people.client}}\n"),
                       "p", finder)
            .empty());
  CHECK(has_problem(check_template(letter_yaml("p", "d", "  {{> item}}\n"), "p", finder), 10,
                    "'name' is not a declared variable"));
  CHECK(has_problem(check_template(letter_yaml("p", "d", "  {{> open}}\n"), "p", finder), 10,
                    "section '{{#who}}' is never closed"));

  // Recursion is refused before mstch would recurse forever.
  problems = check_template(letter_yaml("p", "d", "  {{> self}}\n"), "p", finder);
  CHECK(has_problem(problems, 10, "the partial 'self' includes itself (self → self)"));
  problems = check_template(letter_yaml("p", "d", "  x\n  {{> a}}\n"), "p", finder);
  CHECK(has_problem(problems, 11, "the partial 'a' includes itself (a → b → a)"));
  CHECK_THROWS_WITH(parse_template(letter_yaml("p", "d", "  {{> self}}\n"), "p.yaml", finder),
                    Catch::StartsWith("p.yaml:10: in the partial self.mustache:1: the partial "
                                      "'self' includes itself"));
}

TEST_CASE("delimiter changes are followed by the checks and rendered", "[template][delimiters]") {
  const std::string body = "  {{=<% %>=}}\n  Hi <%who%>, {{literal}} <%={{ }}=%>\n  {{who}}\n";
  auto problems = check_template(letter_yaml("p", "d", body), "p");
  CHECK(problems.empty());
  // Under the new delimiters an undeclared name is still found, on its line.
  problems = check_template(letter_yaml("p", "d", "  {{=[ ]=}}\n  [who] [nobody]\n"), "p");
  REQUIRE(problems.size() == 1);
  CHECK(has_problem(problems, 11, "'nobody' is not a declared variable"));
  // A malformed change (mstch would crash on it) and a partial under changed delimiters
  // (mstch misreads it) are refused.
  CHECK(has_problem(check_template(letter_yaml("p", "d", "  {{=<%%>=}}\n"), "p"), 10,
                    "a delimiter change is written {{=<% %>=}}"));
  CHECK(has_problem(check_template(letter_yaml("p", "d", "  {{=a=}}\n"), "p"), 10,
                    "a delimiter change"));
  CHECK(has_problem(check_template(letter_yaml("p", "d", "  {{=<% %>=}}<%> signature%>\n"), "p"),
                    10, "switch back first with <%={{ }}=%>"));
  CHECK(has_problem(check_template(letter_yaml("p", "d", "  {{=<% %>=}}<%who\n"), "p"), 10,
                    "a Mustache tag is opened with '<%' but never closed"));

  mstch::map context{{"who", std::string("Ivan")}};
  CHECK(render_mustache("{{=<% %>=}}Hi <%who%>, {{who}} <%={{ }}=%>{{who}}", context, "en") ==
        "Hi Ivan, {{who}} Ivan");
  CHECK(render_mustache("{{=<% %>=}}<%#plural%>3|day|days<%/plural%>", context, "en") ==
        "3 days");
}

TEST_CASE("a tag of spaces is refused, even where any name would be in scope",
          "[template][delimiters]") {
  // mstch throws on each of these (a fuzzer found {{ }} inside a section over a list); inside
  // {{#people.client}} an unknown name would pass as one of the person's fields.
  for (const std::string tag : {"{{ }}", "{{  }}", "{{# }}{{/ }}", "{{^ }}{{/ }}", "{{{ }}}",
                                "{{& }}", "{{=<% %>=}}<% %><%={{ }}=%>",
                                "{{=<% %>=}}<%{ }%><%={{ }}=%>", "{{\t}}"}) {
    const std::string body = "  {{#people.client}}" + tag + "{{/people.client}}\n";
    INFO(tag);
    CHECK(has_problem(check_template(letter_yaml("p", "d", body), "p"), 10,
                      "a Mustache tag names nothing"));
    CHECK_THROWS_AS(parse_template(letter_yaml("p", "d", body), "p.yaml"), Error);
  }
  CHECK(check_template(letter_yaml("p", "d", "  {{#people.client}}{{ name }}{{/people.client}}\n"),
                       "p")
            .empty());
}

TEST_CASE("a comment of spaces is refused, an empty or worded one is fine", "[template][delimiters]") {
  // mstch throws on {{! }} (found by the fuzzer), not on {{!}} or {{!\t}}.
  for (const std::string tag : {"{{! }}", "{{!   }}", "{{ ! }}", "{{=<% %>=}}<%! %><%={{ }}=%>"}) {
    INFO(tag);
    const std::string body = "  {{#people.client}}" + tag + "{{/people.client}}\n";
    CHECK(has_problem(check_template(letter_yaml("p", "d", body), "p"), 10,
                      "a Mustache comment holds only spaces"));
    CHECK_THROWS_AS(parse_template(letter_yaml("p", "d", body), "p.yaml"), Error);
  }
  mstch::map context{{"who", std::string("Ivan")}};
  for (const std::string tag : {"{{!}}", "{{! a note }}", "{{!\t}}"}) {
    INFO(tag);
    CHECK(check_template(letter_yaml("p", "d", "  a" + tag + "b\n"), "p").empty());
    CHECK(render_mustache("a" + tag + "b", context, "en") == "ab");
  }
}

TEST_CASE("PM_TEMPLATE_PATH is split like PATH and checked", "[template][search]") {
  CHECK(split_template_path("/a:/b::/c/") ==
        std::vector<fs::path>{"/a", "/b", "/c/"});
  CHECK(split_template_path("").empty());
  CHECK_THROWS_WITH(split_template_path("/a\x01"), Catch::Contains("PM_TEMPLATE_PATH"));
  std::string many;
  for (int i = 0; i < 40; ++i) {
    many += "/d" + std::to_string(i) + ":";
  }
  CHECK_THROWS_WITH(split_template_path(many), Catch::Contains("at most 32"));
}

TEST_CASE("the search path: project, shared directories in order, built-ins, the first wins",
          "[template][search]") {
  Scratch s;
  s.write("project/kickoff.yaml", letter_yaml("kickoff", "Project kickoff", "  project\n"));
  s.write("one/en/kickoff.yaml", letter_yaml("kickoff", "Shared kickoff", "  one\n"));
  s.write("one/invoice.yaml", letter_yaml("invoice", "Shared invoice", "  {{> footer}}\n"));
  s.write("two/invoice.yaml", letter_yaml("invoice", "Second invoice", "  two\n"));
  s.write("two/partials/footer.mustache", "Footer for {{who}}\n");
  s.write("one/en/partials/signature.mustache", "Cheers,\n{{manager.name}}\n");
  TemplateLibrary library(s.path / "project", {{s.path / "one", "PM_TEMPLATE_PATH"},
                                               {s.path / "two", "PM_TEMPLATE_PATH"},
                                               {s.path / "gone", "/home/u/.config/pm/config.yaml"}});
  CHECK(library.load("kickoff", "en").origin == (s.path / "project/kickoff.yaml").string());
  // A template from the first shared directory, with a partial from the second.
  LetterTemplate invoice = library.load("invoice", "en");
  CHECK(invoice.origin == (s.path / "one/invoice.yaml").string());
  CHECK(invoice.partials.at("footer") == "Footer for {{who}}\n");
  // A shared signature replaces the built-in one in the built-in letters.
  CHECK(library.load("payment", "en").partials.at("signature") == "Cheers,\n{{manager.name}}\n");
  CHECK(library.load("payment", "ru").partials.at("signature") ==
        "С уважением,\n{{manager.name}}\n");

  std::map<std::string, TemplateInfo> listed;
  for (const auto& info : library.list()) {
    listed[info.name + "/" + info.language] = info;
  }
  CHECK(listed["kickoff/en"].source == "project");
  CHECK(listed["kickoff/en"].shadows ==
        std::vector<std::string>{(s.path / "one/en/kickoff.yaml").string(), "built-in"});
  CHECK(listed["kickoff/ru"].origin == "built-in");
  CHECK(listed["kickoff/ru"].shadows.empty());
  CHECK(listed["invoice/en"].description == "Shared invoice");
  CHECK(listed["invoice/en"].shadows ==
        std::vector<std::string>{(s.path / "two/invoice.yaml").string()});

  REQUIRE(library.missing_dirs().size() == 1);
  CHECK(library.missing_dirs()[0] == "templates_path in /home/u/.config/pm/config.yaml names " +
                                         (s.path / "gone").string() +
                                         ", which does not exist; it is skipped");
}

TEST_CASE("the user config names shared template directories", "[template][search]") {
  Scratch s;
  CHECK(load_user_config(s.path / "none.yaml").templates_path.empty());
  s.write("pm/config.yaml", "templates_path: /srv/templates\n");
  CHECK(load_user_config(s.path / "pm/config.yaml").templates_path ==
        std::vector<fs::path>{"/srv/templates"});
  s.write("pm/config.yaml", "templates_path:\n  - /srv/a\n  - shared\n");
  CHECK(load_user_config(s.path / "pm/config.yaml").templates_path ==
        std::vector<fs::path>{"/srv/a", s.path / "pm/shared"});
  s.write("pm/config.yaml", "template_path: /srv/a\n");
  CHECK_THROWS_WITH(load_user_config(s.path / "pm/config.yaml"),
                    (s.path / "pm/config.yaml").string() +
                        ":1: unknown key 'template_path'; the user config knows: templates_path, mail");
  s.write("pm/config.yaml", "templates_path: {a: 1}\n");
  CHECK_THROWS_WITH(load_user_config(s.path / "pm/config.yaml"),
                    Catch::Contains("templates_path is a directory or a list of them"));
  s.write("pm/config.yaml", "templates_path: [\n");
  CHECK_THROWS_WITH(load_user_config(s.path / "pm/config.yaml"), Catch::Contains("malformed YAML"));
  s.write("pm/config.yaml", "templates_path: \"/a\\x01\"\n");
  CHECK_THROWS_AS(load_user_config(s.path / "pm/config.yaml"), Error);
}
