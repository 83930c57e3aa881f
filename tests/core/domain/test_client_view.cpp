#include <catch2/catch.hpp>

#include <SQLiteCpp/SQLiteCpp.h>

#include <filesystem>

#include <fmt/format.h>
#include <unistd.h>

#include "pm/domain/agreements.hpp"
#include "pm/domain/changes.hpp"
#include "pm/domain/client_view.hpp"
#include "pm/domain/notes.hpp"
#include "pm/domain/nps.hpp"
#include "pm/domain/risks.hpp"
#include "pm/util/error.hpp"

using namespace pm;
namespace fs = std::filesystem;

namespace {

/// A ledger file in a fresh directory, removed at the end.
struct LedgerFile {
  fs::path dir = fs::temp_directory_path() / ("pm-view-" + std::to_string(::getpid()));
  LedgerFile() { fs::create_directories(dir); }
  ~LedgerFile() { fs::remove_all(dir); }
  std::string path() const { return (dir / "ledger.db").string(); }
};

std::int64_t count(Ledger& l, const std::string& sql) {
  return l.db().execAndGet(sql).getInt64();
}

}  // namespace

TEST_CASE("the client's view leaves out what is internal and what hangs on it", "[client_view]") {
  LedgerFile file;
  Ledger ledger(file.path(), Ledger::Mode::create);
  const Zone zone = find_zone("Europe/Moscow");
  const Instant now = parse_instant("2026-11-25T10:00:00+03:00", "test");
  AgreementInput a;
  a.text = "Client sends the texts";
  a.due = "2026-11-27";
  a.author = "Anna";
  const EntryId a1 = log_agreement(ledger, a, now, zone);
  ledger.mark_internal(true);
  a.text = "Margin stays at 40%";
  const EntryId a2 = log_agreement(ledger, a, now, zone);
  add_note(ledger, {"done", "Refactored billing", "", std::nullopt, "Anna"}, now, zone);
  RiskInput risk{"The lead may leave", "low", "high", "", "", "Anna"};
  const EntryId r1 = add_risk(ledger, risk, now);
  ledger.mark_internal(false);
  // A confirmation of the internal agreement, not itself marked: hidden with it.
  Entry confirm;
  confirm.kind = "agreement-state";
  confirm.recorded_at = confirm.effective_at = now;
  confirm.author = "Anna";
  confirm.text = "confirmed";
  confirm.ref = a2;
  confirm.data = Json{{"state", "confirmed"}, {"by", "Ivan"}};
  ledger.append(confirm);
  // The internal risk closed by a public entry: hidden with it.
  close_risk(ledger, r1, "She stays", "Anna", now);
  // A public agreement replacing the internal one: shown, replacing nothing.
  a.text = "Margin is the team's business";
  a.supersedes = a2;
  const EntryId a3 = log_agreement(ledger, a, now, zone);
  add_note(ledger, {"done", "Home page", "", std::nullopt, "Anna"}, now, zone);
  NpsAnswer answer{parse_date("2026-11-25", "test"), std::nullopt, 6, "ACME", "Ivan", "Anna",
                   "The manager is slow"};
  add_nps_answer(ledger, answer, {"Anna", "cli", now, zone});

  CHECK(count(ledger, "SELECT count(*) FROM entries WHERE data ->> 'internal' IS 1") == 3);
  ClientView view = client_view(ledger);
  CHECK(view.hidden == 5);  // A2, the note, the risk, A2's confirmation, the risk's close
  Ledger& v = *view.ledger;
  CHECK(count(v, "SELECT count(*) FROM entries") == count(ledger, "SELECT count(*) FROM entries") - 5);
  CHECK(count(v, "SELECT count(*) FROM entries WHERE text LIKE '%Margin stays%' OR "
                 "text LIKE '%billing%' OR text LIKE '%lead may%' OR text = 'She stays'") == 0);
  // Ids and numbers are the ledger's: A3 is still agreement 3, replacing nothing.
  auto replaced = v.find(a3);
  REQUIRE(replaced);
  CHECK(replaced->number == 3);
  CHECK_FALSE(replaced->ref);
  CHECK(v.find(a1));
  CHECK_FALSE(v.find(a2));
  // The derived tables come from the kept entries: the public agreement and A3 are open.
  CHECK(count(v, "SELECT count(*) FROM items WHERE kind = 'agreement' AND "
                 "closed_at = '9999-12-31T23:59:59Z'") == 2);
  CHECK(count(v, "SELECT count(*) FROM items WHERE kind = 'risk'") == 0);
  // The NPS answer keeps its score, never its comment.
  CHECK(count(v, "SELECT score FROM nps_answers") == 6);
  CHECK(count(v, "SELECT count(*) FROM entries WHERE text LIKE '%slow%'") == 0);
  CHECK(count(v, "SELECT count(*) FROM nps_answers WHERE comment LIKE '%slow%'") == 0);
  // The ledger itself is untouched.
  CHECK(count(ledger, "SELECT count(*) FROM entries WHERE text LIKE '%slow%'") == 1);
}

