#include <catch2/catch.hpp>

#include <cstdlib>

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include "pm/domain/agreements.hpp"
#include "pm/domain/changes.hpp"
#include "pm/domain/notes.hpp"
#include "pm/domain/report.hpp"
#include "pm/domain/risks.hpp"
#include "pm/util/words.hpp"

using namespace pm;

namespace {

Instant at(const char* text) { return parse_instant(text, "t"); }

/// A fortnight in Moscow: weeks 2026-W47 (16-22 November) and 2026-W48 (23-29 November).
struct Fortnight {
  Ledger ledger{":memory:", Ledger::Mode::create};
  ProjectConfig config;
  Zone zone = find_zone("Europe/Moscow");
  EntryId old_agreement = 0;
  EntryId texts = 0;
  EntryId blog = 0;
  EntryId dark = 0;
  EntryId risk = 0;

  void note(const char* kind, const char* text, const char* when) {
    add_note(ledger, {kind, text, "", std::nullopt, "Anna"}, at(when), zone);
  }
  EntryId agree(const char* text, const char* due, const char* when) {
    AgreementInput in;
    in.text = text;
    in.due = due;
    in.author = "Anna";
    return log_agreement(ledger, in, at(when), zone);
  }
  EntryId change(const char* text, int days, const char* when) {
    ChangeInput in;
    in.text = text;
    in.reason = "asked";
    in.days = days;
    in.author = "Anna";
    return propose_change(ledger, in, at(when));
  }

  Fortnight() {
    config.name = "Website";
    config.timezone = "Europe/Moscow";
    config.deadline = "2026-12-25";
    old_agreement = agree("Old promise", "2026-11-10", "2026-11-02T12:00:00+03:00");
    note("done", "Wrote the spec", "2026-11-16T09:00:00+03:00");
    note("next", "Design review", "2026-11-17T12:00:00+03:00");
    texts = agree("Client sends texts", "2026-11-27", "2026-11-18T15:00:00+03:00");
    blog = change("Add a blog", 8, "2026-11-18T16:00:00+03:00");
    decide_change(ledger, blog, Side::client, Verdict::approve, "Ivan", "", "Anna",
                  at("2026-11-19T10:00:00+03:00"));
    dark = change("Dark mode", 5, "2026-11-19T11:00:00+03:00");
    risk = add_risk(ledger, {"Texts may be late", "high", "medium", "Remind", "Ivan", "Anna"},
                    at("2026-11-20T10:00:00+03:00"));
    note("done", "Late on Sunday", "2026-11-22T23:30:00+03:00");  // 20:30 UTC
    note("done", "Early on Monday", "2026-11-23T00:30:00+03:00");  // Sunday 21:30 UTC
    decide_change(ledger, blog, Side::team, Verdict::approve, "Anna", "", "Anna",
                  at("2026-11-23T10:00:00+03:00"));
    decide_change(ledger, dark, Side::client, Verdict::reject, "Ivan", "Not now", "Anna",
                  at("2026-11-24T10:00:00+03:00"));
    close_risk(ledger, risk, "Texts arrived", "Anna", at("2026-11-25T10:00:00+03:00"));
  }

  Report report(const char* week, const char* now) {
    return build_report(ledger, config, parse_week(week, at(now), zone), at(now));
  }
};

std::vector<std::string> texts_of(const std::vector<ReportNote>& notes) {
  std::vector<std::string> out;
  for (const auto& n : notes) {
    out.push_back(n.text);
  }
  return out;
}

}  // namespace

TEST_CASE("the report puts each item in its week, by local time", "[report]") {
  Fortnight f;
  Report w47 = f.report("2026-W47", "2026-11-27T18:00:00+03:00");
  CHECK(texts_of(w47.done) == std::vector<std::string>{"Wrote the spec", "Late on Sunday"});
  CHECK(texts_of(w47.next) == std::vector<std::string>{"Design review"});
  REQUIRE(w47.agreements.size() == 1);
  CHECK(w47.agreements[0].id == f.texts);
  REQUIRE(w47.changes.size() == 2);
  CHECK(w47.changes[0].state.status == ChangeStatus::proposed);  // the team approved in W48
  CHECK(w47.changes[0].state.client == Verdict::approve);
  CHECK(w47.changes[1].state.status == ChangeStatus::proposed);
  REQUIRE(w47.risks.size() == 1);
  CHECK_FALSE(w47.deadline.shifted());
  CHECK(format_date(w47.as_of) == "2026-11-22");

  Report w48 = f.report("2026-W48", "2026-11-27T18:00:00+03:00");
  CHECK(texts_of(w48.done) == std::vector<std::string>{"Early on Monday"});
  CHECK(w48.next.empty());
  CHECK(w48.agreements.empty());
  REQUIRE(w48.changes.size() == 2);
  CHECK(w48.changes[0].state.status == ChangeStatus::approved);
  CHECK(w48.changes[1].state.status == ChangeStatus::rejected);
  CHECK(w48.risks.empty());
  CHECK(format_date(*w48.deadline.current) == "2027-01-02");
  CHECK(format_date(*w48.deadline.baseline) == "2026-12-25");
  CHECK(format_date(w48.as_of) == "2026-11-27");
}

