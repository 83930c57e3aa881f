#include <catch2/catch.hpp>

#include "pm/domain/agreements.hpp"
#include "pm/domain/notes.hpp"
#include "pm/domain/risks.hpp"
#include "pm/util/error.hpp"
#include "pm/mail/letter.hpp"
#include "pm/util/words.hpp"

using namespace pm;

namespace {

ProjectConfig config() {
  ProjectConfig c;
  c.name = "Website";
  c.client = "ACME";
  c.timezone = "Europe/Moscow";
  c.deadline = "2026-12-25";
  c.manager = {"Anna Petrova", "anna@example.com", "team", {}, {}};
  c.people.push_back({"Ivan Sidorov", "ivan@acme.example", "client", {"approver"}, {}});
  return c;
}

LetterTemplate tmpl(const std::string& body, const std::string& variables = "") {
  return parse_template("name: t\ndescription: d\nlanguage: en\nto: [approver]\n"
                        "subject: \"About {{project.name}}\"\n" +
                            (variables.empty() ? "" : "variables:\n" + variables) + "body: |\n" +
                            body,
                        "t.yaml");
}

}  // namespace

TEST_CASE("a letter sees the project, the recipient and the given values", "[letter]") {
  ProjectConfig c = config();
  LetterContext ctx{c, nullptr, parse_instant("2026-11-20T10:00:00+03:00", "t"), ""};
  LetterInput in;
  in.sets = {{"what", "O'Brien & Co"}, {"on", "2026-12-01"}};
  Letter l = render_letter(
      tmpl("  {{recipient.name}}: {{what}} on {{on}}, deadline {{project.deadline}}, {{today}}\n",
           "  what:\n    description: w\n    required: true\n"
           "  on:\n    description: o\n    type: date\n"),
      ctx, in);
  CHECK(l.subject == "About Website");
  CHECK(l.body ==
        "Ivan Sidorov: O'Brien & Co on 1 December 2026, deadline 25 December 2026, "
        "20 November 2026\n");
  REQUIRE(l.to.size() == 1);
  CHECK(l.to[0].address == "ivan@acme.example");
  CHECK(l.from.name == "Anna Petrova");
}

TEST_CASE("list variables take lines from --set", "[letter]") {
  ProjectConfig c = config();
  LetterContext ctx{c, nullptr, Instant{}, ""};
  LetterInput in;
  in.sets = {{"items", "one\ntwo\n"}};
  Letter l = render_letter(tmpl("  {{#items}}\n  - {{.}}\n  {{/items}}\n",
                                "  items:\n    description: i\n    type: list\n"),
                           ctx, in);
  CHECK(l.body == "- one\n- two\n");
}

TEST_CASE("strictness: missing, undeclared and mistyped values", "[letter]") {
  ProjectConfig c = config();
  LetterContext ctx{c, nullptr, Instant{}, ""};
  auto t = tmpl("  {{n}}\n", "  n:\n    description: a number\n    type: number\n    required: true\n");
  CHECK_THROWS_WITH(render_letter(t, ctx, {}), Catch::Contains("needs 'n' (a number)"));
  LetterInput extra;
  extra.sets = {{"n", "1"}, {"m", "2"}};
  CHECK_THROWS_WITH(render_letter(t, ctx, extra), Catch::Contains("'m' is not a variable"));
  LetterInput word;
  word.sets = {{"n", "ten"}};
  CHECK_THROWS_WITH(render_letter(t, ctx, word), Catch::Contains("must be a number"));
}

TEST_CASE("recipients: empty roles, team roles and literal addresses", "[letter]") {
  ProjectConfig c = config();
  LetterContext ctx{c, nullptr, Instant{}, ""};
  auto t = parse_template("name: t\ndescription: d\nlanguage: en\nto: [finance]\nsubject: s\n"
                          "body: b\n",
                          "t.yaml");
  CHECK_THROWS_WITH(render_letter(t, ctx, {}),
                    Catch::Contains("--side client --role finance"));
  LetterInput to;
  to.to = {"Boss <boss@example.com>", "manager"};
  Letter l = render_letter(t, ctx, to);
  REQUIRE(l.to.size() == 2);
  CHECK(l.to[0].name == "Boss");
  CHECK(l.to[1].address == "anna@example.com");
}

