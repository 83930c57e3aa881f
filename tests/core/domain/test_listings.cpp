// The streamed listings (each_agreement, each_risk, each_change): the rows, their order and what
// each one carries, read by SQL in the order they are printed; the list_* functions collect them.
#include <catch2/catch.hpp>

#include <vector>

#include <fmt/format.h>

#include "pm/domain/agreements.hpp"
#include "pm/domain/changes.hpp"
#include "pm/domain/risks.hpp"

using namespace pm;

namespace {

Instant at(const char* text) { return parse_instant(text, "t"); }

Entry entry(const char* kind, const char* text, const char* when, std::optional<EntryId> ref) {
  Entry e;
  e.kind = kind;
  e.text = text;
  e.recorded_at = at("2026-11-20T10:00:00Z");
  e.effective_at = at(when);
  e.author = "Anna";
  e.ref = ref;
  return e;
}

EntryId agree(Ledger& ledger, const char* text, const char* meeting,
              std::optional<EntryId> supersedes = std::nullopt) {
  AgreementInput in;
  in.text = text;
  in.meeting = meeting;
  in.supersedes = supersedes;
  in.author = "Anna";
  return log_agreement(ledger, in, at("2026-11-20T10:00:00Z"), find_zone("UTC"));
}

/// Each agreement as "id" or "id>superseded_by".
std::vector<std::string> agreements(Ledger& ledger, bool all, std::optional<Instant> since) {
  std::vector<std::string> out;
  each_agreement(ledger, all, since, [&](const AgreementRow& row) {
    out.push_back(std::to_string(row.entry.id) +
                  (row.superseded_by ? ">" + std::to_string(*row.superseded_by) : ""));
  });
  std::vector<std::string> collected;
  for (const auto& row : list_agreements(ledger, all, since)) {
    collected.push_back(std::to_string(row.entry.id) +
                        (row.superseded_by ? ">" + std::to_string(*row.superseded_by) : ""));
  }
  CHECK(collected == out);
  return out;
}

}  // namespace

TEST_CASE("agreements stream in meeting order, each with its newest superseding agreement",
          "[agreements][listings]") {
  Ledger ledger(":memory:", Ledger::Mode::create);
  EntryId a1 = agree(ledger, "Launch 12 Dec", "2026-11-10");
  EntryId a2 = agree(ledger, "Texts by Friday", "2026-11-05");  // an earlier meeting, logged later
  EntryId a3 = agree(ledger, "Launch 15 Dec", "2026-11-12", a1);
  // A second supersede of a1 that raced past log_agreement's check: the newest by meeting wins.
  EntryId a4 = ledger.append(entry("agreement", "Launch 14 Dec", "2026-11-11T00:00:00Z", a1));
  // Another kind's reference (pm done --agreement) supersedes nothing.
  ledger.append(entry("done", "Texts sent", "2026-11-13T00:00:00Z", a2));

  auto id = [](EntryId n) { return std::to_string(n); };
  CHECK(agreements(ledger, true, std::nullopt) ==
        std::vector<std::string>{id(a2), id(a1) + ">" + id(a3), id(a4), id(a3)});
  CHECK(agreements(ledger, false, std::nullopt) ==
        std::vector<std::string>{id(a2), id(a4), id(a3)});
  CHECK(agreements(ledger, true, at("2026-11-10T00:00:00Z")) ==
        std::vector<std::string>{id(a1) + ">" + id(a3), id(a4), id(a3)});
  CHECK(agreements(ledger, false, at("2026-11-11T00:00:01Z")) == std::vector<std::string>{id(a3)});

  std::vector<AgreementRow> rows = list_agreements(ledger, true, std::nullopt);
  REQUIRE(rows.size() == 4);
  CHECK(rows[0].entry.text == "Texts by Friday");
  CHECK(rows[3].entry.ref == a1);
  CHECK(rows[3].entry.author == "Anna");

  CHECK_THROWS_WITH(agree(ledger, "Launch 20 Dec", "2026-11-14", a1),
                    fmt::format("agreement {0} was already replaced by agreement {1}; "
                                "supersede {1} instead",
                                ledger.find(a1)->number, ledger.find(a3)->number));
  CHECK(agree(ledger, "Launch 20 Dec", "2026-11-14", a3) > a4);
}

