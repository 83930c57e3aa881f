#include "pm/domain/risks.hpp"

#include <algorithm>
#include <utility>

#include <SQLiteCpp/SQLiteCpp.h>
#include <fmt/format.h>

#include "pm/domain/numbers.hpp"
#include "pm/util/error.hpp"
#include "pm/util/text.hpp"

namespace pm {

const std::vector<std::string> k_risk_levels = {"low", "medium", "high"};

namespace {

std::string level(const std::string& text, const char* option) {
  if (std::find(k_risk_levels.begin(), k_risk_levels.end(), text) == k_risk_levels.end()) {
    throw Error(fmt::format("{} '{}': use low, medium or high", option, text));
  }
  return text;
}

Risk risk_from(Entry e) {
  auto text = [&](const char* key) {
    auto it = e.data.find(key);
    return it != e.data.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  Risk risk{Entry{}, text("probability"), text("impact"), text("action"), text("owner"),
            std::nullopt};
  risk.entry = std::move(e);
  return risk;
}

}  // namespace

EntryId add_risk(Ledger& ledger, const RiskInput& input, Instant now) {
  Entry e;
  e.kind = "risk";
  e.text = trimmed(input.text);
  if (e.text.empty()) {
    throw Error("the risk has no text; say what may go wrong, e.g. pm risk add \"Texts may come "
                "late\" --probability high --impact medium");
  }
  e.recorded_at = now;
  e.effective_at = now;
  e.author = input.author;
  e.data["probability"] = level(input.probability, "--probability");
  e.data["impact"] = level(input.impact, "--impact");
  std::string action = trimmed(input.action);
  std::string owner = trimmed(input.owner);
  e.data["action"] = action.empty() ? Json(nullptr) : Json(action);
  e.data["owner"] = owner.empty() ? Json(nullptr) : Json(owner);
  return ledger.append(e);
}

EntryId close_risk(Ledger& ledger, EntryId id, const std::string& note, const std::string& author,
                   Instant now) {
  auto risk = ledger.find(id);
  if (!risk) {
    throw Error(fmt::format("there is no risk {}; pm risk list --all shows them", id));
  }
  require_kind(*risk, "risk");
  EntryQuery q;
  q.kinds = {"risk-close"};
  q.ref = id;
  if (auto closes = ledger.list(q); !closes.empty()) {
    throw Error(fmt::format("risk {} is already closed (by entry {}); pm risk list --all shows it",
                            risk->number, closes.front().id));
  }
  Entry e;
  e.kind = "risk-close";
  e.ref = id;
  e.text = trimmed(note);
  e.recorded_at = now;
  e.effective_at = now;
  e.author = author;
  return ledger.append(e);
}

void each_risk(Ledger& ledger, bool all, const std::function<void(const Risk&)>& visit) {
  // In the order they are listed, straight from the (kind, effective_at) index; each risk's
  // first risk-close is one lookup in the ref index.
  std::string sql = fmt::format(
      "SELECT {}, {} FROM entries e LEFT JOIN entries c ON c.id = (SELECT x.id FROM entries x "
      "INDEXED BY entries_ref WHERE x.ref = e.id AND x.kind = 'risk-close' "
      "ORDER BY x.effective_at, x.id LIMIT 1) WHERE e.kind = 'risk'{} "
      "ORDER BY e.effective_at, e.id",
      Ledger::entry_columns("e"), Ledger::entry_columns("c"), all ? "" : " AND c.id IS NULL");
  try {
    SQLite::Statement stmt(ledger.db(), sql);
    while (stmt.executeStep()) {
      Risk risk = risk_from(Ledger::read_entry(stmt));
      if (!stmt.getColumn(Ledger::k_entry_column_count).isNull()) {
        risk.closed = Ledger::read_entry(stmt, Ledger::k_entry_column_count);
      }
      visit(risk);
    }
  } catch (const SQLite::Exception& e) {
    rethrow_sqlite(e, ledger.path(), "read");
  }
}

std::vector<Risk> list_risks(Ledger& ledger, bool all) {
  std::vector<Risk> out;
  each_risk(ledger, all, [&](const Risk& risk) { out.push_back(risk); });
  return out;
}

Risk load_risk(Ledger& ledger, Entry entry) {
  EntryQuery q;
  q.kinds = {"risk-close"};
  q.ref = entry.id;
  std::vector<Entry> closes = ledger.list(q);
  Risk risk = risk_from(std::move(entry));
  if (!closes.empty()) {
    risk.closed = closes.front();
  }
  return risk;
}

std::vector<Risk> closed_risks(Ledger& ledger, Instant from, Instant until) {
  // The closes of the period from the (kind, effective_at) index, each with its risk; a risk
  // closed twice (two racing writers) counts once, by its first close.
  static const std::string sql = fmt::format(
      "SELECT {}, {} FROM entries c INDEXED BY entries_kind_effective CROSS "
      "JOIN entries r ON r.id = c.ref AND r.kind = 'risk' "
      "WHERE c.kind = 'risk-close' AND c.effective_at >= ? AND c.effective_at < ? "
      "AND c.id = (SELECT x.id FROM entries x INDEXED BY entries_ref "
      "WHERE x.ref = r.id AND x.kind = 'risk-close' ORDER BY x.effective_at, x.id LIMIT 1) "
      "ORDER BY c.effective_at, c.id",
      Ledger::entry_columns("r"), Ledger::entry_columns("c"));
  std::vector<Risk> out;
  try {
    SQLite::Statement stmt(ledger.db(), sql);
    stmt.bind(1, format_utc(from));
    stmt.bind(2, format_utc(until));
    while (stmt.executeStep()) {
      Risk risk = risk_from(Ledger::read_entry(stmt));
      risk.closed = Ledger::read_entry(stmt, Ledger::k_entry_column_count);
      out.push_back(std::move(risk));
    }
  } catch (const SQLite::Exception& e) {
    rethrow_sqlite(e, ledger.path(), "read");
  }
  return out;
}

std::vector<Risk> open_risks(Ledger& ledger, Instant as_of) {
  EntryQuery q;
  q.kinds = {"risk"};
  q.effective_until = as_of;
  q.open_only = true;
  std::vector<Risk> out;
  for (const auto& e : ledger.list(q)) {
    out.push_back(risk_from(e));
  }
  return out;
}

}  // namespace pm
