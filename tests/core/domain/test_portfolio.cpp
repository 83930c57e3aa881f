// The portfolio: one project's row counted by hand (November 2026 on a Monday-to-Friday,
// 09:00-18:00 calendar in UTC, measured on the morning of Tuesday 1 December), managers keyed
// by email across alphabets, and projects that cannot be read skipped.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <unistd.h>

#include "pm/domain/agreement_state.hpp"
#include "pm/domain/agreements.hpp"
#include "pm/domain/changes.hpp"
#include "pm/domain/communication.hpp"
#include "pm/domain/nps.hpp"
#include "pm/domain/portfolio.hpp"
#include "pm/domain/registry.hpp"
#include "pm/domain/risks.hpp"
#include "pm/storage/ledger.hpp"
#include "pm/util/error.hpp"

using namespace pm;
namespace fs = std::filesystem;

namespace {

Instant at(const char* text) { return parse_instant(text, "test"); }

const Instant k_now = at("2026-12-01T09:30:00Z");
const Instant k_from = at("2026-11-01T00:00:00Z");
const Instant k_until = at("2026-12-01T00:00:00Z");

struct Project {
  Ledger ledger{":memory:", Ledger::Mode::create};
  Calendar calendar{find_zone("UTC")};
  ProjectConfig config;

  Project() {
    config.name = "Website";
    config.client = "Romashka LLC";
    config.deadline = "2026-12-20";
    config.confirm_within = 2;
    config.manager = Person{"Anna Petrova", "Anna@Agency.example", "team", {"manager"}, ""};
    config.people.push_back(
        Person{"Ivan Sidorov", "ivan@client.example", "client", {"approver"}, ""});
  }

  std::int64_t agree(const char* text, const char* when, const char* due) {
    AgreementInput in;
    in.text = text;
    in.due = due;
    in.author = "Anna";
    return ledger.find(log_agreement(ledger, in, at(when), calendar.zone()))->number;
  }
  void transition(std::int64_t number, AgreementState to, const char* on) {
    TransitionInput t;
    t.to = to;
    t.on = on;
    t.by = to == AgreementState::disputed ? "Ivan Sidorov" : "";
    t.reason = to == AgreementState::disputed ? "not what we said" : "";
    t.author = "Anna";
    record_transition(ledger, config, ConfirmationRule{&calendar, 2}, number, t, k_now);
  }
  std::int64_t request(const char* when) {
    Entry e;
    e.kind = "request";
    e.text = "A question";
    e.recorded_at = e.effective_at = at(when);
    e.author = "Ivan Sidorov";
    e.data["from"] = "ivan@client.example";
    e.data["via"] = "mail";
    return ledger.find(ledger.append(e))->number;
  }
  void reply(std::int64_t number, const char* when) {
    add_reply(ledger, ReplyInput{number, "", "mail", at(when), true, "Anna"}, k_now);
  }
  void letter(const char* when, const char* tmpl) {
    Entry e;
    e.kind = "letter";
    e.text = "A letter";
    e.recorded_at = e.effective_at = at(when);
    e.author = "Anna";
    e.data["template"] = tmpl;
    ledger.append(e);
  }
  void nps(const char* day, int score) {
    NpsAnswer a;
    a.date = parse_date(day, "day");
    a.score = score;
    a.manager = "Anna Petrova";
    add_nps_answer(ledger, a, NpsWriteContext{"Anna", "cli", k_now, calendar.zone()});
  }
  PortfolioRow row() {
    return portfolio_row("/projects/website", config, ledger, calendar, k_from, k_until, k_now);
  }
};

PortfolioRow manager_row(const char* name, const char* email, const char* client = "ACME") {
  PortfolioRow r;
  r.name = std::string("Project of ") + name;
  r.where = "/p/" + r.name;
  r.manager = name;
  r.manager_email = email;
  r.client = client;
  return r;
}

struct TempDir {
  fs::path path;
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "pm-portfolio-XXXXXX").string();
    path = ::mkdtemp(pattern.data());
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

}  // namespace

