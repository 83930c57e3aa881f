#pragma once
// Three charts for the client status page and HTML reports, as inline SVG (util/svg): NPS by
// month with its margin of error, the project deadline through approved changes, and work done
// per week. Each chart is drawn from plain data (so tests need no ledger) in the project's
// language; a gatherer reads that data from the ledger with the queries the commands use.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pm/domain/changes.hpp"
#include "pm/domain/nps.hpp"
#include "pm/storage/ledger.hpp"
#include "pm/time/time.hpp"

namespace pm {

/// Weeks the work-done chart shows unless told otherwise.
constexpr int k_chart_weeks = 12;

// --- NPS by month --------------------------------------------------------------------------

/// One month of the NPS chart: what `pm nps --by month --json` says of that month's group.
struct NpsPoint {
  std::string month;             ///< "2026-11"
  std::int64_t answers = 0;      ///< n
  std::optional<double> nps;     ///< -100..100; empty for a month without answers
  std::optional<double> margin;  ///< the 95% margin of error (±); empty likewise
  bool reliable = false;         ///< answers >= k_nps_min_reliable
};

/// The points of month groups (nps_groups by NpsBy::month, gaps filled), each figure computed
/// by nps_figure as `pm nps --json` does: the same numbers, not rounded.
std::vector<NpsPoint> nps_points(const std::vector<NpsGroup>& groups);
/// The ledger's months in `period`, as `pm nps --by month` groups them (gaps filled).
std::vector<NpsPoint> nps_month_points(Ledger& ledger, const NpsPeriod& period = {});

/// The chart: the margin band (value ± margin within -100..100), the line, the points (hollow
/// when too few answers to be reliable), the zero line, -100/0/100 and month labels (thinned
/// out when many). Months without answers break the line. No answers at all: a chart that
/// says so. `id` names the root element (svg::Frame).
std::string nps_chart(const std::vector<NpsPoint>& points, std::string_view language,
                      std::string_view id = "pm-chart-nps");

// --- The deadline through approved changes -------------------------------------------------

/// An approved change that moved the deadline.
struct DeadlineEvent {
  Date date{};  ///< the day it was approved (both sides), in the project's zone
  EntryId change = 0;
  std::int64_t number = 0;  ///< the change's number ("change № 3"); 0 when it has none
  int days = 0;             ///< what it added (negative: brought forward)
  Date deadline{};          ///< the deadline after it: make_deadline(baseline, running total)
};

struct DeadlineHistory {
  Date start{};  ///< where the chart begins: the day of the ledger's first entry (or `today`)
  Date today{};
  std::vector<DeadlineEvent> events;  ///< in order of approval
  Deadline deadline;  ///< today's: project_deadline(ledger, baseline, now), as the report has it
};

/// The history from the ledger's running totals of approved changes (change_approvals, which
/// project_deadline reads): each event's deadline is the one project_deadline gives just after
/// its approval. Changes of 0 days are left out; approvals at or after `now` are not counted.
DeadlineHistory deadline_history(Ledger& ledger, const std::string& baseline, Instant now,
                                 Zone zone);

/// A step chart: x the day of each approval, y the deadline; the baseline dashed, today's
/// deadline labelled. No baseline: a chart that says the deadline is not set.
std::string deadline_chart(const DeadlineHistory& history, std::string_view language,
                           std::string_view id = "pm-chart-deadline");

// --- Work done per week --------------------------------------------------------------------

struct WeekCount {
  std::string week;  ///< "2026-W48"
  int done = 0;      ///< done notes, and agreements fulfilled by an agreement-state entry
};

/// The `weeks` ISO weeks ending with the one holding `day` (in `zone`), oldest first, each
/// with what the weekly report of that week lists as done: its done notes (a note that
/// fulfils an agreement among them), plus the agreements its "agreement steps" show fulfilled
/// by an agreement-state entry (one fulfilled by a done note is that note: counted once).
/// One query, the weeks' bounds bound as one JSON array.
std::vector<WeekCount> done_per_week(Ledger& ledger, Date day, Zone zone,
                                     int weeks = k_chart_weeks);

/// Bars with their values, week labels "W48" ("Н48" in Russian), thinned out when many. No
/// weeks, or nothing done in any: a chart that says so.
std::string done_chart(const std::vector<WeekCount>& weeks, std::string_view language,
                       std::string_view id = "pm-chart-done");

}  // namespace pm