TEST_CASE("a subject that would hold a line break is refused", "[letter]") {
  ProjectConfig c = config();
  LetterContext ctx{c, nullptr, Instant{}, ""};
  auto t = parse_template("name: t\ndescription: d\nlanguage: en\nto: [approver]\n"
                          "subject: \"Re: {{x}}\"\nvariables:\n  x:\n    description: x\n"
                          "body: b\n",
                          "t.yaml");
  LetterInput in;
  in.sets = {{"x", "hi\nBcc: evil@example.com"}};
  CHECK_THROWS_WITH(render_letter(t, ctx, in), Catch::Contains("line break"));
}

TEST_CASE("the agreement source fills the latest agreement or the one named", "[letter]") {
  ProjectConfig c = config();
  Ledger ledger(":memory:", Ledger::Mode::create);
  Zone zone = find_zone(c.timezone);
  Instant now = parse_instant("2026-11-20T10:00:00+03:00", "t");
  AgreementInput a;
  a.text = "First";
  a.with = {"Ivan", "Olga"};
  a.due = "2026-12-12";
  a.author = "me";
  log_agreement(ledger, a, now, zone);
  a.text = "Second";
  log_agreement(ledger, a, now, zone);
  LetterContext ctx{c, &ledger, now, ""};
  auto t = tmpl("  {{agreement.id}} {{agreement.text}} {{agreement.with}} {{agreement.due}}\n",
                "  agreement:\n    description: a\n    from: agreement\n");
  CHECK(render_letter(t, ctx, {}).body == "2 Second Ivan, Olga 12 December 2026\n");
  LetterInput first;
  first.sets = {{"agreement", "1"}};
  Letter l = render_letter(t, ctx, first);
  CHECK(l.body == "1 First Ivan, Olga 12 December 2026\n");
  CHECK(l.entries == std::vector<EntryId>{1});
  LetterInput missing;
  missing.sets = {{"agreement", "9"}};
  CHECK_THROWS_WITH(render_letter(t, ctx, missing), Catch::Contains("there is no agreement 9"));
}

TEST_CASE("eml format builds a complete message", "[letter]") {
  ProjectConfig c = config();
  LetterContext ctx{c, nullptr, parse_instant("2026-11-20T10:00:00+03:00", "t"), ""};
  Letter l = render_letter(tmpl("  Hi\n"), ctx, {});
  std::string eml = format_letter(l, LetterFormat::eml, ctx.now, find_zone("Europe/Moscow"));
  CHECK(eml.rfind("Date: Fri, 20 Nov 2026 10:00:00 +0300\n", 0) == 0);
  CHECK(eml.find("\nSubject: About Website\n") != std::string::npos);
  CHECK(eml.find("\nX-PM-Template: t\n") != std::string::npos);
  CHECK(eml == format_letter(l, LetterFormat::eml, ctx.now, find_zone("Europe/Moscow")));
  CHECK_THROWS_AS(parse_letter_format("pdf"), Error);
}

TEST_CASE("plural forms follow each language's rules", "[letter][plural]") {
  // Russian: one (1, 21, 101), few (2-4, 22-24), many (0, 5-20, 11-14, 25, 111).
  const std::string forms = "рабочий час|рабочих часа|рабочих часов";
  for (auto [count, expect] : std::vector<std::pair<const char*, const char*>>{
           {"1", "1 рабочий час"},      {"2", "2 рабочих часа"},     {"4", "4 рабочих часа"},
           {"5", "5 рабочих часов"},    {"11", "11 рабочих часов"},  {"12", "12 рабочих часов"},
           {"14", "14 рабочих часов"},  {"21", "21 рабочий час"},     {"22", "22 рабочих часа"},
           {"25", "25 рабочих часов"},  {"101", "101 рабочий час"},  {"111", "111 рабочих часов"},
           {"0", "0 рабочих часов"},    {"1.5", "1.5 рабочих часов"}, {"-1", "-1 рабочий час"}}) {
    CAPTURE(count);
    CHECK(plural_text(count, forms, "ru") == expect);
  }
  CHECK(plural_text("1", "working day|working days", "en") == "1 working day");
  CHECK(plural_text("21", "working day|working days", "en") == "21 working days");
  CHECK(plural_text("0", "working day|working days", "en") == "0 working days");
  // Fewer forms than the language has: the last one stands in.
  CHECK(plural_text("3", "день|дня", "ru") == "3 дня");
  CHECK(plural_text("7", "день|дня", "ru") == "7 дня");
}

