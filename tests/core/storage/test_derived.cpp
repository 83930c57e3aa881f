// The derived tables of schema step 5 (items, change_approvals) against the rules they stand
// for, computed the slow way from the entries themselves.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <map>
#include <random>
#include <set>
#include <unistd.h>

#include <SQLiteCpp/SQLiteCpp.h>

#include "pm/domain/changes.hpp"
#include "pm/storage/ledger.hpp"
#include "pm/domain/risks.hpp"

using namespace pm;

namespace {

Instant day(int n) {
  return parse_instant("2026-01-01T09:00:00Z", "t") + std::chrono::hours(24 * n);
}

Entry entry(const char* kind, int on, std::optional<EntryId> ref = std::nullopt) {
  Entry e;
  e.kind = kind;
  e.recorded_at = day(on);
  e.effective_at = day(on);
  e.author = "Anna";
  e.source = "cli";
  e.text = std::string(kind) + " on day " + std::to_string(on);
  e.ref = ref;
  return e;
}

/// A ledger as years of use leave it, with what the CLI refuses but an import or a hook may
/// bring: decisions out of time order, a side deciding twice, decisions after a rejection,
/// closes of closed items, closes dated before earlier closes.
void fill(Ledger& ledger, unsigned seed) {
  std::mt19937 rng(seed);
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
  std::vector<EntryId> changes, risks, agreements;
  for (int i = 0; i < 400; ++i) {
    int on = pick(120);
    int what = pick(8);
    if (what == 0 || changes.empty()) {
      Entry e = entry("change", on);
      e.data["days"] = pick(11) - 2;
      changes.push_back(ledger.append(e));
    } else if (what <= 2) {
      Entry e = entry("change-decision", on, changes[static_cast<std::size_t>(pick(
                                                 static_cast<int>(changes.size())))]);
      e.data["side"] = pick(2) == 0 ? "client" : "team";
      e.data["verdict"] = pick(5) == 0 ? "reject" : "approve";
      ledger.append(e);
    } else if (what == 3 || risks.empty()) {
      risks.push_back(ledger.append(entry("risk", on)));
    } else if (what == 4) {
      ledger.append(entry("risk-close", on, risks[static_cast<std::size_t>(pick(
                                                static_cast<int>(risks.size())))]));
    } else if (what == 5 || agreements.empty()) {
      Entry e = entry("agreement", on);
      e.due = format_date(local_date(day(on + pick(30)), find_zone("UTC")));
      agreements.push_back(ledger.append(e));
    } else {
      // A done note fulfils an agreement; a new agreement supersedes one; a done note may
      // also point at a risk, which does not close it.
      const char* kind = what == 6 ? "done" : "agreement";
      bool at_risk = pick(6) == 0;
      const auto& pool = at_risk ? risks : agreements;
      EntryId target = pool[static_cast<std::size_t>(pick(static_cast<int>(pool.size())))];
      EntryId id = ledger.append(entry(kind, on, target));
      if (std::string(kind) == "agreement") {
        agreements.push_back(id);
      }
    }
  }
}

/// The deadline's shift at `as_of` by the protocol: each change's decisions before then, in
/// time order, through next_state.
int reference_days(Ledger& ledger, Instant as_of) {
  int days = 0;
  EntryQuery q;
  q.kinds = {"change"};
  for (const auto& c : ledger.list(q)) {
    if (load_change(ledger, c.id, as_of).state.status == ChangeStatus::approved) {
      days += c.data.value("days", 0);
    }
  }
  return days;
}

/// Items of `kind` made before `as_of` that no closing entry before `as_of` refers to.
std::vector<EntryId> reference_open(Ledger& ledger, const std::string& kind, Instant as_of) {
  std::set<std::string> closers = kind == "risk" ? std::set<std::string>{"risk-close"}
                                                 : std::set<std::string>{"agreement", "done"};
  std::set<EntryId> closed;
  EntryQuery all;
  all.effective_until = as_of;
  std::vector<std::pair<std::string, EntryId>> items;
  for (const auto& e : ledger.list(all)) {
    if (e.ref && closers.count(e.kind) != 0) {
      closed.insert(*e.ref);
    }
    if (e.kind == kind) {
      items.emplace_back(format_utc(e.effective_at), e.id);
    }
  }
  std::sort(items.begin(), items.end());
  std::vector<EntryId> out;
  for (const auto& [when, id] : items) {
    if (closed.count(id) == 0) {
      out.push_back(id);
    }
  }
  return out;
}

std::vector<EntryId> open_ids(Ledger& ledger, const std::string& kind, Instant as_of) {
  EntryQuery q;
  q.kinds = {kind};
  q.effective_until = as_of;
  q.open_only = true;
  std::vector<EntryId> out;
  ledger.each(q, [&](const Entry& e) { out.push_back(e.id); });
  return out;
}

std::vector<std::string> rows(SQLite::Database& db, const char* sql) {
  std::vector<std::string> out;
  SQLite::Statement stmt(db, sql);
  while (stmt.executeStep()) {
    std::string row;
    for (int i = 0; i < stmt.getColumnCount(); ++i) {
      row += stmt.getColumn(i).getString() + "|";
    }
    out.push_back(row);
  }
  return out;
}

const char* k_items = "SELECT id, kind, effective_at, due, closed_at FROM items ORDER BY id";
const char* k_approvals =
    "SELECT change_id, approved_at, days, total_days FROM change_approvals ORDER BY change_id";

}  // namespace

