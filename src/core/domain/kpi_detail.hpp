#pragma once
// The KPI scorecard's parts, private to the core: kpi.cpp computes the figures, and
// kpi_agreements.cpp the two that agreements give.
#include <cstdint>

#include "pm/domain/kpi.hpp"
#include "pm/time/time.hpp"

namespace pm::detail {

/// A share: `hits` of `n` in percent; no value when n is 0.
inline void set_share(Kpi& k, std::int64_t hits, std::int64_t n) {
  k.n = n;
  if (n > 0) {
    k.value = 100.0 * static_cast<double>(hits) / static_cast<double>(n);
  }
}

/// deliveries_on_time and promises_kept over the due days first..last (docs/kpi.md).
void agreement_kpis(Ledger& ledger, const ProjectConfig& config, const Calendar& calendar,
                    Date first, Date last, Instant now, Kpi& deliveries, Kpi& promises);

}  // namespace pm::detail
