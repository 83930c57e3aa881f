#include "pm/domain/report.hpp"

#include <algorithm>
#include <limits>
#include <set>

#include <SQLiteCpp/SQLiteCpp.h>

#include "pm/domain/communication.hpp"
#include "pm/util/error.hpp"
#include "pm/util/words.hpp"

namespace pm {

namespace {

/// The period's entries of `kind`; without `data` unless `with_data` (the report prints
/// their text, date and author: a busy week holds thousands).
std::vector<Entry> in_period(Ledger& ledger, const char* kind, const Period& period,
                             bool with_data = false) {
  EntryQuery q;
  q.kinds = {kind};
  q.effective_from = period.from;
  q.effective_until = period.until;
  q.data = with_data;
  return ledger.list(q);
}

std::vector<ReportNote> notes(Ledger& ledger, const char* kind, const Period& period, Zone zone) {
  std::vector<ReportNote> out;
  for (auto& e : in_period(ledger, kind, period)) {
    out.push_back({e.id, 0, std::move(e.text), local_date(e.effective_at, zone), std::move(e.author)});
  }
  return out;
}

/// Open agreements (neither superseded nor fulfilled by a done note before the period's end)
/// due in [from, until); an empty `from` reaches back to the first one.
std::vector<ReportDate> dated_agreements(Ledger& ledger, const Period& period,
                                         std::optional<Date> from, Date until) {
  EntryQuery q;
  q.kinds = {"agreement"};
  q.effective_until = period.until;
  q.open_only = true;
  if (from) {
    q.due_from = format_date(*from);
  }
  q.due_until = format_date(until);
  q.data = false;
  std::vector<ReportDate> out;
  for (const auto& e : ledger.list(q)) {
    out.push_back({parse_date(e.due, "due"), e.text, e.id, e.number});
  }
  return out;
}

/// Whether an amend or a rebase withdrew `e` (a trailer it removed): then the report leaves
/// it out, as `pm agreements` and `pm change list` do. One lookup in the ref index.
bool withdrawn(Ledger& ledger, const Entry& e) {
  if (e.source != "hook") {
    return false;
  }
  EntryQuery q;
  q.kinds = {e.kind};
  q.ref = e.id;
  for (const auto& later : ledger.list(q)) {
    if (is_withdrawal(later)) {
      return true;
    }
  }
  return false;
}

/// Agreements confirmed, disputed, fulfilled (by a done note or a state entry) or withdrawn
/// in the period, each with its agreement: one read of the period's steps from the (kind,
/// effective_at) index, the agreement by id.
std::vector<ReportAgreementStep> agreement_steps(Ledger& ledger, const Period& period, Zone zone) {
  static const char* const sql =
      "SELECT s.id, s.kind, s.effective_at, s.text, "
      "CASE s.kind WHEN 'agreement-state' THEN s.data END, a.text, "
      "(SELECT n.number FROM numbers n WHERE n.entry_id = a.id) "
      "FROM entries s INDEXED BY entries_kind_effective CROSS "
      "JOIN entries a ON a.id = s.ref AND a.kind = 'agreement' "
      "WHERE s.kind IN ('agreement-state', 'done') AND s.effective_at >= ? "
      "AND s.effective_at < ? ORDER BY s.effective_at, s.id";
  std::vector<ReportAgreementStep> out;
  try {
    SQLite::Statement stmt(ledger.db(), sql);
    stmt.bind(1, format_utc(period.from));
    stmt.bind(2, format_utc(period.until));
    while (stmt.executeStep()) {
      ReportAgreementStep step;
      step.id = stmt.getColumn(0).getInt64();
      step.date = local_date(parse_utc(stmt.getColumn(2).getString()), zone);
      step.text = stmt.getColumn(5).getString();
      step.number = stmt.getColumn(6).isNull() ? 0 : stmt.getColumn(6).getInt64();
      if (stmt.getColumn(4).isNull()) {  // a done note that fulfils it
        step.state = "fulfilled";
        step.note = stmt.getColumn(3).getString();
      } else {
        Json data = Json::parse(stmt.getColumn(4).getString(), nullptr, false);
        if (!data.is_object()) {
          data = Json::object();
        }
        step.state = data.value("state", "");
        step.by = data.value("by", "");
        step.note = data.value("reason", data.value("evidence", ""));
      }
      out.push_back(std::move(step));
    }
  } catch (const SQLite::Exception& e) {
    rethrow_sqlite(e, ledger.path(), "read");
  }
  return out;
}

void sort_dates(std::vector<ReportDate>& dates) {
  std::stable_sort(dates.begin(), dates.end(), [](const ReportDate& a, const ReportDate& b) {
    if (a.date != b.date) {
      return date::sys_days{a.date} < date::sys_days{b.date};
    }
    // The project deadline (no id) after the agreements due the same day.
    return a.id.value_or(std::numeric_limits<EntryId>::max()) <
           b.id.value_or(std::numeric_limits<EntryId>::max());
  });
}

}  // namespace

Report build_report(Ledger& ledger, const ProjectConfig& config, const Period& period,
                    Instant now, std::optional<Date> upcoming_until, const Calendar* calendar) {
  Zone zone = find_zone(config.timezone);
  Report r;
  r.project = config.name;
  r.timezone = config.timezone;
  r.period = period;
  Date today = local_date(now, zone);
  r.as_of = date::sys_days{today} < date::sys_days{period.last} ? today : period.last;

  r.done = notes(ledger, "done", period, zone);
  r.next = notes(ledger, "next", period, zone);
  // A version replaced within the period is left out: the client reads the current one, with
  // what it replaces.
  std::vector<Entry> agreements = in_period(ledger, "agreement", period);
  std::vector<Entry> decisions = in_period(ledger, "decision", period);
  std::set<EntryId> replaced;
  for (const auto* list : {&agreements, &decisions}) {
    for (const auto& e : *list) {
      if (e.ref) {
        replaced.insert(*e.ref);
      }
    }
  }
  for (auto& e : agreements) {
    if (replaced.count(e.id) != 0 || is_withdrawal(e) || withdrawn(ledger, e)) {
      continue;  // replaced; or a trailer an amend removed, and the withdrawal that says so
    }
    std::int64_t old_number = 0;
    if (e.ref) {
      if (auto old = ledger.find(*e.ref); old && old->kind == "agreement") {
        old_number = old->number;
      }
    }
    r.agreements.push_back({e.id, e.number, std::move(e.text), local_date(e.effective_at, zone),
                            std::move(e.due), e.ref, old_number});
  }
  r.agreement_steps = agreement_steps(ledger, period, zone);
  for (auto& e : decisions) {
    if (replaced.count(e.id) == 0 && !is_withdrawal(e) && !withdrawn(ledger, e)) {
      r.decisions.push_back({e.id, e.number, std::move(e.text), local_date(e.effective_at, zone),
                             std::move(e.author)});
    }
  }

  // Changes proposed in the period, and older ones decided in it.
  std::set<EntryId> changed;
  for (const auto& e : in_period(ledger, "change", period)) {
    if (is_withdrawal(e) || withdrawn(ledger, e)) {
      continue;
    }
    changed.insert(e.id);
  }
  for (const auto& e : in_period(ledger, "change-decision", period)) {
    if (e.ref) {
      changed.insert(*e.ref);
    }
  }
  r.changes = load_changes(ledger, {changed.begin(), changed.end()}, period.until);

  r.risks = open_risks(ledger, period.until);
  r.closed_risks = closed_risks(ledger, period.from, period.until);
  r.deadline = project_deadline(ledger, config.deadline, period.until);

  Date horizon = upcoming_until ? *upcoming_until : add_days(r.as_of, k_upcoming_days);
  r.upcoming = dated_agreements(ledger, period, r.as_of, horizon);
  r.overdue = dated_agreements(ledger, period, std::nullopt, r.as_of);
  if (r.deadline.current) {
    auto day = date::sys_days{*r.deadline.current};
    if (day < date::sys_days{r.as_of}) {
      r.overdue.push_back({*r.deadline.current, "", std::nullopt, 0});
    } else if (day < date::sys_days{horizon}) {
      r.upcoming.push_back({*r.deadline.current, "", std::nullopt, 0});
    }
  }
  sort_dates(r.upcoming);
  sort_dates(r.overdue);
  r.off_plan = !r.overdue.empty();
  if (calendar != nullptr) {
    ReportCommunication c;
    const SlaTargets targets = sla_targets(config);
    c.target = targets.reply;
    EntryQuery letters;
    letters.kinds = {"letter"};
    letters.effective_from = period.from;
    letters.effective_until = period.until;
    ledger.each(letters, [&](const Entry&) { ++c.letters; });
    const std::vector<RequestRow> rows =
        requests_between(ledger, *calendar, targets, period.from, period.until, now);
    c.requests = static_cast<int>(rows.size());
    for (const auto& row : rows) {
      c.replied += row.replied() ? 1 : 0;
      c.breaches += row.breach ? 1 : 0;
    }
    c.median_reply = median_reply(rows);
    r.communication = c;
  }
  r.ledger_head = chain_head(ledger.db());
  return r;
}

}  // namespace pm