TEST_CASE("coming up, overdue, and agreements fulfilled by a done note", "[report]") {
  Fortnight f;
  Report w47 = f.report("2026-W47", "2026-11-27T18:00:00+03:00");
  REQUIRE(w47.upcoming.size() == 1);
  CHECK(w47.upcoming[0].id == f.texts);
  REQUIRE(w47.overdue.size() == 1);
  CHECK(w47.overdue[0].id == f.old_agreement);
  CHECK(w47.off_plan);

  add_note(f.ledger, {"done", "Kept the old promise", "", f.old_agreement, "Anna"},
           at("2026-11-26T10:00:00+03:00"), f.zone);
  Report w48 = f.report("2026-W48", "2026-11-27T18:00:00+03:00");
  CHECK(w48.overdue.empty());
  CHECK_FALSE(w48.off_plan);
  REQUIRE(w48.upcoming.size() == 1);  // due today counts as coming up
  CHECK(w48.upcoming[0].id == f.texts);
  // Fulfilled after W47 ended: W47's report still says it was overdue then.
  CHECK(f.report("2026-W47", "2026-11-27T18:00:00+03:00").overdue.size() == 1);

  // The project deadline itself, when it comes near.
  Report dec = f.report("this", "2026-12-24T12:00:00+03:00");
  REQUIRE_FALSE(dec.upcoming.empty());
  CHECK_FALSE(dec.upcoming.back().id);
  CHECK(format_date(dec.upcoming.back().date) == "2027-01-02");
  Report jan = f.report("this", "2027-01-04T12:00:00+03:00");
  REQUIRE(jan.overdue.size() == 2);  // the texts and the project deadline
  CHECK(jan.off_plan);
}

TEST_CASE("every read of the report is an indexed search", "[report]") {
  Fortnight f;
  std::vector<std::string> statements;
  sqlite3_trace_v2(
      f.ledger.db().getHandle(), SQLITE_TRACE_STMT,
      [](unsigned, void* context, void* stmt, void*) {
        char* sql = sqlite3_expanded_sql(static_cast<sqlite3_stmt*>(stmt));
        if (sql != nullptr) {
          static_cast<std::vector<std::string>*>(context)->push_back(sql);
          sqlite3_free(sql);
        }
        return 0;
      },
      &statements);
  f.report("2026-W48", "2026-11-27T18:00:00+03:00");
  sqlite3_trace_v2(f.ledger.db().getHandle(), 0, nullptr, nullptr);
  REQUIRE(statements.size() > 5);
  for (const auto& sql : statements) {
    SQLite::Statement plan(f.ledger.db(), "EXPLAIN QUERY PLAN " + sql);
    while (plan.executeStep()) {
      std::string detail = plan.getColumn(3).getString();
      INFO(sql << "\n  plan: " << detail);
      if (std::getenv("PM_SHOW_PLANS") != nullptr) {
        WARN(sql << "\n  plan: " << detail);
      }
      // The week's change ids, bound as one JSON array, are the only thing read in full.
      if (detail.rfind("SCAN j VIRTUAL TABLE", 0) != 0) {
        CHECK(detail.rfind("SCAN", 0) != 0);
      }
    }
  }
}

namespace {

/// The SQLite virtual machine steps the report of 2026-W48 takes.
long report_steps(Fortnight& f) {
  long steps = 0;
  sqlite3_trace_v2(
      f.ledger.db().getHandle(), SQLITE_TRACE_PROFILE,
      [](unsigned, void* context, void* stmt, void*) {
        *static_cast<long*>(context) +=
            sqlite3_stmt_status(static_cast<sqlite3_stmt*>(stmt), SQLITE_STMTSTATUS_VM_STEP, 0);
        return 0;
      },
      &steps);
  f.report("2026-W48", "2026-11-27T18:00:00+03:00");
  sqlite3_trace_v2(f.ledger.db().getHandle(), 0, nullptr, nullptr);
  return steps;
}

}  // namespace

TEST_CASE("a year of older notes and agreements costs the report nothing", "[report]") {
  Fortnight young;
  Fortnight old;
  std::vector<Entry> history;
  for (int day = 0; day < 300; ++day) {
    for (const char* kind : {"done", "next", "agreement", "done", "decision"}) {
      Entry e;
      e.kind = kind;
      e.text = "older";
      e.author = "Anna";
      e.recorded_at = at("2026-01-05T10:00:00Z") + std::chrono::hours{24 * day};
      e.effective_at = e.recorded_at;
      history.push_back(e);
    }
  }
  old.ledger.append_all(history);
  CHECK(report_steps(old) == report_steps(young));
}