TEST_CASE("{{#plural}} in a template renders the count it is given", "[letter][plural]") {
  ProjectConfig c = config();
  c.sla_reply_hours = 1;
  c.sla_status_every_days = 21;
  LetterContext ctx{c, nullptr, Instant{}, ""};
  LetterInput in;
  in.sets = {{"weeks", "3"}};
  LetterTemplate t = parse_template(
      "name: t\ndescription: d\nlanguage: ru\nto: [approver]\n"
      "subject: \"{{#plural}}{{sla.reply_hours}}|час|часа|часов{{/plural}}\"\n"
      "variables:\n  weeks:\n    description: w\n    type: number\n"
      "body: |\n"
      "  {{#plural}}{{sla.status_every_days}}|день|дня|дней{{/plural}}; "
      "{{#project}}{{#plural}}{{weeks}}|неделя|недели|недель{{/plural}}{{/project}}\n",
      "t.yaml");
  Letter l = render_letter(t, ctx, in);
  CHECK(l.subject == "1 час");
  CHECK(l.body == "21 день; 3 недели\n");
}

TEST_CASE("values from --data keep their YAML types", "[letter][data]") {
  ProjectConfig c = config();
  LetterContext ctx{c, nullptr, Instant{}, ""};
  auto t = tmpl("  {{#flag}}shown{{/flag}}{{^flag}}hidden{{/flag}} {{flag}}"
                " | {{#count}}{{count}} items{{/count}}{{^count}}none{{/count}}"
                " | {{amount}} | {{#word}}word:{{word}}{{/word}}"
                " | {{address.city}}, {{#address}}{{street.name}} {{street.number}}{{/address}}"
                " | {{#lines}}{{name}}={{qty}};{{/lines}}\n",
                "  flag:\n    description: f\n"
                "  count:\n    description: c\n    type: number\n"
                "  amount:\n    description: a\n    type: number\n"
                "  word:\n    description: w\n"
                "  address:\n    description: a\n    type: map\n"
                "  lines:\n    description: l\n    type: list\n");
  LetterInput in;
  in.data = YAML::Load(R"(
flag: false
count: 0
amount: 1500.50
word: "false"
address: {city: Moscow, street: {name: Tverskaya, number: 7}}
lines: [{name: pens, qty: 2}, {name: ink, qty: 0}]
)");
  CHECK(render_letter(t, ctx, in).body ==
        "hidden false | none | 1,500.50 | word:false | Moscow, Tverskaya 7 | pens=2;ink=0;\n");

  in.data = YAML::Load("{\"flag\": true, \"count\": 3, \"amount\": 7, \"word\": \"no\", "
                       "\"address\": {\"city\": \"Kazan\"}, \"lines\": []}");
  CHECK(render_letter(t, ctx, in).body ==
        "shown true | 3 items | 7 | word:no | Kazan,   | \n");

  // YAML 1.2: yes, no, on, off are words, not booleans; a tagged !!str stays text; numbers
  // mstch would write differently (007, +5, a huge one) are written as given.
  auto words = tmpl("  {{#a}}a={{a}}{{/a}} {{#b}}b={{b}}{{/b}} {{c}} {{d}} {{e}}\n",
                    "  a:\n    description: a\n  b:\n    description: b\n"
                    "  c:\n    description: c\n  d:\n    description: d\n"
                    "  e:\n    description: e\n");
  in.data = YAML::Load("{a: no, b: !!str false, c: 007, d: +5, e: 12345678901234}");
  CHECK(render_letter(words, ctx, in).body == "a=no b=false 007 +5 12345678901234\n");

  // --set stays text, typed by the declared type alone: "false" is a non-empty word, while a
  // number variable's 0 is zero, which hides its section as --data's would.
  LetterInput set;
  set.sets = {{"flag", "false"}, {"count", "0"}, {"amount", "1"}};
  CHECK(render_letter(t, ctx, set).body.rfind("shown false | none | 1 |", 0) == 0);
}