TEST_CASE("a project's row counts what its own commands count", "[portfolio]") {
  Project p;
  // A1: due 20 Nov, never answered: confirmed by silence, and overdue.
  p.agree("Texts by 20 November", "2026-11-02T10:00:00Z", "2026-11-20");
  // A2: fulfilled: counted nowhere.
  const std::int64_t fulfilled = p.agree("Logo by 10 November", "2026-11-03T10:00:00Z",
                                         "2026-11-10");
  p.transition(fulfilled, AgreementState::fulfilled, "2026-11-09");
  // A3: disputed, no due day.
  const std::int64_t disputed = p.agree("Two rounds of edits", "2026-11-25T10:00:00Z", "");
  p.transition(disputed, AgreementState::disputed, "2026-11-26");
  // A4: yesterday, due later: still within its confirmation window.
  p.agree("Launch on 10 December", "2026-11-30T10:00:00Z", "2026-12-10");

  // The deadline moves by an approved change of 5 days.
  ChangeInput change;
  change.text = "Add a blog";
  change.reason = "Marketing asked";
  change.days = 5;
  change.author = "Anna";
  const EntryId c = propose_change(p.ledger, change, at("2026-11-05T10:00:00Z"));
  decide_change(p.ledger, c, Side::client, Verdict::approve, "Ivan", "", "Anna",
                at("2026-11-06T10:00:00Z"));
  decide_change(p.ledger, c, Side::team, Verdict::approve, "Anna", "", "Anna",
                at("2026-11-06T11:00:00Z"));

  // Risks: high (its impact), low, and a closed one.
  add_risk(p.ledger, {"Texts late", "low", "high", "", "", "Anna"}, at("2026-11-04T10:00:00Z"));
  add_risk(p.ledger, {"Hosting", "low", "low", "", "", "Anna"}, at("2026-11-04T11:00:00Z"));
  const EntryId closed =
      add_risk(p.ledger, {"Fonts", "medium", "medium", "", "", "Anna"}, at("2026-11-04T12:00:00Z"));
  close_risk(p.ledger, closed, "licensed", "Anna", at("2026-11-05T12:00:00Z"));

  // Status letters: the weekly one on Friday 27 November; another letter after it is not one.
  p.letter("2026-11-27T15:00:00Z", "weekly-status");
  p.letter("2026-11-30T15:00:00Z", "agreement-confirmation");

  // Requests: one answered in an hour, one after a working day (past the 2 h SLA).
  p.reply(p.request("2026-11-10T10:00:00Z"), "2026-11-10T11:00:00Z");
  p.reply(p.request("2026-11-12T10:00:00Z"), "2026-11-13T10:00:00Z");

  p.nps("2026-11-20", 10);
  p.nps("2026-11-21", 9);
  p.nps("2026-11-22", 3);

  const PortfolioRow r = p.row();
  CHECK(r.name == "Website");
  CHECK(r.where == "/projects/website");
  CHECK(r.manager == "Anna Petrova");
  CHECK(r.manager_email == "Anna@Agency.example");
  CHECK(r.client == "Romashka LLC");
  REQUIRE(r.deadline.baseline);
  REQUIRE(r.deadline.current);
  CHECK(format_date(*r.deadline.baseline) == "2026-12-20");
  CHECK(format_date(*r.deadline.current) == "2026-12-25");
  CHECK(r.deadline.days == 5);
  CHECK(r.overdue_agreements == 1);
  CHECK(r.unconfirmed_agreements == 1);
  CHECK(r.disputed_agreements == 1);
  CHECK(r.risks == RiskCounts{1, 0, 1});
  REQUIRE(r.last_status_letter);
  CHECK(format_date(*r.last_status_letter) == "2026-11-27");
  CHECK(r.nps.n() == 3);
  CHECK(r.nps.promoters == 2);
  CHECK(r.reply_breaches == 1);
  // From the first entry (2 November) to the letter of 27 November: longer than 5 working
  // days; from then to now: 2.
  CHECK(r.status_breaches == 1);
  CHECK(r.sla_breaches() == 2);

  const Json j = portfolio_row_json(r);
  CHECK(j["manager"]["key"] == "anna@agency.example");
  CHECK(j["deadline"]["current"] == "2026-12-25");
  CHECK(j["agreements"]["overdue"] == 1);
  CHECK(j["risks"]["high"] == 1);
  CHECK(j["last_status_letter"] == "2026-11-27");
  CHECK(j["nps"]["answers"] == 3);
  CHECK(j["sla"]["breaches"] == 2);
}