TEST_CASE("open items and the deadline agree with the entries at every moment", "[derived]") {
  for (unsigned seed : {1U, 2U, 3U}) {
    Ledger ledger(":memory:", Ledger::Mode::create);
    fill(ledger, seed);
    for (int on = -1; on <= 125; on += 3) {
      Instant as_of = day(on) + std::chrono::hours(1);
      INFO("seed " << seed << ", as of day " << on);
      CHECK(project_deadline(ledger, "", as_of).days == reference_days(ledger, as_of));
      CHECK(open_ids(ledger, "risk", as_of) == reference_open(ledger, "risk", as_of));
      CHECK(open_ids(ledger, "agreement", as_of) == reference_open(ledger, "agreement", as_of));
      std::vector<EntryId> risks;
      for (const auto& r : open_risks(ledger, as_of)) {
        risks.push_back(r.entry.id);
      }
      CHECK(risks == reference_open(ledger, "risk", as_of));
    }
  }
}

TEST_CASE("a change approved at the very moment of the cut does not count yet", "[derived]") {
  Ledger ledger(":memory:", Ledger::Mode::create);
  Entry change = entry("change", 1);
  change.data["days"] = 4;
  EntryId id = ledger.append(change);
  Entry client = entry("change-decision", 2, id);
  client.data["side"] = "client";
  client.data["verdict"] = "approve";
  ledger.append(client);
  Entry team = entry("change-decision", 3, id);
  team.data["side"] = "team";
  team.data["verdict"] = "approve";
  ledger.append(team);
  CHECK(project_deadline(ledger, "", day(3)).days == 0);
  CHECK(project_deadline(ledger, "", day(3) + std::chrono::seconds(1)).days == 4);
  CHECK(project_deadline(ledger, "", day(9), id).days == 0);
  // A client's rejection dated before both approvals arrives late: the change never was.
  Entry late = entry("change-decision", 1, id);
  late.data["side"] = "client";
  late.data["verdict"] = "reject";
  ledger.append(late);
  CHECK(project_deadline(ledger, "", day(9)).days == 0);
}

TEST_CASE("an older ledger's derived tables are filled as the triggers would fill them",
          "[derived][migration]") {
  std::filesystem::path file = std::filesystem::temp_directory_path() /
                               ("pm-derived-" + std::to_string(::getpid()) + ".db");
  std::vector<std::string> items, approvals;
  {
    Ledger ledger(file.string(), Ledger::Mode::create);
    fill(ledger, 7);
    items = rows(ledger.db(), k_items);
    approvals = rows(ledger.db(), k_approvals);
    REQUIRE(items.size() > 50);
    REQUIRE(approvals.size() > 5);
    // What a format 4 ledger has: no step 5, nor step 6 (per-kind numbers), nor steps 7 and 8.
    ledger.db().exec("DROP TRIGGER messages_add; DROP TABLE messages; DROP TRIGGER items_add; DROP TRIGGER items_close; DROP TRIGGER items_close_state; "
                     "DROP TRIGGER change_approvals_decide; DROP VIEW change_approval; "
                     "DROP TABLE items; DROP TABLE change_approvals; DROP TABLE numbers; "
                     "ALTER TABLE entries DROP COLUMN number; PRAGMA user_version = 4");
  }
  {
    Ledger ledger(file.string(), Ledger::Mode::read_only);  // a reading command migrates too
    CHECK(ledger.format() == Ledger::k_format);
    CHECK(rows(ledger.db(), k_items) == items);
    CHECK(rows(ledger.db(), k_approvals) == approvals);
  }
  for (const char* suffix : {"", "-wal", "-shm"}) {
    std::filesystem::remove(file.string() + suffix);
  }
}
