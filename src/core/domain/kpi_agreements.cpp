// The scorecard's two agreement figures (docs/kpi.md): deliveries judged on the due day that
// holds now, promises on the day first promised.
#include <map>

#include <fmt/format.h>

#include "pm/domain/agreement_state.hpp"
#include "pm/domain/agreements.hpp"
#include "pm/time/period.hpp"

#include "kpi_detail.hpp"

namespace pm::detail {

/// Agreements: deliveries on their current due day, promises on the first promised one.
void agreement_kpis(Ledger& ledger, const ProjectConfig& config, const Calendar& calendar,
                    Date first, Date last, Instant now, Kpi& deliveries, Kpi& promises) {
  const Zone zone = calendar.zone();
  const ConfirmationRule rule{&calendar, config.confirm_within};
  std::map<EntryId, AgreementRow> rows;
  for (auto& row : list_agreements(ledger, true, std::nullopt)) {
    rows.emplace(row.entry.id, std::move(row));
  }
  auto in_period = [&](const AgreementRow& row) -> std::optional<Date> {
    if (row.entry.due.empty()) {
      return std::nullopt;
    }
    const Date due = parse_date(row.entry.due, "due");
    return due >= first && due <= last ? std::optional(due) : std::nullopt;
  };
  // Fulfilled by the end of `due` (true), after it or not at all once it has passed (false),
  // or not yet known: open with its day still to come (none).
  auto kept = [&](const AgreementRow& row, Date due) -> std::optional<bool> {
    const Instant end = start_of_day(add_days(due, 1), zone);
    const AgreementStatus s = agreement_status(row, rule, now);
    if (s.state == AgreementState::fulfilled) {
      return s.since.value_or(row.entry.effective_at) < end;
    }
    if (s.state == AgreementState::withdrawn || now >= end) {
      return false;
    }
    return std::nullopt;
  };
  std::int64_t due_n = 0, on_time = 0, withdrawn = 0, promised = 0, kept_n = 0, moved = 0;
  for (const auto& [id, row] : rows) {
    const std::optional<Date> due = in_period(row);
    if (!due || is_withdrawal(row.entry)) {
      continue;
    }
    // Deliveries: the agreements that hold now (not superseded), on their own due day.
    if (!row.superseded_by) {
      const AgreementStatus s = agreement_status(row, rule, now);
      if (s.state == AgreementState::withdrawn) {
        ++withdrawn;
      } else if (auto k = kept(row, *due)) {
        ++due_n;
        on_time += *k ? 1 : 0;
      }
    }
    // Promises: an agreement that names a date and renegotiates no earlier date, followed to
    // the agreement that holds now.
    if (row.entry.ref) {
      auto before = rows.find(*row.entry.ref);
      if (before != rows.end() && !before->second.entry.due.empty()) {
        continue;
      }
    }
    const AgreementRow* current = &row;
    int steps = 0;
    while (current->superseded_by && ++steps < 1000) {
      auto next = rows.find(*current->superseded_by);
      if (next == rows.end()) {
        break;
      }
      current = &next->second;
    }
    if (is_withdrawal(current->entry)) {
      continue;  // the commit that recorded it was rewritten: it was never promised
    }
    if (auto k = kept(*current, *due)) {
      ++promised;
      kept_n += *k ? 1 : 0;
      moved += current != &row ? 1 : 0;
    }
  }
  set_share(deliveries, on_time, due_n);
  deliveries.how = fmt::format(
      "agreements due in the period fulfilled by the end of their due day: {} of {} (a "
      "superseded one is judged by its replacement, {} withdrawn and those still to come left "
      "out)",
      on_time, due_n, withdrawn);
  set_share(promises, kept_n, promised);
  promises.how = fmt::format(
      "dates first promised in the period (an agreement's due day) that the work met as "
      "promised: {} of {} ({} followed through superseding agreements; a withdrawal breaks one)",
      kept_n, promised, moved);
}

}  // namespace pm::detail
