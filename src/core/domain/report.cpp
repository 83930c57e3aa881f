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

/// Runs `sql` with the period's bounds bound to its first two parameters (and `kind` to the
/// third when given), calling `row` for each result row.
template <typename Row>
void each_in_period(Ledger& ledger, const std::string& sql, const Period& period, const char* kind,
                    Row row) {
  try {
    SQLite::Statement stmt(ledger.db(), sql);
    stmt.bind(1, format_utc(period.from));
    stmt.bind(2, format_utc(period.until));
    if (kind != nullptr) {
      stmt.bind(3, kind);
    }
    while (stmt.executeStep()) {
      row(stmt);
    }
  } catch (const SQLite::Exception& e) {
    rethrow_sqlite(e, ledger.path(), "read");
  }
}

/// The period's done or next notes: the columns the report prints, from the (kind,
/// effective_at) index (a busy week holds thousands).
std::vector<ReportNote> notes(Ledger& ledger, const char* kind, const Period& period,
                              const PeriodDays& days) {
  static const std::string sql =
      "SELECT id, text, effective_at, author FROM entries INDEXED BY entries_kind_effective "
      "WHERE effective_at >= ? AND effective_at < ? AND kind = ? ORDER BY effective_at, id";
  std::vector<ReportNote> out;
  each_in_period(ledger, sql, period, kind, [&](SQLite::Statement& stmt) {
    out.push_back({stmt.getColumn(0).getInt64(), 0, stmt.getColumn(1).getString(),
                   days.day_of(stmt.getColumn(2).getText()), stmt.getColumn(3).getString()});
  });
  return out;
}

/// Whether entry `e` was withdrawn: it is a trailer an amend or a rebase removed, or the entry
/// saying so (a later hook entry with `withdrawn`). Only entries from the git hook can be: one
/// lookup in the ref index for those.
const std::string k_withdrawn =
    "e.source = 'hook' AND (json_type(e.data, '$.withdrawn') IS 'true' OR EXISTS "
    "(SELECT 1 FROM entries w INDEXED BY entries_ref WHERE w.ref = e.id AND w.kind = e.kind "
    "AND w.source = 'hook' AND json_type(w.data, '$.withdrawn') IS 'true'))";

/// An agreement or a decision of the period, with what the report needs to leave it out.
struct Numbered {
  ReportAgreement entry;
  std::string author;
  bool withdrawn = false;  ///< a trailer an amend or a rebase removed, or the entry saying so
};

/// The period's agreements or decisions, each with its number, the number of the agreement it
/// replaces, and whether it was withdrawn.
std::vector<Numbered> numbered(Ledger& ledger, const char* kind, const Period& period,
                               const PeriodDays& days) {
  static const std::string sql =
      "SELECT e.id, (SELECT n.number FROM numbers n WHERE n.entry_id = e.id), e.text, "
      "e.effective_at, e.author, e.due, e.ref, "
      "(SELECT n.number FROM numbers n WHERE n.entry_id = e.ref AND n.kind = 'agreement'), " +
      k_withdrawn +
      " FROM entries e INDEXED BY entries_kind_effective "
      "WHERE e.effective_at >= ? AND e.effective_at < ? AND e.kind = ? "
      "ORDER BY e.effective_at, e.id";
  std::vector<Numbered> out;
  each_in_period(ledger, sql, period, kind, [&](SQLite::Statement& stmt) {
    Numbered n;
    ReportAgreement& a = n.entry;
    a.id = stmt.getColumn(0).getInt64();
    a.number = stmt.getColumn(1).isNull() ? 0 : stmt.getColumn(1).getInt64();
    a.text = stmt.getColumn(2).getString();
    a.date = days.day_of(stmt.getColumn(3).getText());
    n.author = stmt.getColumn(4).getString();
    a.due = stmt.getColumn(5).getString();
    if (!stmt.getColumn(6).isNull()) {
      a.supersedes = stmt.getColumn(6).getInt64();
    }
    a.supersedes_number = stmt.getColumn(7).isNull() ? 0 : stmt.getColumn(7).getInt64();
    n.withdrawn = stmt.getColumn(8).getInt() != 0;
    out.push_back(std::move(n));
  });
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

/// Agreements confirmed, disputed, fulfilled (by a done note or a state entry) or withdrawn
/// in the period, each with its agreement: one read of the period's steps from the (kind,
/// effective_at) index, the agreement by id.
std::vector<ReportAgreementStep> agreement_steps(Ledger& ledger, const Period& period,
                                                 const PeriodDays& days) {
  static const std::string sql =
      "SELECT s.id, s.kind, s.effective_at, s.text, "
      "CASE s.kind WHEN 'agreement-state' THEN s.data END, a.text, "
      "(SELECT n.number FROM numbers n WHERE n.entry_id = a.id) "
      "FROM entries s INDEXED BY entries_kind_effective CROSS "
      "JOIN entries a ON a.id = s.ref AND a.kind = 'agreement' "
      "WHERE s.kind IN ('agreement-state', 'done') AND s.effective_at >= ? "
      "AND s.effective_at < ? ORDER BY s.effective_at, s.id";
  std::vector<ReportAgreementStep> out;
  each_in_period(ledger, sql, period, nullptr, [&](SQLite::Statement& stmt) {
    ReportAgreementStep step;
    step.id = stmt.getColumn(0).getInt64();
    step.date = days.day_of(stmt.getColumn(2).getText());
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
  });
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

  const PeriodDays days(period, zone);
  r.done = notes(ledger, "done", period, days);
  r.next = notes(ledger, "next", period, days);
  // A version replaced within the period is left out: the client reads the current one, with
  // what it replaces. So is a trailer an amend removed, and the withdrawal that says so.
  std::vector<Numbered> agreements = numbered(ledger, "agreement", period, days);
  std::vector<Numbered> decisions = numbered(ledger, "decision", period, days);
  std::set<EntryId> replaced;
  for (const auto* list : {&agreements, &decisions}) {
    for (const auto& n : *list) {
      if (n.entry.supersedes) {
        replaced.insert(*n.entry.supersedes);
      }
    }
  }
  auto shown = [&](const Numbered& n) {
    return replaced.count(n.entry.id) == 0 && !n.withdrawn;
  };
  for (auto& n : agreements) {
    if (shown(n)) {
      r.agreements.push_back(std::move(n.entry));
    }
  }
  r.agreement_steps = agreement_steps(ledger, period, days);
  for (auto& n : decisions) {
    if (shown(n)) {
      const ReportAgreement& d = n.entry;
      r.decisions.push_back({d.id, d.number, std::move(n.entry.text), d.date, std::move(n.author)});
    }
  }

  // Changes proposed in the period, and older ones decided in it.
  static const std::string changed_sql =
      "SELECT e.id FROM entries e INDEXED BY entries_kind_effective "
      "WHERE e.effective_at >= ?1 AND e.effective_at < ?2 AND e.kind = 'change' AND NOT (" +
      k_withdrawn +
      ") UNION SELECT d.ref FROM entries d INDEXED BY entries_kind_effective "
      "WHERE d.effective_at >= ?1 AND d.effective_at < ?2 AND d.kind = 'change-decision' "
      "AND d.ref IS NOT NULL";
  std::vector<EntryId> changed;
  each_in_period(ledger, changed_sql, period, nullptr,
                 [&](SQLite::Statement& stmt) { changed.push_back(stmt.getColumn(0).getInt64()); });
  r.changes = load_changes(ledger, changed, period.until);

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
