#include "pm/domain/today.hpp"

#include <algorithm>
#include <array>
#include <tuple>

#include <fmt/format.h>

#include "pm/domain/agreement_state.hpp"
#include "pm/domain/agreements.hpp"
#include "pm/domain/changes.hpp"
#include "pm/domain/communication.hpp"
#include "pm/domain/meeting_schedule.hpp"
#include "pm/domain/meetings.hpp"
#include "pm/domain/numbers.hpp"
#include "pm/domain/reminders.hpp"

namespace pm {

namespace {

constexpr std::array<const char*, 8> k_section_names = {
    "overdue", "disputed", "today", "unconfirmed", "confirmed", "waiting", "status", "soon"};

bool before(Date a, Date b) { return date::sys_days{a} < date::sys_days{b}; }

/// Where a dated item goes: overdue, today, soon (within `horizon`), or nowhere.
std::optional<TodaySection> dated_section(Date due, Date today, Date horizon) {
  if (before(due, today)) {
    return TodaySection::overdue;
  }
  if (due == today) {
    return TodaySection::today;
  }
  if (!before(horizon, due)) {
    return TodaySection::soon;
  }
  return std::nullopt;
}

/// When the project's record starts: its first entry.
std::optional<Instant> first_entry(Ledger& ledger) {
  EntryQuery q;
  q.limit = 1;
  auto first = ledger.list(q);
  return first.empty() ? std::nullopt : std::optional<Instant>(first.front().effective_at);
}

/// ", 2 working days late"; nothing on the first days off after the due day.
std::string late_text(int working_days) {
  return working_days > 0 ? fmt::format(", {} working day{} late", working_days,
                                        working_days == 1 ? "" : "s")
                          : "";
}

}  // namespace

const char* section_name(TodaySection section) {
  return k_section_names[static_cast<std::size_t>(section)];
}

bool TodayList::any_overdue() const {
  return std::any_of(items.begin(), items.end(),
                     [](const TodayItem& i) { return i.section == TodaySection::overdue; });
}

TodayList build_today(Ledger& ledger, const ProjectConfig& config, const Calendar& calendar,
                      Instant now) {
  TodayList list;
  const Zone zone = calendar.zone();
  const Date today = local_date(now, zone);
  list.today = today;
  const Date horizon = calendar.add_working_days(today, k_today_horizon);
  const Date previous = calendar.add_working_days(today, -1);
  auto late_by = [&](Date due) { return calendar.working_days_between(due, today); };

  // Agreements: late or due ones, disputed ones, and where confirmation stands.
  const ConfirmationRule rule{&calendar, config.confirm_within};
  each_agreement(ledger, false, std::nullopt, [&](const AgreementRow& row) {
    const AgreementStatus s = agreement_status(row, rule, now);
    if (is_final(s.state)) {
      return;
    }
    const Entry& e = row.entry;
    TodayItem item{TodaySection::soon, "agreement", reference_of(e), e.id, e.text, {}, {}, 0};
    if (!e.due.empty()) {
      const Date due = parse_date(e.due, "due");
      if (auto section = dated_section(due, today, horizon)) {
        TodayItem dated = item;
        dated.section = *section;
        dated.date = due;
        dated.note = fmt::format("due {}", e.due);
        if (*section == TodaySection::overdue) {
          dated.working_days = late_by(due);
          dated.note += late_text(dated.working_days);
        }
        list.items.push_back(dated);
      }
    }
    if (s.state == AgreementState::disputed) {
      item.section = TodaySection::disputed;
      item.date = local_date(*s.since, zone);
      item.note = fmt::format("disputed by {}{}", s.by, s.note.empty() ? "" : ": " + s.note);
      list.items.push_back(item);
    } else if (s.state == AgreementState::open) {
      item.section = TodaySection::unconfirmed;
      item.date = local_date(*s.confirm_by, zone);
      item.note = fmt::format("awaiting confirmation; silence confirms it at {}",
                              format_local(*s.confirm_by, zone));
      list.items.push_back(item);
    } else if (s.by_silence && !before(local_date(*s.confirm_by, zone), previous)) {
      item.section = TodaySection::confirmed;
      item.date = local_date(*s.confirm_by, zone);
      item.note = fmt::format("confirmed by silence: no objection by {}",
                              format_local(*s.confirm_by, zone));
      list.items.push_back(item);
    }
  });

  // Reminders that fall due.
  each_reminder(ledger, false, [&](const Reminder& r) {
    const Date due = parse_date(r.entry.due, "due");
    auto section = dated_section(due, today, horizon);
    if (!section) {
      return;
    }
    TodayItem item{*section, "reminder", reference_of(r.entry), r.entry.id, r.entry.text, due,
                   fmt::format("on {}", r.entry.due), 0};
    if (r.about) {
      item.note += fmt::format(", about {} ({})", reference_of(*r.about), r.about->text);
    }
    if (*section == TodaySection::overdue) {
      item.working_days = late_by(due);
      item.note += late_text(item.working_days);
    }
    list.items.push_back(item);
  });

  // Open questions with a day to answer by.
  for (const Question& q : list_questions(ledger, false, now + std::chrono::seconds{1})) {
    if (q.entry.due.empty()) {
      continue;
    }
    const Date due = parse_date(q.entry.due, "due");
    if (auto section = dated_section(due, today, horizon)) {
      TodayItem item{*section, "question", reference_of(q.entry), q.entry.id, q.entry.text, due,
                     fmt::format("to answer by {}", q.entry.due), 0};
      if (*section == TodaySection::overdue) {
        item.working_days = late_by(due);
        item.note += late_text(item.working_days);
      }
      list.items.push_back(item);
    }
  }

  // Meetings today: those recorded for today, and those the schedule puts on today.
  const Instant day_start = local_instant(date::local_days{today}, zone);
  const Instant day_end = local_instant(date::local_days{today} + date::days{1}, zone);
  std::vector<Instant> recorded;
  EntryQuery meetings;
  meetings.kinds = {"meeting"};
  meetings.effective_from = day_start;
  meetings.effective_until = day_end;
  for (const Entry& m : ledger.list(meetings)) {
    recorded.push_back(m.effective_at);
    list.items.push_back({TodaySection::today, "meeting", reference_of(m), m.id, m.text, today,
                          fmt::format("at {}", format_local(m.effective_at, zone).substr(11)), 0});
  }
  // A regular meeting does not fall on a holiday or a day off (the calendar export leaves those
  // out too); on a plain weekend it stays where the schedule puts it.
  const DayInfo info = calendar.info(today);
  const bool day_off = info.special != nullptr && !info.working;
  for (const MeetingSchedule& schedule : config.meetings) {
    if (day_off) {
      break;
    }
    const Instant at = next_occurrence(schedule, day_start - std::chrono::seconds{1}, zone);
    if (at >= day_end || std::find(recorded.begin(), recorded.end(), at) != recorded.end()) {
      continue;
    }
    list.items.push_back({TodaySection::today, "meeting", "", std::nullopt, schedule.title, today,
                          fmt::format("at {} (every {})", format_local(at, zone).substr(11),
                                      schedule.every),
                          0});
  }

  // Changes waiting for a side longer than the confirmation window.
  each_change(ledger, [&](const Change& c) {
    if (c.state.status != ChangeStatus::proposed) {
      return;
    }
    Instant since = c.entry.effective_at;
    for (const auto& d : c.decisions) {
      since = std::max(since, d.at);
    }
    const int waited = calendar.working_days_between(local_date(since, zone), today);
    if (waited <= config.confirm_within) {
      return;
    }
    std::string who = !c.state.client && !c.state.team ? "neither side has"
                      : !c.state.client                 ? "the client has not"
                                                        : "the team has not";
    list.items.push_back({TodaySection::waiting, "change", reference_of(c.entry), c.entry.id,
                          c.entry.text, local_date(since, zone),
                          fmt::format("{} decided for {} working days", who, waited), waited});
  });

  // The client's requests still waiting for a reply: past the SLA they are overdue, else due
  // today (or on the working day the SLA ends).
  const SlaTargets targets = sla_targets(config);
  for (const RequestRow& r : waiting_requests(ledger, calendar, targets, now)) {
    const Date due = local_date(r.reply_due, zone);
    const std::string from = r.request.data.value("from_name", r.request.data.value("from", ""));
    const std::string by = format_local(r.reply_due, zone);
    TodayItem item{r.breach ? TodaySection::overdue : TodaySection::today, "request",
                   reference_of(r.request), r.request.id, r.request.text, due,
                   fmt::format("{}{}{}", from.empty() ? "" : "from " + from + "; ",
                               r.breach ? "waiting for " + working_time_text(r.waited, "en") +
                                              " of working time; the SLA is " +
                                              working_time_text(targets.reply, "en")
                                        : "reply by " + (due == today ? by.substr(11) : by),
                               r.breach ? "" : fmt::format(" (the SLA is {})",
                                                          working_time_text(targets.reply, "en"))),
                   0};
    if (r.breach) {
      item.working_days = late_by(due);
    }
    list.items.push_back(item);
  }

  // The next status update: status_every working days after the last weekly report letter
  // (or the first entry, before any).
  std::optional<Instant> last = last_status_letter(ledger);
  if (auto from = last ? last : first_entry(ledger)) {
    const Date due = calendar.add_working_days(local_date(*from, zone),
                                               config.sla_status_every_days);
    TodayItem item{TodaySection::status, "status", "", std::nullopt, "Weekly status update", due,
                   last ? fmt::format("due {}: every {} working days; the last went out on {}",
                                      format_date(due), config.sla_status_every_days,
                                      format_date(local_date(*last, zone)))
                        : fmt::format("due {}: every {} working days; none has gone out yet",
                                      format_date(due), config.sla_status_every_days),
                   0};
    if (before(due, today)) {
      item.section = TodaySection::overdue;
      item.working_days = late_by(due);
      item.note += late_text(item.working_days);
    } else if (due == today) {
      item.section = TodaySection::today;
    }
    list.items.push_back(item);
  }

  // The project deadline, when it is close.
  const Deadline deadline = project_deadline(ledger, config.deadline, now);
  if (deadline.current && !before(*deadline.current, today) && !before(horizon, *deadline.current)) {
    list.items.push_back({*deadline.current == today ? TodaySection::today : TodaySection::soon,
                          "deadline", "", std::nullopt, "Project deadline", deadline.current,
                          deadline.shifted() ? fmt::format("baseline {}, moved by approved changes",
                                                           format_date(*deadline.baseline))
                                             : "the baseline",
                          0});
  }

  std::stable_sort(list.items.begin(), list.items.end(), [](const TodayItem& a, const TodayItem& b) {
    auto key = [](const TodayItem& i) {
      // Meetings of a day by their time ("at 11:00" sorts before "at 15:00").
      return std::make_tuple(static_cast<int>(i.section),
                             i.date ? date::sys_days{*i.date}.time_since_epoch().count() : 0,
                             i.kind == "meeting" ? i.note : std::string(), i.entry.value_or(0));
    };
    return key(a) < key(b);
  });
  return list;
}

}  // namespace pm
