// The charts' data read from the ledger (charts.hpp): each with the query or the function the
// command that prints the same figures uses, so a chart never disagrees with `pm nps`, the
// report's deadline or its "done".
#include <SQLiteCpp/SQLiteCpp.h>

#include "pm/domain/charts.hpp"
#include "pm/time/period.hpp"
#include "pm/util/json.hpp"

namespace pm {

std::vector<NpsPoint> nps_points(const std::vector<NpsGroup>& groups) {
  std::vector<NpsPoint> out;
  out.reserve(groups.size());
  for (const auto& g : groups) {
    const NpsFigure figure = nps_figure(g.counts);
    NpsPoint p;
    p.month = g.key;
    p.answers = figure.n;
    if (figure.n > 0) {  // nps_figure_json writes null otherwise
      p.nps = figure.nps;
      p.margin = figure.margin;
    }
    p.reliable = figure.reliable;
    out.push_back(std::move(p));
  }
  return out;
}

std::vector<NpsPoint> nps_month_points(Ledger& ledger, const NpsPeriod& period) {
  std::vector<NpsGroup> groups = nps_groups(ledger, NpsBy::month, period);
  fill_nps_gaps(groups, NpsBy::month);
  return nps_points(groups);
}

DeadlineHistory deadline_history(Ledger& ledger, const std::string& baseline, Instant now,
                                 Zone zone) {
  DeadlineHistory h;
  h.today = local_date(now, zone);
  h.start = h.today;
  h.deadline = project_deadline(ledger, baseline, now);
  try {
    // The first entry by id: one rowid lookup, whatever the ledger's size.
    SQLite::Statement first(ledger.db(), "SELECT effective_at FROM entries ORDER BY id LIMIT 1");
    if (first.executeStep()) {
      const Date day = local_date(parse_utc(first.getColumn(0).getText()), zone);
      if (date::sys_days{day} < date::sys_days{h.start}) {
        h.start = day;
      }
    }
    // The rows project_deadline reads: approved changes in order with their running total.
    SQLite::Statement rows(ledger.db(),
                           "SELECT a.change_id, a.approved_at, a.days, a.total_days, "
                           "(SELECT n.number FROM numbers n WHERE n.entry_id = a.change_id) "
                           "FROM change_approvals a INDEXED BY change_approvals_order "
                           "WHERE a.approved_at < ? ORDER BY a.approved_at, a.change_id");
    rows.bind(1, format_utc(now));
    while (rows.executeStep()) {
      const int days = rows.getColumn(2).getInt();
      const Deadline after = make_deadline(baseline, rows.getColumn(3).getInt());
      if (days == 0 || !after.current) {
        continue;
      }
      DeadlineEvent e;
      e.change = rows.getColumn(0).getInt64();
      e.date = local_date(parse_utc(rows.getColumn(1).getText()), zone);
      e.days = days;
      e.number = rows.getColumn(4).isNull() ? 0 : rows.getColumn(4).getInt64();
      e.deadline = *after.current;
      if (date::sys_days{e.date} < date::sys_days{h.start}) {
        h.start = e.date;
      }
      h.events.push_back(e);
    }
  } catch (const SQLite::Exception& e) {
    rethrow_sqlite(e, ledger.path(), "read");
  }
  return h;
}

std::vector<WeekCount> done_per_week(Ledger& ledger, Date day, Zone zone, int weeks) {
  std::vector<WeekCount> out;
  if (weeks <= 0) {
    return out;
  }
  const date::sys_days d{day};
  const date::sys_days monday = d - date::days(date::weekday(d).iso_encoding() - 1);
  Json bounds = Json::array();
  for (int i = weeks - 1; i >= 0; --i) {
    const Date first{monday - date::days(7 * i)};
    const Period week = day_period(first, add_days(first, 6), zone);
    out.push_back({iso_week_name(first), 0});
    bounds.push_back(Json::array({format_utc(week.from), format_utc(week.until)}));
  }
  // Per week, two index ranges of (kind, effective_at): the report's done notes (notes() in
  // report.cpp), and its agreement steps that an agreement-state entry fulfilled
  // (agreement_steps() there: the step's ref must be an agreement).
  static const std::string sql =
      "SELECT w.key, "
      "(SELECT count(*) FROM entries e INDEXED BY entries_kind_effective "
      " WHERE e.effective_at >= w.f AND e.effective_at < w.u AND e.kind = 'done') + "
      "(SELECT count(*) FROM entries s INDEXED BY entries_kind_effective CROSS JOIN entries a "
      " ON a.id = s.ref AND a.kind = 'agreement' "
      " WHERE s.effective_at >= w.f AND s.effective_at < w.u AND s.kind = 'agreement-state' "
      " AND json_extract(s.data, '$.state') = 'fulfilled') "
      "FROM (SELECT key, json_extract(value, '$[0]') AS f, json_extract(value, '$[1]') AS u "
      "      FROM json_each(?)) w ORDER BY w.key";
  try {
    SQLite::Statement stmt(ledger.db(), sql);
    stmt.bind(1, dump_json(bounds));
    while (stmt.executeStep()) {
      const auto i = static_cast<std::size_t>(stmt.getColumn(0).getInt64());
      if (i < out.size()) {
        out[i].done = stmt.getColumn(1).getInt();
      }
    }
  } catch (const SQLite::Exception& e) {
    rethrow_sqlite(e, ledger.path(), "read");
  }
  return out;
}

}  // namespace pm
