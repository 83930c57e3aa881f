#pragma once
// Reminders: "call Ivan about the texts" on a day, or in N working days, optionally about an
// entry (an agreement, a change). A reminder is open until marked done; pm today lists it when
// it falls due (docs/today.md).
#include <functional>
#include <optional>
#include <string>

#include "pm/storage/ledger.hpp"
#include "pm/time/calendar.hpp"

namespace pm {

struct ReminderInput {
  std::string text;
  std::string when;   ///< a day or a span from today: 2026-12-10, friday, 3wd, 2w
  std::string about;  ///< A3, C2, "agreement 3", or a bare number (an agreement); may be empty
  std::string author;
};

/// Records a reminder due on the day `input.when` names (on the project's calendar: 3wd is
/// three working days from today); returns its id. A day before today, an empty text, or an
/// `about` that names nothing are errors.
EntryId add_reminder(Ledger& ledger, const Calendar& calendar, const ReminderInput& input,
                     Instant now);

struct Reminder {
  Entry entry;                   ///< text, due, number
  std::optional<Entry> about;    ///< the entry it is about
  std::optional<Instant> done;   ///< when it was marked done
};

/// Reminders, by due day then number: the open ones, or all.
void each_reminder(Ledger& ledger, bool all, const std::function<void(const Reminder&)>& visit);

/// Marks reminder `number` done; returns the entry's id. Throws for one already done.
EntryId finish_reminder(Ledger& ledger, std::int64_t number, const std::string& author,
                        Instant now);

}  // namespace pm
