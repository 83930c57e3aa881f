// The project's dates as events: the sources (deadline, agreements), the UIDs that keep them
// the same from one export to the next, and the filter by dates.
#include <algorithm>

#include <SQLiteCpp/SQLiteCpp.h>
#include <fmt/format.h>

#include "pm/domain/calendar_export.hpp"
#include "pm/domain/changes.hpp"
#include "pm/domain/meeting_schedule.hpp"
#include "pm/domain/meetings.hpp"
#include "pm/domain/numbers.hpp"
#include "pm/domain/reminders.hpp"
#include "pm/util/error.hpp"
#include "pm/util/sha256.hpp"
#include "pm/util/text.hpp"
#include "pm/util/words.hpp"

namespace pm {

namespace {

constexpr std::size_t k_summary_chars = 160;  // bytes of an item's text in a SUMMARY

/// The first line of `text`, at most about k_summary_chars bytes, cut between characters.
std::string first_line(const std::string& text) {
  std::string line = text.substr(0, text.find('\n'));
  if (line.size() > k_summary_chars) {
    std::size_t cut = k_summary_chars;
    while (cut > 0 && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80) {
      --cut;  // not inside a UTF-8 sequence
    }
    line = line.substr(0, cut) + "…";
  }
  return line;
}

/// The project deadline as approved changes left it, all-day; stamped with the last approval
/// that moved it (the export's now while none has), its sequence the number of such approvals.
void deadline_source(const CalendarExportContext& c, std::vector<CalendarEvent>& out) {
  if (c.config.deadline.empty()) {
    return;
  }
  const Instant after_now = c.now + std::chrono::seconds{1};
  const Deadline d = project_deadline(c.ledger, c.config.deadline, after_now);
  if (!d.current) {
    return;
  }
  const std::string& lang = c.config.language;
  CalendarEvent e;
  e.uid = calendar_uid("deadline", 0, c.uid_domain);
  e.day = *d.current;
  e.summary = fmt::format("{}: {}", c.config.name, word("report.project_deadline", lang));
  if (d.shifted()) {
    e.description = fmt::format(fmt::runtime(word("report.deadline.moved", lang)),
                                fmt::arg("current", format_date(*d.current)),
                                fmt::arg("baseline", format_date(*d.baseline)),
                                fmt::arg("days", days_text(d.days, lang)));
  }
  e.categories = {"deadline"};
  try {
    SQLite::Statement moved(c.ledger.db(),
                            "SELECT count(*), max(approved_at) FROM change_approvals "
                            "WHERE approved_at < ? AND days != 0");
    moved.bind(1, format_utc(after_now));
    if (moved.executeStep() && moved.getColumn(0).getInt() > 0) {
      e.sequence = moved.getColumn(0).getInt();
      e.stamp = parse_utc(moved.getColumn(1).getString());
    }
  } catch (const SQLite::Exception& ex) {
    rethrow_sqlite(ex, c.ledger.path(), "read");
  }
  out.push_back(std::move(e));
}

/// Each open agreement with a due date, all-day on that day. A superseding agreement keeps
/// the UID of the first one it replaces (its sequence one more), so a calendar moves the event.
void agreement_source(const CalendarExportContext& c, std::vector<CalendarEvent>& out) {
  EntryQuery q;
  q.kinds = {"agreement"};
  q.open_only = true;
  q.effective_until = c.now + std::chrono::seconds{1};
  q.due_from = "0001-01-01";
  const std::string& lang = c.config.language;
  for (const Entry& a : c.ledger.list(q)) {
    if (is_withdrawal(a)) {
      continue;
    }
    std::int64_t first = a.number;
    int sequence = 0;
    for (std::optional<EntryId> ref = a.ref; ref && sequence < 10000; ++sequence) {
      const std::optional<Entry> older = c.ledger.find(*ref);
      if (!older || older->kind != "agreement") {
        break;
      }
      first = older->number;
      ref = older->ref;
    }
    CalendarEvent e;
    e.uid = calendar_uid("agreement", first, c.uid_domain);
    e.day = parse_date(a.due, "due");
    e.summary = fmt::format(fmt::runtime(word("calendar.agreement", lang)),
                            fmt::arg("id", a.number), fmt::arg("text", first_line(a.text)));
    std::string with;
    if (a.data.contains("with") && a.data["with"].is_array()) {
      for (const auto& who : a.data["with"]) {
        if (who.is_string()) {
          with += (with.empty() ? "" : ", ") + who.get<std::string>();
        }
      }
    }
    e.description = a.text + "\n\n" +
                    fmt::format(fmt::runtime(word(with.empty() ? "calendar.agreed"
                                                               : "calendar.agreed_with",
                                                  lang)),
                                fmt::arg("date", format_date(local_date(a.effective_at, c.zone))),
                                fmt::arg("with", with));
    e.categories = {"agreement"};
    e.stamp = a.recorded_at;
    e.sequence = sequence;
    out.push_back(std::move(e));
  }
}

/// Each open reminder, all-day on its day (`pm remind`); one marked done leaves the calendar.
void reminder_source(const CalendarExportContext& c, std::vector<CalendarEvent>& out) {
  const std::string& lang = c.config.language;
  each_reminder(c.ledger, false, [&](const Reminder& r) {
    CalendarEvent e;
    e.uid = calendar_uid("reminder", r.entry.number, c.uid_domain);
    e.day = parse_date(r.entry.due, "due");
    e.summary = fmt::format(fmt::runtime(word("calendar.reminder", lang)),
                            fmt::arg("text", first_line(r.entry.text)));
    e.description = r.entry.text;
    if (r.about) {
      e.description += fmt::format("\n\n{} {}", reference_of(*r.about), r.about->text);
    }
    e.categories = {"reminder"};
    e.stamp = r.entry.recorded_at;
    out.push_back(std::move(e));
  });
}

/// Each meeting recorded in the ledger (`pm meeting`), at its time, an hour long.
void meeting_source(const CalendarExportContext& c, std::vector<CalendarEvent>& out) {
  for (const Entry& m : list_meetings(c.ledger)) {
    CalendarEvent e;
    e.uid = calendar_uid("meeting", m.number, c.uid_domain);
    e.start = date::local_seconds{
        date::floor<std::chrono::seconds>(m.effective_at + utc_offset(m.effective_at, c.zone))
            .time_since_epoch()};
    e.duration = std::chrono::minutes{60};
    e.summary = first_line(m.text);
    e.description = m.text;
    if (m.data.contains("with") && m.data["with"].is_array() && !m.data["with"].empty()) {
      e.description += "\n\n" + join_json(m.data["with"]);
    }
    e.categories = {"meeting"};
    e.stamp = m.recorded_at;
    out.push_back(std::move(e));
  }
}

/// Each regular meeting of `meetings:` in project.yaml, as a recurring event from its first
/// meeting (`from`, else the next one), its holidays left out (EXDATE). Its UID comes from its
/// title, so reordering the list changes nothing.
void schedule_source(const CalendarExportContext& c, std::vector<CalendarEvent>& out) {
  for (const MeetingSchedule& s : c.config.meetings) {
    const Instant after = s.from.empty() ? c.now
                                         : local_instant(date::local_days{parse_date(s.from, "from")},
                                                         c.zone) - std::chrono::seconds{1};
    const Instant first = next_occurrence(s, after, c.zone);
    CalendarEvent e;
    e.uid = calendar_uid("series-" + sha256_hex("meeting:" + s.title).substr(0, 12), 0,
                         c.uid_domain);
    e.start = date::local_seconds{
        date::floor<std::chrono::seconds>(first + utc_offset(first, c.zone)).time_since_epoch()};
    e.duration = std::chrono::minutes{s.duration_minutes};
    e.summary = s.title;
    e.description = fmt::format("{}: every {}", c.config.name, s.every);
    Recurrence r;
    r.frequency = s.frequency == MeetingSchedule::Frequency::weekly ? Recurrence::weekly
                                                                    : Recurrence::monthly;
    r.interval = s.interval;
    r.weekday = s.weekday;
    r.week = s.frequency == MeetingSchedule::Frequency::monthly ? 1 : 0;
    e.recurrence = r;
    e.categories = {"meeting"};
    out.push_back(std::move(e));
  }
}

Date add_days(Date day, int n) { return Date{date::sys_days{day} + date::days{n}}; }

/// The first and the last day of `e` (of its series): nullopt as the last for a series without
/// an end.
std::pair<Date, std::optional<Date>> span_of(const CalendarEvent& e) {
  const Date first = e.day ? *e.day : Date{date::floor<date::days>(e.start)};
  if (!e.recurrence) {
    return {first, first};
  }
  if (e.recurrence->until && e.recurrence->count <= 0) {
    return {first, *e.recurrence->until};
  }
  if (e.recurrence->count > 0) {
    const auto days = occurrence_days(e, first, add_days(first, 366 * 200));
    return {first, days.empty() ? first : days.back()};
  }
  return {first, std::nullopt};
}

}  // namespace

const std::vector<CalendarEventSource>& calendar_event_sources() {
  static const std::vector<CalendarEventSource> k_sources = {
      deadline_source,
      agreement_source,
      reminder_source,
      meeting_source,
      schedule_source,
  };
  return k_sources;
}

std::string calendar_uid_domain(Ledger& ledger, const ProjectConfig& config) {
  std::string seed;
  try {
    SQLite::Statement first(ledger.db(), "SELECT hash FROM entries ORDER BY id LIMIT 1");
    if (first.executeStep() && !first.getColumn(0).isNull()) {
      seed = "ledger:" + first.getColumn(0).getString();
    }
  } catch (const SQLite::Exception& e) {
    rethrow_sqlite(e, ledger.path(), "read");
  }
  if (seed.empty()) {
    seed = "project:" + config.name;
  }
  return sha256_hex(seed).substr(0, 16) + ".pm";
}

std::string calendar_uid(const std::string& kind, std::int64_t number, const std::string& domain) {
  return number > 0 ? fmt::format("{}-{}@{}", kind, number, domain)
                    : fmt::format("{}@{}", kind, domain);
}

std::vector<CalendarEvent> project_calendar_events(const CalendarExportContext& context,
                                                   const CalendarExportOptions& options) {
  std::vector<CalendarEvent> events;
  for (const auto& source : calendar_event_sources()) {
    source(context, events);
  }
  std::vector<CalendarEvent> out;
  for (CalendarEvent& e : events) {
    auto [first, last] = span_of(e);
    if (options.from && last && *last < *options.from) {
      continue;
    }
    if (options.until && first > *options.until) {
      continue;
    }
    if (e.recurrence) {
      // The whole series, whatever --from and --until show of it: a client shows it all.
      const Date today = local_date(context.now, context.zone);
      const Date to =
          last ? *last : add_days(std::max(first, today), options.holiday_horizon_days);
      exclude_holidays(e, context.calendar, first, to);
    }
    out.push_back(std::move(e));
  }
  return out;
}

std::string export_project_calendar(Ledger& ledger, const ProjectConfig& config,
                                    const Calendar& calendar, Zone zone, Instant now,
                                    const CalendarExportOptions& options) {
  const CalendarExportContext context{ledger, config, calendar, zone, now,
                                      calendar_uid_domain(ledger, config)};
  return write_icalendar(project_calendar_events(context, options), config.timezone,
                         config.name, now);
}

}  // namespace pm
