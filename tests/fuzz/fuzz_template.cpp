// The template loader (pm/mail/template.hpp) and rendering (pm/mail/letter.hpp): a template
// either loads or is refused with pm::Error, check_template agrees, and one that loads renders
// with the values it declares, against a project and a ledger on ":memory:".
#include <yaml-cpp/yaml.h>

#include <memory>
#include <string>

#include "fuzz.hpp"
#include "pm/domain/agreements.hpp"
#include "pm/domain/changes.hpp"
#include "pm/mail/html_letter.hpp"
#include "pm/mail/letter.hpp"
#include "pm/mail/template.hpp"
#include "pm/util/error.hpp"

namespace {

using pm::fuzz::check;

const pm::Instant& now() {
  static const pm::Instant k_now = pm::parse_instant("2026-11-20T10:00:00+03:00", "fuzz");
  return k_now;
}

/// A project with someone in every known role, so recipients resolve.
const pm::ProjectConfig& project() {
  static const pm::ProjectConfig k_project = [] {
    pm::ProjectConfig c;
    c.name = "Website relaunch";
    c.client = "Romashka LLC";
    c.timezone = "Europe/Moscow";
    c.deadline = "2026-12-25";
    c.manager = {"Anna Petrova", "anna@example.com", "team", {}, {}};
    c.people.push_back({"Ivan Sidorov",
                        "ivan@romashka.example",
                        "client",
                        {"approver", "technical", "finance", "sponsor"},
                        "Иван Петрович"});
    c.people.push_back({"Oleg Dev", "oleg@example.com", "team", {"technical", "approver"}, {}});
    return c;
  }();
  return k_project;
}

/// One agreement and one change, for variables filled `from:` the ledger.
pm::Ledger& ledger() {
  static const std::unique_ptr<pm::Ledger> k_ledger = [] {
    auto l = std::make_unique<pm::Ledger>(":memory:", pm::Ledger::Mode::create);
    pm::AgreementInput a;
    a.text = "Launch moves to 12 December";
    a.with = {"Ivan Sidorov"};
    a.due = "2026-12-12";
    a.author = "Anna Petrova";
    pm::log_agreement(*l, a, now(), pm::find_zone("Europe/Moscow"));
    pm::ChangeInput change;
    change.text = "Add a blog";
    change.reason = "Marketing asked";
    change.days = 5;
    change.cost = "1500";
    change.currency = "EUR";
    change.author = "Anna Petrova";
    pm::propose_change(*l, change, now());
    return l;
  }();
  return *k_ledger;
}

/// A value of the declared type for each variable pm does not fill from the ledger.
YAML::Node values_for(const pm::LetterTemplate& t) {
  YAML::Node data(YAML::NodeType::Map);
  for (const auto& v : t.variables) {
    if (!v.from.empty()) {
      continue;
    }
    if (v.type == "date") {
      data[v.name] = "2026-12-25";
    } else if (v.type == "number") {
      data[v.name] = "1500";
    } else if (v.type == "list") {
      YAML::Node items(YAML::NodeType::Sequence);
      items.push_back("first");
      items.push_back("O'Brien & Co");
      data[v.name] = items;
    } else {
      data[v.name] = "O'Brien & Co";
    }
  }
  return data;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size) {
  std::string yaml(pm::fuzz::text_of(data, size));
  std::vector<pm::TemplateProblem> problems = pm::check_template(yaml);
  pm::LetterTemplate t;
  try {
    t = pm::parse_template(yaml, "fuzz.yaml");
  } catch (const pm::Error&) {
    check(!problems.empty(), "parse_template refused a template check_template found sound");
    return 0;
  }
  check(problems.empty(), "parse_template accepted a template check_template found unsound");
  check(t.source == yaml && t.origin == "fuzz.yaml", "the template lost its source or origin");
  check(!t.name.empty() && !t.language.empty() && !t.to.empty(), "a required key is empty");
  check(t.subject.find('\n') == std::string::npos, "a loaded subject holds a line break");

  pm::LetterContext context{project(), &ledger(), now(), ""};
  pm::LetterInput input;
  input.data = values_for(t);
  input.markdown = true;  // the HTML part too
  pm::Letter letter;
  try {
    letter = pm::render_letter(t, context, input);
  } catch (const pm::Error&) {
    return 0;  // a recipient role nobody has, a default of the wrong type, ...
  }
  check(letter.subject.find_first_of("\r\n") == std::string::npos,
        "a rendered subject holds a line break");
  check(letter.template_name == t.name && letter.language == t.language,
        "the letter lost its template's name or language");
  if (t.body.find("{{") == std::string::npos) {
    check(letter.body == t.body, "a body without tags changed in rendering");
  }
  if (letter.markdown) {
    // Whatever the template's Markdown holds, its HTML carries no script and no script link:
    // cmark's safe mode drops raw HTML and unsafe links, and the theme adds only styles.
    std::string html = pm::html_letter(*letter.markdown, letter.subject, letter.language);
    for (char& c : html) {
      c = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
    }
    check(html.find("<script") == std::string::npos, "the HTML part holds a script");
    check(html.find("href=\"javascript:") == std::string::npos &&
              html.find("href=\"vbscript:") == std::string::npos,
          "the HTML part holds a script link");
  }
  try {
    std::string eml =
        pm::format_letter(letter, pm::LetterFormat::eml, now(), pm::find_zone("Europe/Moscow"));
    // A subject that renders empty is written as "Subject:" with nothing after the colon.
    check(eml.find("\nSubject:") != std::string::npos || eml.rfind("Subject:", 0) == 0,
          "a message without a Subject header");
  } catch (const pm::Error&) {
    // a header that cannot be written (a line break from a value), said as an error
  }
  return 0;
}
