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

/// The columns a risk is read from: its entry's (without data), the fields of its data (SQLite
/// extracts them), then its first close's entry (null when it is open). read_risk reads them.
std::string risk_columns(const std::string& risk, const std::string& close) {
  return fmt::format("{}, {}, {}, {}, {}, {}", Ledger::entry_columns(risk),
                     data_text_sql(risk, "probability"), data_text_sql(risk, "impact"),
                     data_text_sql(risk, "action"), data_text_sql(risk, "owner"),
                     Ledger::entry_columns(close));
}

Risk read_risk(SQLite::Statement& stmt) {
  constexpr int f = Ledger::k_entry_column_count;
  auto text = [&](int column) { return stmt.getColumn(column).getString(); };
  Risk risk{Ledger::read_entry(stmt, 0, false), text(f), text(f + 1), text(f + 2), text(f + 3),
            std::nullopt};
  if (!stmt.getColumn(f + 4).isNull()) {
    risk.closed = Ledger::read_entry(stmt, f + 4, false);
  }
  return risk;
}

/// The risks `where` selects from `from` (`e` the risk, `c` its first close, if any), in the
/// order they were recorded, with `bind` binding its parameters.
template <typename Bind>
void each_risk_where(Ledger& ledger, const std::string& sql, Bind bind,
                     const std::function<void(Risk&)>& visit) {
  try {
    SQLite::Statement stmt(ledger.db(), sql);
    bind(stmt);
    while (stmt.executeStep()) {
      Risk risk = read_risk(stmt);
      visit(risk);
    }
  } catch (const SQLite::Exception& e) {
    rethrow_sqlite(e, ledger.path(), "read");
  }
}

/// Whether `c` is risk `e`'s first close, the one that counts when two racing writers closed
/// it twice: no earlier close in the ref index (a test, not a sort per risk).
const char* const k_first_close =
    "c.ref = e.id AND c.kind = 'risk-close' AND NOT EXISTS (SELECT 1 FROM entries x "
    "INDEXED BY entries_ref WHERE x.ref = e.id AND x.kind = 'risk-close' AND "
    "(x.effective_at < c.effective_at OR (x.effective_at = c.effective_at AND x.id < c.id)))";

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
  static const std::string sql = fmt::format(
      "SELECT {} FROM entries e LEFT JOIN entries c INDEXED BY entries_ref ON {} "
      "WHERE e.kind = 'risk'",
      risk_columns("e", "c"), k_first_close);
  each_risk_where(
      ledger, sql + (all ? "" : " AND c.id IS NULL") + " ORDER BY e.effective_at, e.id",
      [](SQLite::Statement&) {}, [&](Risk& risk) { visit(risk); });
}

std::vector<Risk> list_risks(Ledger& ledger, bool all) {
  std::vector<Risk> out;
  each_risk(ledger, all, [&](const Risk& risk) { out.push_back(risk); });
  return out;
}

Risk load_risk(Ledger& ledger, const Entry& entry) {
  static const std::string sql = fmt::format(
      "SELECT {} FROM entries e LEFT JOIN entries c INDEXED BY entries_ref ON {} "
      "WHERE e.id = ?",
      risk_columns("e", "c"), k_first_close);
  std::optional<Risk> found;
  each_risk_where(
      ledger, sql, [&](SQLite::Statement& stmt) { stmt.bind(1, entry.id); },
      [&](Risk& risk) { found = std::move(risk); });
  if (!found) {
    throw Error(fmt::format("there is no risk {}; pm risk list --all shows them", entry.id));
  }
  return *found;
}

std::vector<Risk> closed_risks(Ledger& ledger, Instant from, Instant until) {
  // The closes of the period from the (kind, effective_at) index, each with its risk; a risk
  // closed twice (two racing writers) counts once, by its first close.
  static const std::string sql = fmt::format(
      "SELECT {} FROM entries c INDEXED BY entries_kind_effective CROSS "
      "JOIN entries e ON e.id = c.ref AND e.kind = 'risk' "
      "WHERE c.kind = 'risk-close' AND c.effective_at >= ? AND c.effective_at < ? "
      "AND {} ORDER BY c.effective_at, c.id",
      risk_columns("e", "c"), k_first_close);
  std::vector<Risk> out;
  each_risk_where(
      ledger, sql,
      [&](SQLite::Statement& stmt) {
        stmt.bind(1, format_utc(from));
        stmt.bind(2, format_utc(until));
      },
      [&](Risk& risk) { out.push_back(std::move(risk)); });
  return out;
}

std::vector<Risk> open_risks(Ledger& ledger, Instant as_of) {
  // Open then: from the items table (few rows near the present), not closed before `as_of`;
  // the close's columns are null (a join that finds nothing, by the primary key).
  static const std::string sql = fmt::format(
      "SELECT {} FROM items o INDEXED BY items_open CROSS JOIN entries e ON e.id = o.id "
      "LEFT JOIN entries c ON c.id = NULL WHERE o.closed_at >= ?1 AND o.kind = 'risk' "
      "AND o.effective_at < ?1 ORDER BY e.effective_at, e.id",
      risk_columns("e", "c"));
  std::vector<Risk> out;
  each_risk_where(
      ledger, sql, [&](SQLite::Statement& stmt) { stmt.bind(1, format_utc(as_of)); },
      [&](Risk& risk) { out.push_back(std::move(risk)); });
  return out;
}

}  // namespace pm
