// The ledger sources of letters: a `from: KIND` variable is filled from here.
#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "pm/domain/changes.hpp"
#include "pm/domain/client_view.hpp"
#include "pm/domain/communication.hpp"
#include "pm/domain/kpi.hpp"
#include "pm/domain/meeting_schedule.hpp"
#include "pm/domain/meetings.hpp"
#include "pm/domain/numbers.hpp"
#include "pm/util/error.hpp"
#include "pm/util/money.hpp"
#include "pm/mail/letter.hpp"
#include "pm/domain/report.hpp"
#include "pm/domain/risks.hpp"
#include "pm/time/time.hpp"
#include "pm/util/words.hpp"
#include "pm/util/text.hpp"

namespace pm {

namespace {

Entry entry_for(const LetterContext& ctx, const char* kind, std::optional<EntryId> id,
                const char* how_to_add) {
  if (ctx.ledger == nullptr) {
    throw Error(fmt::format("this letter needs the ledger for its {}", kind));
  }
  // --set change=3 names change 3: the number the client reads in letters and reports.
  if (id) {
    return numbered_entry(*ctx.ledger, kind, *id);
  }
  std::optional<Entry> e = ctx.ledger->latest(kind);
  if (!e) {
    throw Error(fmt::format("the ledger holds no {} yet; {}", kind, how_to_add));
  }
  return *e;
}

/// "two working days", "двух рабочих дней": the confirmation window as the letter says it
/// ("reply within ...", «в течение ...»: the Russian takes the genitive).
std::string window_text(int days, const std::string& lang) {
  static const char* const k_en[] = {"one", "two", "three", "four", "five",
                                     "six", "seven", "eight", "nine", "ten"};
  static const char* const k_ru[] = {"одного", "двух",   "трёх",    "четырёх", "пяти",
                                     "шести",  "семи",   "восьми",  "девяти",  "десяти"};
  const bool small = days >= 1 && days <= 10;
  if (lang == "ru") {
    const bool one = days % 10 == 1 && days % 100 != 11;
    return fmt::format("{} {}", small ? k_ru[days - 1] : std::to_string(days),
                       one ? "рабочего дня" : "рабочих дней");
  }
  return fmt::format("{} working {}", small ? k_en[days - 1] : std::to_string(days),
                     days == 1 ? "day" : "days");
}

mstch::node agreement(const LetterContext& ctx, std::optional<EntryId> id,
                      LetterTrace& trace) {
  Entry e = entry_for(ctx, "agreement", id, "log one with: pm log-agreement \"TEXT\"");
  trace.entries.push_back(e.id);
  Zone zone = find_zone(ctx.config.timezone);
  const std::string& lang = ctx.language.empty() ? ctx.config.language : ctx.language;
  std::optional<Entry> replaced = e.ref ? ctx.ledger->find(*e.ref) : std::nullopt;
  // The meeting's other participants are copied on its confirmation.
  for (const auto& name : e.data.value("with", Json::array())) {
    if (name.is_string()) {
      trace.copy.push_back(name.get<std::string>());
    }
  }
  return mstch::map{
      {"id", std::to_string(e.number)},
      {"entry_id", std::to_string(e.id)},
      {"text", e.text},
      {"meeting", long_date(local_date(e.effective_at, zone), lang)},
      {"due", e.due.empty() ? std::string() : long_date(parse_date(e.due, "due"), lang)},
      {"with", join_json(e.data.value("with", Json::array()))},
      {"tags", join_json(e.data.value("tags", Json::array()))},
      {"supersedes", replaced ? std::to_string(replaced->number) : std::string()},
      {"confirm_within", window_text(ctx.config.confirm_within, lang)},
  };
}

mstch::node change(const LetterContext& ctx, std::optional<EntryId> id,
                   LetterTrace& trace) {
  Entry e = entry_for(ctx, "change", id,
                      "propose one with: pm change propose \"TEXT\" --reason \"WHY\"");
  Change c = load_change(*ctx.ledger, e.id, ctx.now + std::chrono::seconds{1});
  trace.entries.push_back(e.id);
  for (const auto& d : c.decisions) {
    trace.entries.push_back(d.id);
  }
  const std::string& lang = ctx.language.empty() ? ctx.config.language : ctx.language;
  // The deadline before this change: other changes approved by the time it was decided (or now).
  Instant as_of = c.decided_at ? *c.decided_at + std::chrono::seconds{1}
                               : ctx.now + std::chrono::seconds{1};
  Deadline before = project_deadline(*ctx.ledger, ctx.config.deadline, as_of, c.entry.id);
  std::string old_deadline = before.current ? long_date(*before.current, lang) : "";
  std::string new_deadline = before.current && c.days != 0
                                 ? long_date(add_days(*before.current, c.days), lang)
                                 : "";
  mstch::array evidence;
  for (const auto& d : c.decisions) {
    if (!d.evidence.empty()) {
      evidence.push_back(mstch::map{
          {"line", fmt::format(fmt::runtime(word("report.evidence", lang)),
                               fmt::arg("side", word(fmt::format("side.{}", side_name(d.side)),
                                                     lang)),
                               fmt::arg("by", d.by), fmt::arg("evidence", d.evidence))}});
    }
  }
  return mstch::map{
      {"id", std::to_string(c.entry.number)},
      {"entry_id", std::to_string(c.entry.id)},
      {"evidence", evidence},
      {"text", c.entry.text},
      {"reason", c.reason},
      {"days", c.days == 0 ? std::string() : fmt::format("{:+}", c.days)},
      {"days_text", change_days_text(c, lang)},
      {"working_days", c.working_days ? std::to_string(*c.working_days) : std::string()},
      {"days_kind", std::string(c.working_days ? "working" : "calendar")},
      {"cost", c.cost},
      {"currency", c.currency},
      {"amount", c.cost.empty() ? std::string() : format_money(c.cost, c.currency, lang)},
      {"status", std::string(status_name(c.state.status))},
      {"status_text", status_text(c.state, lang)},
      {"proposed", c.state.status == ChangeStatus::proposed},
      {"approved", c.state.status == ChangeStatus::approved},
      {"rejected", c.state.status == ChangeStatus::rejected},
      {"old_deadline", old_deadline},
      {"new_deadline", new_deadline},
      {"ask", c.ask},
  };
}

/// What a source over a period (the report, the month) works with.
struct PeriodScope {
  Zone zone;
  Period period;  ///< --period, else the source's own default
  std::string lang;
};

/// Refuses an entry id (`refusal` says how to get another period) and a missing ledger.
PeriodScope period_scope(const LetterContext& ctx, std::optional<EntryId> id,
                         const char* refusal, const char* what,
                         Period (*fallback)(Instant, Zone)) {
  if (id) {
    throw Error(refusal);
  }
  if (ctx.ledger == nullptr) {
    throw Error(fmt::format("this letter needs the ledger for its {}", what));
  }
  Zone zone = find_zone(ctx.config.timezone);
  return PeriodScope{zone, ctx.period ? *ctx.period : fallback(ctx.now, zone),
                     ctx.language.empty() ? ctx.config.language : ctx.language};
}

mstch::node report(const LetterContext& ctx, std::optional<EntryId> id, LetterTrace&) {
  const PeriodScope scope = period_scope(
      ctx, id,
      "the report covers a period, not one entry; for another week use: pm report "
      "--week 2026-W47 --format eml",
      "report", [](Instant now, Zone zone) { return parse_week("this", now, zone); });
  // A letter goes to the client: what is marked --internal is not in it.
  ClientView view = client_view(*ctx.ledger);
  return report_node(build_report(*view.ledger, ctx.config, scope.period, ctx.now, std::nullopt,
                                  ctx.calendar),
                     scope.lang);
}

mstch::node risk(const LetterContext& ctx, std::optional<EntryId> id, LetterTrace& trace) {
  if (ctx.ledger == nullptr) {
    throw Error("this letter needs the ledger for its risk");
  }
  const std::string& lang = ctx.language.empty() ? ctx.config.language : ctx.language;
  std::optional<Risk> found;
  if (id) {
    found = load_risk(*ctx.ledger, numbered_entry(*ctx.ledger, "risk", *id));
    if (found->closed) {
      // A notice about a risk flags what may still go wrong; a closed one no longer can.
      Zone zone = find_zone(ctx.config.timezone);
      throw Error(fmt::format("risk {} was closed on {}; a letter about a risk takes an open one "
                              "(pm risk list shows them)",
                              *id, format_date(local_date(found->closed->effective_at, zone))));
    }
  } else {
    std::vector<Risk> open = list_risks(*ctx.ledger, false);
    if (open.empty()) {
      throw Error("the risk register holds no open risk; record one with: pm risk add \"TEXT\" "
                  "--probability high --impact medium");
    }
    found = open.back();
  }
  const Risk& k = *found;
  trace.entries.push_back(k.entry.id);
  Zone zone = find_zone(ctx.config.timezone);
  auto level = [&](const char* what, const std::string& value) {
    return value.empty() ? std::string() : word(fmt::format("{}.{}", what, value), lang);
  };
  return mstch::map{
      {"id", std::to_string(k.entry.number)},
      {"entry_id", std::to_string(k.entry.id)},
      {"text", k.entry.text},
      {"probability", level("probability", k.probability)},
      {"impact", level("impact", k.impact)},
      {"action", k.action},
      {"owner", k.owner},
      {"opened", long_date(local_date(k.entry.effective_at, zone), lang)},
  };
}

/// A KPI figure in the letter's language: "75%", "1 ч 30 мин", "3 рабочих дня", "42".
std::string kpi_figure(const Kpi& k, double value, const std::string& lang) {
  std::string text = fmt::format("{:.1f}", std::round(value * 10) / 10);
  if (text.ends_with(".0")) {
    text.resize(text.size() - 2);
  }
  if (lang == "ru") {
    std::replace(text.begin(), text.end(), '.', ',');
  }
  if (k.unit == "%") {
    return text + "%";
  }
  if (k.unit == "h") {
    return working_time_text(std::chrono::seconds(std::llround(value * 3600)), lang);
  }
  if (k.unit == "working days") {
    return plural_text(text, lang == "ru" ? "рабочий день|рабочих дня|рабочих дней"
                                          : "working day|working days",
                       lang);
  }
  return text;
}

/// The month's service figures that have data (docs/kpi.md), for the client's management:
/// each with its title, value, target and whether it was met; those about the team's own
/// habits left out.
mstch::array kpi_nodes(const LetterContext& ctx, const Period& period, const std::string& lang) {
  mstch::array out;
  if (ctx.calendar == nullptr || ctx.ledger == nullptr) {
    return out;
  }
  for (const Kpi& k : compute_kpis(*ctx.ledger, ctx.config, *ctx.calendar, period.from,
                                   period.until, ctx.now)) {
    // The team's own working habits (letters from templates, how threads come back) are for
    // pm kpi; the client's management reads what it was promised.
    if (!k.measurable || !k.value || !k.met || k.key == "letters_from_templates" ||
        k.key == "repeat_communication") {
      continue;
    }
    const std::string target =
        k.key == "nps" ? k.target_text
                       : fmt::format("{} {}", direction_sign(k.direction),
                                     kpi_figure(k, k.target, lang));
    out.push_back(mstch::map{{"key", k.key},
                             {"title", lang == "ru" ? k.title_ru : k.title},
                             {"value", kpi_figure(k, *k.value, lang)},
                             {"target", target},
                             {"met", *k.met},
                             {"n", std::to_string(k.n)}});
  }
  return out;
}

mstch::node month(const LetterContext& ctx, std::optional<EntryId> id, LetterTrace&) {
  const auto [zone, period, lang] =
      period_scope(ctx, id,
                   "the monthly digest covers a month, not one entry; for another month use: "
                   "pm render monthly-digest --period 2026-11",
                   "month", [](Instant now, Zone z) { return last_month(now, z); });
  // "Coming up" is the next calendar month, to its last day.
  date::year_month next = date::year_month{period.last.year(), period.last.month()} +
                          date::months{1};
  ClientView view = client_view(*ctx.ledger);  // for the client: nothing internal
  Report r = build_report(*view.ledger, ctx.config, period, ctx.now,
                          add_days(Date{next / date::last}, 1));
  mstch::map node = report_node(r, lang);
  node["name"] = month_label(period, lang);
  node["next_name"] = month_label(month_period(static_cast<int>(next.year()),
                                               static_cast<unsigned>(next.month()), zone),
                                  lang);
  const mstch::array kpis = kpi_nodes(ctx, period, lang);
  node["kpis"] = kpis;
  if (auto* has = boost::get<mstch::map>(&node["has"])) {
    (*has)["plans"] = !r.next.empty() || !r.upcoming.empty();
    (*has)["kpis"] = !kpis.empty();
  }
  // Nothing happened: no work done, no agreement, decision or change, no risk closed.
  node["empty"] = r.done.empty() && r.agreements.empty() && r.agreement_steps.empty() &&
                  r.decisions.empty() &&
                  r.changes.empty() && r.closed_risks.empty();
  return node;
}

/// "Tuesday, 15 December 2026, 11:00" (en), «вторник, 15 декабря 2026 г., 11:00» (ru).
std::string meeting_time(Instant when, Zone zone, const std::string& lang) {
  static const char* const k_en[] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                     "Thursday", "Friday", "Saturday"};
  static const char* const k_ru[] = {"воскресенье", "понедельник", "вторник", "среда",
                                     "четверг",     "пятница",     "суббота"};
  const Date day = local_date(when, zone);
  const unsigned wd = date::weekday{date::sys_days{day}}.c_encoding();
  return fmt::format("{}, {}, {}", lang == "ru" ? k_ru[wd] : k_en[wd], long_date(day, lang),
                     format_local(when, zone).substr(11));
}

mstch::node meeting(const LetterContext& ctx, std::optional<EntryId> id, LetterTrace& trace) {
  Entry m = entry_for(ctx, "meeting", id, "record one with: pm meeting \"TOPIC\" --with NAME");
  trace.entries.push_back(m.id);
  Zone zone = find_zone(ctx.config.timezone);
  const std::string& lang = ctx.language.empty() ? ctx.config.language : ctx.language;
  for (const auto& name : m.data.value("with", Json::array())) {
    if (name.is_string()) {
      trace.to.push_back(name.get<std::string>());
    }
  }
  mstch::array agreements;
  mstch::array decisions;
  for (const auto& e : meeting_items(*ctx.ledger, m)) {
    if (e.kind == "agreement") {
      trace.entries.push_back(e.id);
      agreements.push_back(mstch::map{
          {"id", std::to_string(e.number)},
          {"text", e.text},
          {"due", e.due.empty() ? std::string() : long_date(parse_date(e.due, "due"), lang)}});
    } else if (e.kind == "decision") {
      trace.entries.push_back(e.id);
      decisions.push_back(mstch::map{{"id", std::to_string(e.number)}, {"text", e.text}});
    }
  }
  // The questions still open: raised at this meeting or before it, not answered yet.
  mstch::array questions;
  for (const auto& q : list_questions(*ctx.ledger, false)) {
    if (q.entry.effective_at > m.effective_at) {
      continue;
    }
    trace.entries.push_back(q.entry.id);
    questions.push_back(mstch::map{
        {"id", std::to_string(q.entry.number)},
        {"text", q.entry.text},
        {"to", q.entry.data.value("to", std::string())},
        {"due", q.entry.due.empty() ? std::string()
                                    : long_date(parse_date(q.entry.due, "due"), lang)},
        {"earlier", q.meeting_number != static_cast<std::int64_t>(m.number)},
    });
  }
  std::string next;
  std::string next_title;
  if (auto n = next_meeting(ctx.config.meetings, m.effective_at, zone)) {
    next = meeting_time(n->at, zone, lang);
    next_title = n->schedule->title;
  }
  const bool empty = agreements.empty() && decisions.empty() && questions.empty();
  return mstch::map{
      {"id", std::to_string(m.number)},
      {"entry_id", std::to_string(m.id)},
      {"topic", m.text},
      {"date", long_date(local_date(m.effective_at, zone), lang)},
      {"time", format_local(m.effective_at, zone).substr(11)},
      {"when", meeting_time(m.effective_at, zone, lang)},
      {"with", join_json(m.data.value("with", Json::array()))},
      {"has_agreements", !agreements.empty()},
      {"has_decisions", !decisions.empty()},
      {"has_questions", !questions.empty()},
      {"agreements", agreements},
      {"decisions", decisions},
      {"questions", questions},
      {"empty", empty},
      {"next", next},
      {"next_title", next_title},
      {"confirm_within", window_text(ctx.config.confirm_within, lang)},
  };
}

}  // namespace

const std::vector<LetterSource>& letter_sources() {
  static const std::vector<LetterSource> k_sources = {
      {"agreement", "an agreement; the latest open one unless --set NAME=NUMBER", agreement},
      {"change", "a change request with its status, impact and deadlines; the latest one "
                 "unless --set NAME=NUMBER",
       change},
      {"report", "the status report for this week (pm report --week W --format eml, or "
                 "--period, for another)",
       report},
      {"risk", "an open risk from the register; the latest one unless --set NAME=NUMBER", risk},
      {"month", "a month's digest: the report of the last whole month (--period 2026-11 for "
                "another)",
       month},
      {"meeting", "a meeting with what was agreed and decided at it, the open questions and the "
                  "next meeting; the latest one unless --set NAME=NUMBER",
       meeting},
  };
  return k_sources;
}

}  // namespace pm