TEST_CASE("an empty project has an empty row", "[portfolio]") {
  Project p;
  p.config.deadline.clear();
  const PortfolioRow r = p.row();
  CHECK_FALSE(r.deadline.current);
  CHECK(r.overdue_agreements == 0);
  CHECK(r.risks == RiskCounts{0, 0, 0});
  CHECK_FALSE(r.last_status_letter);
  CHECK(r.nps.n() == 0);
  CHECK(r.sla_breaches() == 0);
  const Json j = portfolio_row_json(r);
  CHECK(j["deadline"]["current"].is_null());
  CHECK(j["last_status_letter"].is_null());
  CHECK(j["nps"]["nps"].is_null());
}

TEST_CASE("a risk's severity is the higher of its probability and impact", "[portfolio]") {
  CHECK(risk_severity("low", "low") == 0);
  CHECK(risk_severity("low", "medium") == 1);
  CHECK(risk_severity("high", "low") == 2);
}

TEST_CASE("managers are keyed by email across alphabets and spellings", "[portfolio]") {
  CHECK(manager_key("  Anna@Agency.Example ") == "anna@agency.example");
  CHECK(manager_key("") == "");
  std::vector<PortfolioRow> rows = {
      manager_row("Anna Petrova", "anna@agency.example", "ACME"),
      manager_row("Boris Ivanov", "boris@agency.example", "Globex"),
      manager_row("Анна Петрова", "Anna@Agency.example ", "acme "),
      manager_row("Anna Petrova", "ANNA@agency.example", "Initech"),
      manager_row("Dmitry", "", "Globex"),
      manager_row("dmitry", "", "Globex"),
  };
  rows[0].overdue_agreements = 2;
  rows[2].overdue_agreements = 1;
  rows[2].nps.add(10, 3);
  rows[3].nps.add(0, 1);
  rows[0].last_status_letter = parse_date("2026-11-27", "day");
  rows[2].last_status_letter = parse_date("2026-11-20", "day");

  const auto groups = group_portfolio(rows, PortfolioBy::manager);
  REQUIRE(groups.size() == 3);
  CHECK(groups[0].key == "anna@agency.example");
  CHECK(groups[0].email == "anna@agency.example");
  CHECK(groups[0].name == "Anna Petrova");  // two projects against one
  CHECK(groups[0].names == std::vector<std::string>{"Anna Petrova", "Анна Петрова"});
  CHECK(groups[0].rows.size() == 3);
  CHECK(groups[0].overdue_agreements == 3);
  CHECK(groups[0].nps.n() == 4);
  CHECK(groups[0].project_without_letter);
  CHECK(format_date(*groups[0].oldest_status_letter) == "2026-11-20");
  CHECK(groups[1].name == "Boris Ivanov");
  // No email: grouped by name (case folded), with a note.
  CHECK(groups[2].email.empty());
  CHECK(groups[2].name == "Dmitry");
  CHECK(groups[2].rows.size() == 2);
  CHECK_FALSE(groups[2].note.empty());

  // A tie goes to the spelling seen first.
  const auto tie = group_portfolio({manager_row("Анна Петрова", "anna@agency.example"),
                                    manager_row("Anna Petrova", "anna@agency.example")},
                                   PortfolioBy::manager);
  REQUIRE(tie.size() == 1);
  CHECK(tie[0].name == "Анна Петрова");

  const auto clients = group_portfolio(rows, PortfolioBy::client);
  REQUIRE(clients.size() == 3);
  CHECK(clients[0].name == "ACME");
  CHECK(clients[0].rows.size() == 2);  // "ACME" and "acme " are one client
  CHECK(clients[1].name == "Globex");
  CHECK(clients[1].rows.size() == 3);

  const Json j = portfolio_group_json(groups[0]);
  CHECK(j["email"] == "anna@agency.example");
  CHECK(j["projects"].size() == 3);
  CHECK(j["nps"]["answers"] == 4);
  CHECK(parse_portfolio_by("client") == PortfolioBy::client);
  CHECK_THROWS_AS(parse_portfolio_by("team"), Error);
}

