#include "pm/domain/reminders.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <fmt/format.h>

#include "pm/domain/numbers.hpp"
#include "pm/time/date_expression.hpp"
#include "pm/util/check.hpp"
#include "pm/util/error.hpp"
#include "pm/util/text.hpp"

namespace pm {

namespace {

/// "3", "№ 3", "#3": agreement 3; anything else as pm show reads it (A3, C2, agreement 3).
Entry about_entry(Ledger& ledger, std::string text) {
  text = trimmed(text);
  for (std::string_view prefix : {"№", "#"}) {
    if (text.starts_with(prefix)) {
      text = trimmed(std::string_view(text).substr(prefix.size()));
    }
  }
  if (!text.empty() && text.find_first_not_of("0123456789") == std::string::npos) {
    text = "A" + text;
  }
  return find_reference(ledger, text);
}

}  // namespace

EntryId add_reminder(Ledger& ledger, const Calendar& calendar, const ReminderInput& input,
                     Instant now) {
  Entry e;
  e.kind = "reminder";
  e.text = trimmed(input.text);
  if (e.text.empty()) {
    throw Error("the reminder has no text; say what to do, e.g. pm remind \"Call Ivan\" --in 3wd");
  }
  check_line("the reminder", e.text, Exit::usage);
  const Date today = local_date(now, calendar.zone());
  const Date day = parse_date_on_calendar(input.when, now, calendar, "--on/--in");
  if (date::sys_days{day} < date::sys_days{today}) {
    throw Error(fmt::format("--on {}: {} is past; a reminder is for today or later",
                            input.when, format_date(day)),
                Exit::usage);
  }
  e.due = format_date(day);
  e.recorded_at = now;
  e.effective_at = now;
  e.author = input.author;
  if (!trimmed(input.about).empty()) {
    e.ref = about_entry(ledger, input.about).id;
  }
  return ledger.append(e);
}

void each_reminder(Ledger& ledger, bool all, const std::function<void(const Reminder&)>& visit) {
  std::string sql = fmt::format(
      "SELECT {}, (SELECT min(d.effective_at) FROM entries d INDEXED BY entries_ref "
      "WHERE d.ref = e.id AND d.kind = 'reminder-done') AS done "
      "FROM entries e WHERE e.kind = 'reminder'",
      Ledger::entry_columns("e"));
  if (!all) {
    sql += " AND done IS NULL";
  }
  sql += " ORDER BY e.due, e.id";
  try {
    SQLite::Statement stmt(ledger.db(), sql);
    while (stmt.executeStep()) {
      Reminder r;
      r.entry = Ledger::read_entry(stmt);
      if (const SQLite::Column done = stmt.getColumn(Ledger::k_entry_column_count);
          !done.isNull()) {
        r.done = parse_utc(done.getString());
      }
      if (r.entry.ref) {
        r.about = ledger.find(*r.entry.ref);
      }
      visit(r);
    }
  } catch (const SQLite::Exception& e) {
    rethrow_sqlite(e, ledger.path(), "read");
  }
}

EntryId finish_reminder(Ledger& ledger, std::int64_t number, const std::string& author,
                        Instant now) {
  const Entry reminder = numbered_entry(ledger, "reminder", number);
  EntryQuery q;
  q.kinds = {"reminder-done"};
  q.ref = reminder.id;
  if (!ledger.list(q).empty()) {
    throw Error(fmt::format("reminder {} is already done; pm reminders lists the open ones",
                            number));
  }
  Entry e;
  e.kind = "reminder-done";
  e.ref = reminder.id;
  e.text = reminder.text;
  e.recorded_at = now;
  e.effective_at = now;
  e.author = author;
  return ledger.append(e);
}

}  // namespace pm
