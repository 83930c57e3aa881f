#pragma once
// The morning list (pm today): what is late, what is due, whom to chase, most urgent first
// (docs/today.md).
#include <optional>
#include <string>
#include <vector>

#include "pm/domain/project.hpp"
#include "pm/storage/ledger.hpp"
#include "pm/time/calendar.hpp"

namespace pm {

/// The list's sections, in the order they are shown (most urgent first).
enum class TodaySection {
  overdue,       ///< agreements and reminders past their day, a status update past its day
  disputed,      ///< agreements the client objected to: settle them
  today,         ///< due today, meetings today
  unconfirmed,   ///< agreements within their confirmation window
  confirmed,     ///< agreements confirmed by silence since the last working day
  waiting,       ///< changes waiting for one side longer than confirm_within working days
  status,        ///< the next status update, when not yet due
  soon,          ///< due in the next few working days
};

/// "overdue", "disputed", ... (JSON and docs).
const char* section_name(TodaySection section);

struct TodayItem {
  TodaySection section = TodaySection::soon;
  std::string kind;       ///< agreement, reminder, change, status, meeting, deadline
  std::string reference;  ///< A3, T2, C1; empty for the status update and the deadline
  std::optional<EntryId> entry;
  std::string text;
  std::optional<Date> date;   ///< the day it is due (or the window ends)
  std::string note;           ///< what is awaited, in words: "the client has not decided"
  int working_days = 0;       ///< overdue: working days late; waiting: working days waited
};

struct TodayList {
  Date today{};
  std::vector<TodayItem> items;  ///< sorted by section, then date, then reference
  bool any_overdue() const;
};

/// How far ahead "soon" looks, in working days.
inline constexpr int k_today_horizon = 3;

/// Builds the list at `now`. Reads the open agreements (with their states), open reminders,
/// undecided changes and the latest weekly report letter; one pass each.
TodayList build_today(Ledger& ledger, const ProjectConfig& config, const Calendar& calendar,
                      Instant now);

}  // namespace pm