TEST_CASE("values from --data of the wrong shape are refused, naming the variable",
          "[letter][data]") {
  ProjectConfig c = config();
  LetterContext ctx{c, nullptr, Instant{}, ""};
  auto t = tmpl("  {{#lines}}{{.}}{{/lines}}{{address.city}}{{word}}\n",
                "  lines:\n    description: l\n    type: list\n"
                "  address:\n    description: a\n    type: map\n"
                "  word:\n    description: w\n");
  LetterInput in;
  in.data = YAML::Load("lines: {a: 1}");
  CHECK_THROWS_WITH(render_letter(t, ctx, in),
                    "variable 'lines' of 't' is a list, and was given a map; give it as a YAML "
                    "list (- item) or as lines of --set lines=...");
  in.data = YAML::Load("address: [a, b]");
  CHECK_THROWS_WITH(render_letter(t, ctx, in),
                    Catch::StartsWith("variable 'address' of 't' is a map of fields"));
  LetterInput set;
  set.sets = {{"address", "Moscow"}};
  CHECK_THROWS_WITH(render_letter(t, ctx, set), Catch::Contains("give it in --data FILE"));
  in.data = YAML::Load("word: {a: 1}");
  CHECK_THROWS_WITH(render_letter(t, ctx, in),
                    "variable 'word' of 't' must be a single value, not a list or a map");
  in.data = YAML::Load("address: {[x]: 1}");
  CHECK_THROWS_WITH(render_letter(t, ctx, in), Catch::Contains("a key inside it is a list"));
  std::string deep = "address: ";
  for (int i = 0; i < 40; ++i) {
    deep += "{a: ";
  }
  deep += "1" + std::string(40, '}');
  in.data = YAML::Load(deep);
  CHECK_THROWS_WITH(render_letter(t, ctx, in), Catch::Contains("nested more than 16 levels"));
  // A key with nothing after it is not given: an optional variable renders empty.
  in.data = YAML::Load("word:\nlines:\n");
  CHECK(render_letter(t, ctx, in).body == "\n");
}

TEST_CASE("a map variable has no default", "[letter][data]") {
  auto problems = check_template("name: t\ndescription: d\nlanguage: en\nto: [approver]\n"
                                 "subject: s\nvariables:\n  m:\n    description: m\n"
                                 "    type: map\n    default: x\nbody: b\n",
                                 "t");
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].message == "variable 'm' is a map and cannot have a default; make it "
                               "optional instead");
}

TEST_CASE("the risk source fills the latest open risk or the one named", "[letter][risk]") {
  ProjectConfig c = config();
  Ledger ledger(":memory:", Ledger::Mode::create);
  Instant now = parse_instant("2026-11-20T10:00:00+03:00", "t");
  LetterContext ctx{c, &ledger, now, ""};
  auto t = tmpl("  {{risk.id}} {{risk.text}}: {{risk.probability}}/{{risk.impact}}, "
                "{{risk.action}}, {{risk.owner}}, {{risk.opened}}\n",
                "  risk:\n    description: r\n    from: risk\n");
  CHECK_THROWS_WITH(render_letter(t, ctx, {}), Catch::Contains("holds no open risk"));
  add_risk(ledger, {"Texts may come late", "high", "medium", "Placeholders", "Maria", "me"}, now);
  add_risk(ledger, {"Hosting", "low", "low", "", "", "me"}, now);
  EntryId third = add_risk(ledger, {"Brand book", "medium", "high", "", "", "me"}, now);
  close_risk(ledger, third, "Settled", "me", now);
  // The latest open one: risk 3 is closed.
  Letter latest = render_letter(t, ctx, {});
  CHECK(latest.body == "2 Hosting: low/low, , , 20 November 2026\n");
  LetterInput first;
  first.sets = {{"risk", "1"}};
  Letter l = render_letter(t, ctx, first);
  CHECK(l.body == "1 Texts may come late: high/medium, Placeholders, Maria, 20 November 2026\n");
  CHECK(l.entries == std::vector<EntryId>{1});
  LetterInput missing;
  missing.sets = {{"risk", "9"}};
  CHECK_THROWS_WITH(render_letter(t, ctx, missing), Catch::Contains("there is no risk 9"));
  LetterInput closed;
  closed.sets = {{"risk", "3"}};
  CHECK_THROWS_WITH(render_letter(t, ctx, closed),
                    Catch::Contains("risk 3 was closed on 2026-11-20"));
  // In Russian the levels are words of the letter's language.
  LetterTemplate ru = parse_template("name: t\ndescription: d\nlanguage: ru\nto: [approver]\n"
                                     "subject: s\nvariables:\n  risk:\n    description: r\n"
                                     "    from: risk\nbody: |\n  {{risk.probability}}, "
                                     "{{risk.impact}}\n",
                                     "t.yaml");
  CHECK(render_letter(ru, ctx, first).body == "высокая, среднее\n");
}

