#pragma once
// The KPI scorecard: the agency's reference figures measured over a period of the ledger
// (docs/kpi.md). Each figure says what it was computed over (n) and how; a figure over nothing
// is "no data", neither met nor missed, and one the ledger cannot measure says so.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "pm/domain/project.hpp"
#include "pm/storage/ledger.hpp"
#include "pm/time/calendar.hpp"

namespace pm {

/// Whether a figure meets its target by reaching it or by staying under it.
enum class KpiDirection { at_least, at_most };

/// "at_least" or "at_most", as JSON spells it; "≥" or "≤" for people.
const char* direction_name(KpiDirection direction);
const char* direction_sign(KpiDirection direction);

/// One figure of the scorecard.
struct Kpi {
  std::string key;       ///< deliveries_on_time, reply_time, ...
  std::string title;     ///< in English
  std::string title_ru;  ///< in Russian
  std::string unit;      ///< "%", "h" (working hours), "working days", "points"
  KpiDirection direction = KpiDirection::at_least;
  double target = 0;
  std::string target_text;    ///< "≥ 90%", "≤ 2 h", "40–60"
  std::optional<double> value;  ///< none when n == 0 or not measurable
  std::int64_t n = 0;         ///< what it was computed over (agreements, requests, letters...)
  std::optional<bool> met;    ///< none with no value
  bool measurable = true;     ///< false: the ledger does not record what it needs (see how)
  std::string how;            ///< one line: the formula with its counts
};

/// The keys of the scorecard, in its order.
const std::vector<std::string>& kpi_keys();
/// The keys whose target `kpi:` in project.yaml may set (percent; NPS points for nps).
const std::vector<std::string>& kpi_target_keys();
/// The default target of a key of kpi_target_keys().
int default_kpi_target(const std::string& key);

/// Every figure of the scorecard over [from, until), measured at `now`, in kpi_keys() order.
/// Targets come from `config.kpi` where set, reply time and status cadence from `sla:`.
std::vector<Kpi> compute_kpis(Ledger& ledger, const ProjectConfig& config,
                              const Calendar& calendar, Instant from, Instant until, Instant now);

/// "75%", "1 h 30 min", "3 working days", "33"; "no data" or "not measurable" without a value.
std::string kpi_value_text(const Kpi& kpi);
/// "met", "not met", "no data" or "not measurable".
std::string kpi_verdict(const Kpi& kpi);

/// One figure as JSON (docs/kpi.md): key, title, title_ru, unit, target, target_text,
/// direction, value, n, met, measurable, how, in that order.
Json kpi_json(const Kpi& kpi);

}  // namespace pm
