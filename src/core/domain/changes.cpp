#include "pm/domain/changes.hpp"

#include <map>
#include <regex>

#include <SQLiteCpp/SQLiteCpp.h>
#include <fmt/format.h>

#include "pm/domain/numbers.hpp"
#include "pm/util/error.hpp"
#include "pm/util/money.hpp"
#include "pm/time/period.hpp"
#include "pm/util/words.hpp"
#include "pm/util/text.hpp"

namespace pm {

namespace {

constexpr int k_max_days = 3650;  // ten years: more is a typo, not a plan

const char* other_side(Side side) { return side == Side::client ? "team" : "client"; }

/// The columns a change is read from: the entry's (entry_columns, without data: SQLite
/// extracts the fields, faster than parsing each entry's JSON here), then its fields, then the
/// same for a decision (null when the change has none). fold_changes reads them.
std::string change_columns(const std::string& c, const std::string& d) {
  return fmt::format("{}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}", Ledger::entry_columns(c),
                     data_text_sql(c, "reason"), data_integer_sql(c, "days"),
                     data_integer_sql(c, "working_days"), data_text_sql(c, "days_kind"),
                     data_text_sql(c, "cost"), data_text_sql(c, "currency"), data_text_sql(c, "ask"),
                     Ledger::entry_columns(d), data_text_sql(d, "side"), data_text_sql(d, "verdict"),
                     data_text_sql(d, "by"), data_text_sql(d, "evidence"));
}
constexpr int k_change_fields = 7;
constexpr int k_decision_at = Ledger::k_entry_column_count + k_change_fields;

}  // namespace

Side parse_side(const std::string& text) {
  if (text == "client") {
    return Side::client;
  }
  if (text == "team") {
    return Side::team;
  }
  throw Error(fmt::format("--side {}: each side decides on its own; give --side client or "
                          "--side team (and run the command once for each)",
                          text),
              Exit::usage);
}

const char* verdict_name(Verdict verdict) {
  return verdict == Verdict::approve ? "approve" : "reject";
}

const char* status_name(ChangeStatus status) {
  switch (status) {
    case ChangeStatus::proposed:
      return "proposed";
    case ChangeStatus::approved:
      return "approved";
    case ChangeStatus::rejected:
      return "rejected";
  }
  return "proposed";
}

ChangeStatus parse_status(const std::string& text) {
  for (auto s : {ChangeStatus::proposed, ChangeStatus::approved, ChangeStatus::rejected}) {
    if (text == status_name(s)) {
      return s;
    }
  }
  throw Error(fmt::format("--status {}: use proposed, approved or rejected", text), Exit::usage);
}

std::string decision_problem(const ChangeState& state, Side side, Verdict verdict, EntryId id) {
  if (state.status == ChangeStatus::approved) {
    return fmt::format("change {} is already approved by both sides; to undo or alter it, "
                       "propose a new change",
                       id);
  }
  if (state.status == ChangeStatus::rejected) {
    return fmt::format("change {} was already rejected by the {}; propose a new change instead",
                       id, side_name(state.rejected_by.value_or(side)));
  }
  const auto& mine = side == Side::client ? state.client : state.team;
  if (mine) {
    return fmt::format("the {} already {} change {}; it waits for the {}'s decision", side_name(side),
                       *mine == Verdict::approve ? "approved" : "rejected", id, other_side(side));
  }
  (void)verdict;  // every verdict is open to a side that has not decided yet
  return "";
}

ChangeState next_state(const ChangeState& state, Side side, Verdict verdict) {
  if (!decision_problem(state, side, verdict, 0).empty()) {
    return state;
  }
  ChangeState next = state;
  (side == Side::client ? next.client : next.team) = verdict;
  if (verdict == Verdict::reject) {
    next.status = ChangeStatus::rejected;
    next.rejected_by = side;
  } else if (next.client == Verdict::approve && next.team == Verdict::approve) {
    next.status = ChangeStatus::approved;
  }
  return next;
}

void apply_decisions(Change& change) {
  change.state = ChangeState{};
  change.decided_at.reset();
  for (const auto& d : change.decisions) {
    ChangeStatus before = change.state.status;
    change.state = next_state(change.state, d.side, d.verdict);
    if (before == ChangeStatus::proposed && change.state.status != ChangeStatus::proposed) {
      change.decided_at = d.at;
    }
  }
}

std::string parse_cost(const std::string& text) {
  std::string t = trimmed(text);
  if (!t.empty() && t[0] == '-') {
    throw Error(fmt::format("--cost {}: a cost cannot be negative; give what the change adds to "
                            "the budget, 0 or more",
                            t));
  }
  static const std::regex k_amount(R"(^\+?(\d{1,12})(?:[.,](\d{1,2}))?$)");
  std::smatch m;
  if (!std::regex_match(t, m, k_amount)) {
    throw Error(fmt::format("--cost '{}': give an amount such as 1500 or 1500.50", text));
  }
  std::string whole = m[1].str();
  whole.erase(0, std::min(whole.find_first_not_of('0'), whole.size() - 1));
  if (!m[2].matched) {
    return whole;
  }
  std::string cents = m[2].str();
  return whole + "." + (cents.size() == 1 ? cents + "0" : cents);
}

std::string parse_currency(const std::string& text) {
  static const std::regex k_code(R"(^[A-Za-z]{3}$)");
  if (!std::regex_match(text, k_code)) {
    throw Error(fmt::format("--currency '{}': give a three-letter ISO 4217 code such as EUR, USD "
                            "or RUB",
                            text));
  }
  std::string code = text;
  for (auto& c : code) {
    c = static_cast<char>(c >= 'a' ? c - 'a' + 'A' : c);
  }
  return code;
}

void count_working_days(ChangeInput& input, int n, const Calendar& calendar, Date from) {
  if (n > k_max_days || n < -k_max_days) {
    throw Error(fmt::format("--days {}: a shift of more than {} days is surely a typo", n,
                            k_max_days));
  }
  Date to = calendar.add_working_days(from, n);
  input.days = static_cast<int>((date::sys_days{to} - date::sys_days{from}).count());
  input.working_days = n;
  input.calendar_days = false;
}

EntryId propose_change(Ledger& ledger, const ChangeInput& input, Instant now) {
  Entry e;
  e.kind = "change";
  e.text = trimmed(input.text);
  if (e.text.empty()) {
    throw Error("the change has no text; say what changes, e.g. pm change propose \"Add a blog "
                "section\" --reason \"The client asked for news\" --days 8");
  }
  std::string reason = trimmed(input.reason);
  if (reason.empty()) {
    throw Error("--reason is empty; every change says why it is needed");
  }
  if (!input.working_days && (input.days > k_max_days || input.days < -k_max_days)) {
    throw Error(fmt::format("--days {}: a shift of more than {} days is surely a typo", input.days,
                            k_max_days));
  }
  std::string cost = input.cost.empty() ? "" : parse_cost(input.cost);
  if (!cost.empty() && input.currency.empty()) {
    throw Error("--cost needs --currency (EUR, USD, RUB, ...): pm does not guess the money");
  }
  if (cost.empty() && !input.currency.empty()) {
    throw Error("--currency without --cost: give the cost the change adds too");
  }
  e.recorded_at = now;
  e.effective_at = now;
  e.author = input.author;
  e.data["reason"] = reason;
  e.data["days"] = input.days;
  if (input.working_days) {
    e.data["working_days"] = *input.working_days;
    e.data["days_kind"] = "working";
  } else if (input.calendar_days && input.days != 0) {
    e.data["days_kind"] = "calendar";
  }
  e.data["cost"] = cost.empty() ? Json(nullptr) : Json(cost);
  e.data["currency"] = cost.empty() ? Json(nullptr) : Json(parse_currency(input.currency));
  std::string ask = trimmed(input.ask);
  e.data["ask"] = ask.empty() ? Json(nullptr) : Json(ask);
  return ledger.append(e);
}

Change load_change(Ledger& ledger, EntryId id, std::optional<Instant> as_of) {
  auto e = ledger.find(id);
  if (!e) {
    throw Error(fmt::format("there is no entry {}; `pm change list` shows the changes", id));
  }
  require_kind(*e, "change");
  // Far enough ahead that every decision counts, and still a time the ledger's text can hold.
  static const Instant k_end = parse_utc("9999-12-31T23:59:59Z");
  return load_changes(ledger, {id}, as_of.value_or(k_end)).at(0);
}

namespace {

Change record_decision(Ledger& ledger, EntryId id, Side side, Verdict verdict,
                       const DecisionInput& input, Instant now) {
  Change change = load_change(ledger, id);
  if (auto problem = decision_problem(change.state, side, verdict, change.entry.number);
      !problem.empty()) {
    throw Error(problem);
  }
  Entry e;
  e.kind = "change-decision";
  e.ref = id;
  e.text = trimmed(input.reason);
  e.recorded_at = now;
  e.effective_at = now;
  e.author = input.author;
  e.data["side"] = side_name(side);
  e.data["verdict"] = verdict_name(verdict);
  std::string who = trimmed(input.by);
  e.data["by"] = who.empty() ? input.author : who;
  if (std::string evidence = trimmed(input.evidence); !evidence.empty()) {
    e.data["evidence"] = evidence;
  }
  ledger.append(e);
  return load_change(ledger, id);
}

}  // namespace

Change decide_change(Ledger& ledger, const ProjectConfig& config, EntryId id, Side side,
                     Verdict verdict, const DecisionInput& input, Instant now) {
  Person who = approver_for(config, side, input.by, input.author);
  DecisionInput checked = input;
  checked.by = who.name;
  return record_decision(ledger, id, side, verdict, checked, now);
}

Change decide_change(Ledger& ledger, EntryId id, Side side, Verdict verdict, const std::string& by,
                     const std::string& reason, const std::string& author, Instant now) {
  return record_decision(ledger, id, side, verdict, DecisionInput{by, reason, "", author}, now);
}

namespace {

/// Folds rows of a change's entry_columns followed by a decision's (null when it has none),
/// ordered by change then decision, into changes with their state.
void fold_changes(SQLite::Statement& stmt, const std::function<void(const Change&)>& visit) {
  std::optional<Change> change;
  auto done = [&] {
    if (change) {
      apply_decisions(*change);
      visit(*change);
    }
  };
  auto text = [&](int column) { return stmt.getColumn(column).getString(); };
  while (stmt.executeStep()) {
    if (!change || change->entry.id != stmt.getColumn(0).getInt64()) {
      done();
      change.emplace();
      Change& c = *change;
      c.entry = Ledger::read_entry(stmt, 0, false);
      constexpr int f = Ledger::k_entry_column_count;
      c.reason = text(f);
      c.days = stmt.getColumn(f + 1).isNull() ? 0 : stmt.getColumn(f + 1).getInt();
      if (!stmt.getColumn(f + 2).isNull()) {
        c.working_days = stmt.getColumn(f + 2).getInt();
      }
      c.calendar_days = text(f + 3) == "calendar";
      c.cost = text(f + 4);
      c.currency = text(f + 5);
      c.ask = text(f + 6);
    }
    if (!stmt.getColumn(k_decision_at).isNull()) {
      const Entry e = Ledger::read_entry(stmt, k_decision_at, false);
      constexpr int f = k_decision_at + Ledger::k_entry_column_count;
      ChangeDecision d;
      d.id = e.id;
      d.side = text(f) == "team" ? Side::team : Side::client;
      d.verdict = text(f + 1) == "reject" ? Verdict::reject : Verdict::approve;
      d.by = text(f + 2);
      d.reason = e.text;
      d.evidence = text(f + 3);
      d.at = e.effective_at;
      change->decisions.push_back(std::move(d));
    }
  }
  done();
}

}  // namespace

void each_change(Ledger& ledger, const std::function<void(const Change&)>& visit) {
  // One row per decision (one with none for an undecided change), in the order they are listed:
  // changes from the (kind, effective_at) index, each one's decisions from the ref index, sorted
  // among themselves only. A proposal logged from a commit that was later amended or rebased is
  // superseded by the rewritten commit's entry (ref = the old change); it is listed once, unless
  // it was decided on.
  const std::string sql = fmt::format(
      "SELECT {} FROM entries c LEFT JOIN entries d INDEXED BY entries_ref "
      "ON d.ref = c.id AND d.kind = 'change-decision' WHERE c.kind = 'change' AND "
      "(d.id IS NOT NULL OR NOT EXISTS (SELECT 1 FROM entries s INDEXED BY entries_ref "
      "WHERE s.ref = c.id AND s.kind = 'change')) AND {} "
      "ORDER BY c.effective_at, c.id, d.effective_at, d.id",
      change_columns("c", "d"), not_withdrawal_sql("c"));
  try {
    SQLite::Statement stmt(ledger.db(), sql);
    fold_changes(stmt, visit);
  } catch (const SQLite::Exception& e) {
    rethrow_sqlite(e, ledger.path(), "read");
  }
}

std::vector<Change> load_changes(Ledger& ledger, const std::vector<EntryId>& ids, Instant as_of) {
  // The ids travel as one JSON array: one statement for a week's changes, however many, each
  // found by id (CROSS JOIN: without it SQLite reads every change to test it against the list).
  static const std::string sql = fmt::format(
      "SELECT {} FROM json_each(?) j CROSS JOIN entries c ON c.id = j.value "
      "LEFT JOIN entries d INDEXED BY entries_ref "
      "ON d.ref = c.id AND d.kind = 'change-decision' AND d.effective_at < ? "
      "WHERE c.kind = 'change' ORDER BY c.id, d.effective_at, d.id",
      change_columns("c", "d"));
  std::string list = "[";
  for (EntryId id : ids) {
    list += fmt::format("{}{}", list.size() > 1 ? "," : "", id);
  }
  list += "]";
  std::vector<Change> out;
  try {
    SQLite::Statement stmt(ledger.db(), sql);
    stmt.bind(1, list);
    stmt.bind(2, format_utc(as_of));
    fold_changes(stmt, [&](const Change& c) { out.push_back(c); });
  } catch (const SQLite::Exception& e) {
    rethrow_sqlite(e, ledger.path(), "read");
  }
  return out;
}

std::vector<Change> list_changes(Ledger& ledger) {
  std::vector<Change> out;
  each_change(ledger, [&](const Change& change) { out.push_back(change); });
  return out;
}

Deadline make_deadline(const std::string& baseline, int days) {
  Deadline d;
  d.days = days;
  if (!baseline.empty()) {
    d.baseline = parse_date(baseline, "deadline in project.yaml");
    d.current = add_days(*d.baseline, days);
  }
  return d;
}

int approved_days(const std::vector<Change>& changes) {
  int days = 0;
  for (const auto& c : changes) {
    if (c.state.status == ChangeStatus::approved) {
      days += c.days;
    }
  }
  return days;
}

Deadline project_deadline(Ledger& ledger, const std::string& baseline, Instant as_of,
                          std::optional<EntryId> except) {
  // change_approvals (schema step 5) keeps the approved changes in order of approval with a
  // running total of their days: the shift at any moment is one index lookup, however many
  // changes the project has seen (docs/performance.md).
  int days = 0;
  try {
    const std::string until = format_utc(as_of);
    SQLite::Statement total(ledger.db(),
                            "SELECT total_days FROM change_approvals WHERE approved_at < ? "
                            "ORDER BY approved_at DESC, change_id DESC LIMIT 1");
    total.bind(1, until);
    if (total.executeStep()) {
      days = total.getColumn(0).getInt();
    }
    if (except) {
      SQLite::Statement own(ledger.db(),
                            "SELECT days FROM change_approvals WHERE change_id = ? AND "
                            "approved_at < ?");
      own.bind(1, static_cast<int64_t>(*except));
      own.bind(2, until);
      if (own.executeStep()) {
        days -= own.getColumn(0).getInt();
      }
    }
  } catch (const SQLite::Exception& e) {
    rethrow_sqlite(e, ledger.path(), "read");
  }
  return make_deadline(baseline, days);
}

std::string status_text(const ChangeState& state, const std::string& language) {
  switch (state.status) {
    case ChangeStatus::approved:
      return word("change.approved", language);
    case ChangeStatus::rejected:
      return word(state.rejected_by == Side::team ? "change.rejected.team"
                                                  : "change.rejected.client",
                  language);
    case ChangeStatus::proposed:
      break;
  }
  if (state.client == Verdict::approve) {
    return word("change.proposed.client", language);
  }
  if (state.team == Verdict::approve) {
    return word("change.proposed.team", language);
  }
  return word("change.proposed", language);
}

std::string change_days_text(const Change& change, const std::string& language) {
  if (change.days == 0) {
    return "";
  }
  if (!change.working_days) {
    return days_text(change.days, language);  // calendar days, as pm always counted them
  }
  const int n = *change.working_days;
  return (n > 0 ? "+" : "") + plural_text(std::to_string(n), word("days.working", language),
                                          language);
}

std::string impact_text(const Change& change, const std::string& language) {
  std::string out = change_days_text(change, language);
  if (!change.cost.empty()) {
    out += (out.empty() ? "" : ", ") + format_money(change.cost, change.currency, language);
  }
  return out;
}

}  // namespace pm