TEST_CASE("the month source builds the last whole month, or the period given", "[letter][digest]") {
  ProjectConfig c = config();
  Ledger ledger(":memory:", Ledger::Mode::create);
  Zone zone = find_zone(c.timezone);
  Instant now = parse_instant("2026-12-03T10:00:00+03:00", "t");
  auto t = tmpl("  {{month.name}}|{{month.next_name}}|{{#month.empty}}empty{{/month.empty}}|"
                "{{month.count.done}}|{{month.count.closed_risks}}|"
                "{{#month.has.plans}}plans{{/month.has.plans}}|"
                "{{#month.upcoming}}{{date}} {{text}};{{/month.upcoming}}\n",
                "  month:\n    description: m\n    from: month\n");
  LetterContext ctx{c, &ledger, now, ""};
  CHECK(render_letter(t, ctx, {}).body ==
        "November 2026|December 2026|empty|0|0|plans|25 December 2026 Project deadline;\n");
  add_note(ledger, {"done", "Layout approved", "2026-11-17", std::nullopt, "me"}, now, zone);
  EntryId risk = add_risk(ledger, {"Texts", "high", "high", "", "", "me"},
                          parse_instant("2026-11-10T10:00:00+03:00", "t"));
  close_risk(ledger, risk, "Arrived", "me", parse_instant("2026-11-20T10:00:00+03:00", "t"));
  CHECK(render_letter(t, ctx, {}).body ==
        "November 2026|December 2026||1|1|plans|25 December 2026 Project deadline;\n");
  // October: nothing then, and the deadline is not in November.
  ctx.period = month_period(2026, 10, zone);
  CHECK(render_letter(t, ctx, {}).body == "October 2026|November 2026|empty|0|0||\n");
  // Not a whole month: named as a period.
  ctx.period = day_period(Date{date::year{2026} / 11 / 16}, Date{date::year{2026} / 11 / 22}, zone);
  CHECK(render_letter(t, ctx, {}).body.rfind("16–22 November 2026|December 2026||1|1|", 0) == 0);
  LetterInput id;
  id.sets = {{"month", "1"}};
  CHECK_THROWS_WITH(render_letter(t, ctx, id), Catch::Contains("covers a month, not one entry"));
}

TEST_CASE("{{#has.NAME}} says whether a list variable has items", "[letter]") {
  ProjectConfig c = config();
  LetterContext ctx{c, nullptr, Instant{}, ""};
  auto t = tmpl("  {{#has.items}}\n  Items:\n  {{/has.items}}\n  {{#items}}\n  - {{.}}\n"
                "  {{/items}}\n  end\n",
                "  items:\n    description: i\n    type: list\n");
  CHECK(render_letter(t, ctx, {}).body == "end\n");
  LetterInput in;
  in.sets = {{"items", "one\ntwo"}};
  CHECK(render_letter(t, ctx, in).body == "Items:\n- one\n- two\nend\n");
}