TEST_CASE("risks stream in the order they were opened, each with its first close",
          "[risks][listings]") {
  Ledger ledger(":memory:", Ledger::Mode::create);
  EntryId late = add_risk(ledger, {"Texts late", "high", "medium", "Remind", "Ivan", "Anna"},
                          at("2026-11-16T10:00:00Z"));
  EntryId hosting =
      add_risk(ledger, {"Hosting", "low", "high", "", "", "Anna"}, at("2026-11-14T10:00:00Z"));
  EntryId later_close =
      close_risk(ledger, late, "Texts arrived", "Anna", at("2026-11-20T10:00:00Z"));
  // A second close written by a racing writer, dated earlier: the first by date is the close.
  EntryId first_close = ledger.append(entry("risk-close", "Moot", "2026-11-18T10:00:00Z", late));
  REQUIRE(later_close != first_close);

  std::vector<Risk> all;
  each_risk(ledger, true, [&](const Risk& r) { all.push_back(r); });
  REQUIRE(all.size() == 2);
  CHECK(all[0].entry.id == hosting);
  CHECK_FALSE(all[0].closed);
  CHECK(all[0].owner.empty());
  CHECK(all[1].entry.id == late);
  CHECK(all[1].probability == "high");
  CHECK(all[1].impact == "medium");
  CHECK(all[1].action == "Remind");
  CHECK(all[1].owner == "Ivan");
  REQUIRE(all[1].closed);
  CHECK(all[1].closed->id == first_close);
  CHECK(all[1].closed->text == "Moot");
  CHECK(all[1].closed->kind == "risk-close");

  std::vector<EntryId> open;
  each_risk(ledger, false, [&](const Risk& r) { open.push_back(r.entry.id); });
  CHECK(open == std::vector<EntryId>{hosting});
  CHECK(list_risks(ledger, true).size() == 2);
  CHECK(list_risks(ledger, false).front().entry.id == hosting);
}

TEST_CASE("changes stream in proposal order with their decisions in decision order",
          "[changes][listings]") {
  Ledger ledger(":memory:", Ledger::Mode::create);
  auto propose = [&](const char* text, int days, const char* when) {
    ChangeInput in;
    in.text = text;
    in.reason = "because";
    in.days = days;
    in.author = "Anna";
    return propose_change(ledger, in, at(when));
  };
  auto decide = [&](EntryId id, Side side, Verdict verdict, const char* when) {
    decide_change(ledger, id, side, verdict, "", "", "Anna", at(when));
  };
  EntryId blog = propose("Blog", 8, "2026-11-10T10:00:00Z");
  decide(blog, Side::team, Verdict::approve, "2026-11-12T10:00:00Z");
  // Recorded second, decided first: decisions are read in the order they were made.
  decide(blog, Side::client, Verdict::approve, "2026-11-11T10:00:00Z");
  EntryId old = propose("Forum", 2, "2026-11-09T10:00:00Z");  // undecided, then amended
  EntryId amended = ledger.append(entry("change", "Forum, amended", "2026-11-13T10:00:00Z", old));
  EntryId dark = propose("Dark mode", 5, "2026-11-14T10:00:00Z");
  decide(dark, Side::client, Verdict::reject, "2026-11-15T10:00:00Z");
  EntryId redo = ledger.append(entry("change", "Dark mode, again", "2026-11-16T10:00:00Z", dark));
  // A decision that refers to something else is no change's.
  EntryId note =
      ledger.append(entry("done", "Wrote the texts", "2026-11-16T11:00:00Z", std::nullopt));
  ledger.append(entry("change-decision", "stray", "2026-11-16T12:00:00Z", note));

  std::vector<Change> changes;
  each_change(ledger, [&](const Change& c) { changes.push_back(c); });
  REQUIRE(changes.size() == 4);
  // The undecided proposal its amendment superseded is left out; the decided one stays.
  CHECK(changes[0].entry.id == blog);
  CHECK(changes[1].entry.id == amended);
  CHECK(changes[2].entry.id == dark);
  CHECK(changes[3].entry.id == redo);

  const Change& b = changes[0];
  CHECK(b.days == 8);
  CHECK(b.reason == "because");
  REQUIRE(b.decisions.size() == 2);
  CHECK(b.decisions[0].side == Side::client);
  CHECK(b.decisions[1].side == Side::team);
  CHECK(b.state.status == ChangeStatus::approved);
  CHECK(b.decided_at == at("2026-11-12T10:00:00Z"));
  CHECK(changes[1].decisions.empty());
  CHECK(changes[1].state.status == ChangeStatus::proposed);
  CHECK(changes[2].state.status == ChangeStatus::rejected);
  CHECK(changes[2].state.rejected_by == Side::client);
  CHECK(changes[3].decisions.empty());

  std::vector<Change> collected = list_changes(ledger);
  REQUIRE(collected.size() == changes.size());
  for (std::size_t i = 0; i < collected.size(); ++i) {
    CHECK(collected[i].entry.id == changes[i].entry.id);
    CHECK(collected[i].decisions.size() == changes[i].decisions.size());
  }
}