TEST_CASE("a ledger with nothing internal is seen whole", "[client_view]") {
  LedgerFile file;
  Ledger ledger(file.path(), Ledger::Mode::create);
  const Zone zone = find_zone("UTC");
  const Instant now = parse_instant("2026-11-25T10:00:00Z", "test");
  add_note(ledger, {"done", "One", "", std::nullopt, "Anna"}, now, zone);
  add_note(ledger, {"next", "Two", "", std::nullopt, "Anna"}, now, zone);
  ClientView view = client_view(ledger);
  CHECK(view.hidden == 0);
  CHECK(count(*view.ledger, "SELECT count(*) FROM entries") == 2);
  const char* hashes = "SELECT group_concat(hash) FROM entries";
  CHECK(view.ledger->db().execAndGet(hashes).getString() ==
        ledger.db().execAndGet(hashes).getString());
}

TEST_CASE("a ledger in memory has a client's view too", "[client_view]") {
  Ledger memory(":memory:", Ledger::Mode::create);
  const Instant now = parse_instant("2026-11-25T10:00:00Z", "test");
  add_note(memory, {"done", "Seen", "", std::nullopt, "Anna"}, now, find_zone("UTC"));
  memory.mark_internal(true);
  add_note(memory, {"done", "Unseen", "", std::nullopt, "Anna"}, now, find_zone("UTC"));
  ClientView view = client_view(memory);
  CHECK(view.hidden == 1);
  CHECK(view.ledger->db().execAndGet("SELECT group_concat(text) FROM entries").getString() ==
        "Seen");
}

TEST_CASE("the view's approvals are the ledger's, less what is internal", "[client_view]") {
  LedgerFile file;
  Ledger ledger(file.path(), Ledger::Mode::create);
  Instant now = parse_instant("2026-11-02T10:00:00Z", "test");
  std::vector<EntryId> ids;
  for (int days : {5, -2, 7, 3}) {
    ChangeInput c;
    c.text = fmt::format("Change of {} days", days);
    c.reason = "Asked";
    c.days = days;
    c.author = "Anna";
    ledger.mark_internal(days == 3);  // the last one is the team's own
    ids.push_back(propose_change(ledger, c, now));
    ledger.mark_internal(false);
  }
  // Approved out of order: the running totals follow the approvals, not the proposals.
  for (std::size_t i : {2, 0, 3, 1}) {
    now += std::chrono::hours(1);
    decide_change(ledger, ids[i], Side::client, Verdict::approve, "Ivan", "", "Anna", now);
    now += std::chrono::hours(1);
    decide_change(ledger, ids[i], Side::team, Verdict::approve, "Anna", "", "Anna", now);
  }
  ClientView view = client_view(ledger);
  REQUIRE(view.copy);
  CHECK(view.hidden == 3);  // the internal change and both its decisions
  const char* rows = "SELECT group_concat(change_id || ':' || approved_at || ':' || days || ':' || "
                     "total_days, ' ') FROM (SELECT * FROM change_approvals ORDER BY approved_at)";
  const std::string all = ledger.db().execAndGet(rows).getString();
  const std::string seen = view.ledger->db().execAndGet(rows).getString();
  INFO(all);
  INFO(seen);
  // Without change 4 (+3 days, approved third): 7, then 5 (12), then -2 (10).
  CHECK(seen == fmt::format("{}:2026-11-02T12:00:00Z:7:7 {}:2026-11-02T14:00:00Z:5:12 "
                            "{}:2026-11-02T18:00:00Z:-2:10",
                            ids[2], ids[0], ids[1]));
  CHECK(all.find(fmt::format("{}:2026-11-02T16:00:00Z:3:15", ids[3])) != std::string::npos);
}

TEST_CASE("a ledger with nothing internal is its own view", "[client_view]") {
  LedgerFile file;
  Ledger ledger(file.path(), Ledger::Mode::create);
  add_note(ledger, {"done", "One", "", std::nullopt, "Anna"},
           parse_instant("2026-11-25T10:00:00Z", "test"), find_zone("UTC"));
  ClientView view = client_view(ledger);
  CHECK_FALSE(view.copy);
  CHECK(view.ledger == &ledger);
}
