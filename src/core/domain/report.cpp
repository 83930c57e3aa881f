#include "pm/domain/report.hpp"

#include <algorithm>
#include <limits>
#include <set>

#include "pm/domain/communication.hpp"
#include "pm/util/words.hpp"

namespace pm {

namespace {

std::vector<Entry> in_period(Ledger& ledger, const char* kind, const Period& period) {
  EntryQuery q;
  q.kinds = {kind};
  q.effective_from = period.from;
  q.effective_until = period.until;
  return ledger.list(q);
}

std::vector<ReportNote> notes(Ledger& ledger, const char* kind, const Period& period, Zone zone) {
  std::vector<ReportNote> out;
  for (const auto& e : in_period(ledger, kind, period)) {
    out.push_back({e.id, 0, e.text, local_date(e.effective_at, zone), e.author});
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
  std::set<EntryId> replaced;
  for (const auto* kind : {"agreement", "decision"}) {
    for (const auto& e : in_period(ledger, kind, period)) {
      if (e.ref) {
        replaced.insert(*e.ref);
      }
    }
  }
  for (const auto& e : in_period(ledger, "agreement", period)) {
    if (replaced.count(e.id) != 0 || is_withdrawal(e) || withdrawn(ledger, e)) {
      continue;  // replaced; or a trailer an amend removed, and the withdrawal that says so
    }
    std::int64_t old_number = 0;
    if (e.ref) {
      if (auto old = ledger.find(*e.ref); old && old->kind == "agreement") {
        old_number = old->number;
      }
    }
    r.agreements.push_back({e.id, e.number, e.text, local_date(e.effective_at, zone), e.due,
                            e.ref, old_number});
  }
  {
    EntryQuery q;
    q.kinds = {"agreement-state", "done"};
    q.effective_from = period.from;
    q.effective_until = period.until;
    for (const auto& e : ledger.list(q)) {
      if (!e.ref) {
        continue;  // a done note of its own
      }
      auto a = ledger.find(*e.ref);
      if (!a || a->kind != "agreement") {
        continue;
      }
      r.agreement_steps.push_back({e.id, a->number, a->text,
                                   e.kind == "done" ? "fulfilled" : e.data.value("state", ""),
                                   e.data.value("by", ""),
                                   e.kind == "done" ? e.text
                                                    : e.data.value("reason", e.data.value("evidence", "")),
                                   local_date(e.effective_at, zone)});
    }
  }
  for (const auto& e : in_period(ledger, "decision", period)) {
    if (replaced.count(e.id) == 0 && !is_withdrawal(e) && !withdrawn(ledger, e)) {
      r.decisions.push_back({e.id, e.number, e.text, local_date(e.effective_at, zone), e.author});
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
  for (EntryId id : changed) {
    r.changes.push_back(load_change(ledger, id, period.until));
  }

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
