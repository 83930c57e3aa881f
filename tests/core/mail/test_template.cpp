#include <catch2/catch.hpp>

#include "pm/mail/builtin_templates.hpp"
#include "pm/util/error.hpp"
#include "pm/mail/template.hpp"

using namespace pm;

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
  CHECK(has_problem(problems, 16, "partials"));
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
  CHECK(en == 12);
  CHECK(ru == 12);
}

TEST_CASE("the library falls back to built-ins and names the known templates", "[template]") {
  TemplateLibrary library("");
  CHECK(library.load("kickoff", "ru").language == "ru");
  CHECK_THROWS_WITH(library.load("nope", "en"), Catch::Contains("known templates: "));
}