TEST_CASE("projects that cannot be read are skipped with one line each", "[portfolio]") {
  TempDir tmp;
  ProjectConfig config;
  config.name = "Good";
  config.client = "ACME";
  config.manager = Person{"Anna", "anna@agency.example", "team", {}, ""};
  init_project(tmp.path / "good", config);
  config.name = "Bad yaml";
  init_project(tmp.path / "bad", config);
  std::ofstream(tmp.path / "bad/.pm/project.yaml", std::ios::trunc) << "name: [unclosed\n";
  config.name = "Damaged";
  init_project(tmp.path / "damaged", config);
  for (const char* suffix : {"", "-wal", "-shm"}) {
    fs::remove(tmp.path / ("damaged/.pm/ledger.db" + std::string(suffix)));
  }
  std::ofstream(tmp.path / "damaged/.pm/ledger.db") << "not a database at all, not at all";
  fs::create_directories(tmp.path / "plain");

  std::vector<PortfolioProject> projects =
      directory_projects({tmp.path / "good", tmp.path / "missing", tmp.path / "bad",
                          tmp.path / "good/", tmp.path / "damaged", tmp.path / "plain"});
  CHECK(projects.size() == 5);  // good/ is good

  // Another engine hands in its projects the same way: here, a ledger in memory.
  PortfolioProject memory;
  memory.where = "memory:demo";
  memory.config = [] {
    ProjectConfig c;
    c.name = "In memory";
    return c;
  };
  memory.open = [] { return std::make_unique<Ledger>(":memory:", Ledger::Mode::create); };
  memory.calendar = [](const ProjectConfig&) { return Calendar(find_zone("UTC")); };
  projects.push_back(memory);

  std::vector<std::string> read;
  std::vector<PortfolioSkipped> skipped;
  const std::size_t visited = each_portfolio_project(
      projects,
      [&](const PortfolioProject& p, const ProjectConfig& c, Ledger& ledger, const Calendar& cal) {
        read.push_back(c.name);
        portfolio_row(p.where, c, ledger, cal, k_from, k_until, k_now);
      },
      skipped);
  CHECK(visited == 2);
  CHECK(read == std::vector<std::string>{"Good", "In memory"});
  REQUIRE(skipped.size() == 4);
  CHECK(skipped[0].where == (fs::canonical(tmp.path) / "missing").string());
  CHECK(skipped[0].reason == "the directory does not exist");
  CHECK(skipped[1].where == (fs::canonical(tmp.path) / "bad").string());
  CHECK(skipped[3].reason == "no pm project there (no .pm/ directory)");
  for (const auto& s : skipped) {
    CHECK_FALSE(s.reason.empty());
    CHECK(s.reason.find('\n') == std::string::npos);
  }
}

TEST_CASE("the registry forgets one project or the missing ones", "[portfolio]") {
  TempDir tmp;
  const fs::path file = tmp.path / "projects";
  fs::create_directories(tmp.path / "a");
  fs::create_directories(tmp.path / "b");
  register_project(file, tmp.path / "a");
  register_project(file, tmp.path / "b");
  register_project(file, tmp.path / "gone");
  {
    std::ofstream out(file, std::ios::app);
    out << "# a comment stays\n";
  }
  const fs::path a = fs::canonical(tmp.path / "a");
  CHECK(forget_project(file, tmp.path / "a/") == a);
  CHECK_THROWS_WITH(forget_project(file, tmp.path / "a"),
                    Catch::Contains((tmp.path / "a").string()) &&
                        Catch::Contains("is not in the registry"));
  const std::vector<fs::path> gone = forget_missing_projects(file);
  REQUIRE(gone.size() == 1);
  CHECK(gone[0].filename() == "gone");
  CHECK(read_registry(file) == std::vector<fs::path>{fs::canonical(tmp.path / "b")});
  CHECK(read_file(file).find("# a comment stays\n") != std::string::npos);
  CHECK(forget_missing_projects(file).empty());
}