TEST_CASE("text, Markdown and JSON say the same things", "[report]") {
  Fortnight f;
  Report w48 = f.report("2026-W48", "2026-11-27T18:00:00+03:00");
  std::string text = report_text(w48, "en", false, "Call on Monday");
  std::string head = "\nLedger: " + w48.ledger_head.short_text() + "\n";
  REQUIRE(text.ends_with(head));
  CHECK(w48.ledger_head.entries > 0);
  CHECK(text.substr(0, text.size() - head.size()) ==
        "Website: status for 23–29 November 2026\n"
        "\n"
        "We are off plan this period; the details are below.\n"
        "What we propose:\n"
        "Call on Monday\n"
        "\n"
        "Done\n"
        "  - Early on Monday (23 November)\n"
        "\n"
        "Next\n"
        "  Nothing planned yet.\n"
        "\n"
        "Agreed\n"
        "  No new agreements.\n"
        "\n"
        "Decided\n"
        "  No decisions this period.\n"
        "\n"
        "Changes\n"
        "  - #1 Add a blog: approved by both sides; impact: +8 days\n"
        "  - #2 Dark mode: rejected by the client\n"
        "\n"
        "Open risks\n"
        "  No open risks.\n"
        "\n"
        "Risks closed\n"
        "  - #1 Texts may be late (25 November)\n"
        "    Outcome: Texts arrived\n"
        "\n"
        "Coming up (next 14 days)\n"
        "  - 27 November 2026: #2 Client sends texts\n"
        "\n"
        "Overdue\n"
        "  - 10 November 2026: #1 Old promise\n"
        "\n"
        "Project deadline\n"
        "  2 January 2027, moved from the original 25 December 2026 (+8 days by approved "
        "changes).\n");
  std::string md = report_markdown(w48, "ru");
  CHECK(md.rfind("# Website: статус за 23–29 ноября 2026 г.\n", 0) == 0);
  CHECK(md.find("## Изменения\n\n- № 1 Add a blog: согласовано обеими сторонами; влияние: +8 дн.\n") !=
        std::string::npos);
  CHECK(md.find("_Открытых рисков нет._") != std::string::npos);
  CHECK(md.find("## Закрытые риски\n\n- № 1 Texts may be late (25 ноября)\n  - Итог: Texts arrived\n") !=
        std::string::npos);

  Json j = report_json(w48);
  CHECK(j["version"] == 1);
  CHECK(j["period"]["week"] == "2026-W48");
  CHECK(j["period"]["first"] == "2026-11-23");
  CHECK(j["period"]["from"] == "2026-11-22T21:00:00Z");
  CHECK(j["done"][0]["text"] == "Early on Monday");
  CHECK(j["changes"][0]["status"] == "approved");
  CHECK(j["changes"][1]["status"] == "rejected");
  CHECK(j["changes"][1]["client"] == "rejected");
  CHECK(j["changes"][1]["team"] == nullptr);
  CHECK(j["overdue"][0]["id"] == f.old_agreement);
  CHECK(j["deadline"]["current"] == "2027-01-02");
  CHECK(j["deadline"]["days"] == 8);
  CHECK(j["off_plan"] == true);
  CHECK(j["next_steps"] == nullptr);
  REQUIRE(j["closed_risks"].size() == 1);
  CHECK(j["closed_risks"][0]["number"] == 1);
  CHECK(j["closed_risks"][0]["closed"] == "2026-11-25");
  CHECK(j["closed_risks"][0]["note"] == "Texts arrived");
  // The week before, nothing was closed: no section at all, and an empty list.
  Report w47 = f.report("2026-W47", "2026-11-27T18:00:00+03:00");
  CHECK(report_text(w47, "en", false).find("Risks closed") == std::string::npos);
  CHECK(report_json(w47)["closed_risks"] == Json::array());
}

TEST_CASE("every phrase speaks both languages with the same placeholders", "[words]") {
  auto placeholders = [](const std::string& text) {
    std::vector<std::string> out;
    for (auto pos = text.find('{'); pos != std::string::npos; pos = text.find('{', pos + 1)) {
      out.push_back(text.substr(pos, text.find('}', pos) - pos + 1));
    }
    std::sort(out.begin(), out.end());
    return out;
  };
  for (const auto& p : phrases()) {
    INFO(p.key);
    CHECK(std::string(p.en).size() > 0);
    CHECK(std::string(p.ru).size() > 0);
    CHECK(placeholders(p.en) == placeholders(p.ru));
  }
  CHECK(days_text(1, "en") == "+1 day");
  CHECK(days_text(-3, "en") == "-3 days");
  CHECK(days_text(0, "en").empty());
  CHECK_THROWS_AS(word("no.such.phrase", "en"), std::logic_error);
}
