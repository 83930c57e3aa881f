// The report written out: text, Markdown, JSON and the weekly-status letter's variable. Text and
// Markdown come from one walk over the sections, so they always say the same things; all three
// are written as they go, a chunk at a time.
#include <deque>

#include <fmt/format.h>

#include "pm/domain/report.hpp"
#include "report_sections.hpp"
#include "pm/domain/communication.hpp"
#include "pm/util/json_writer.hpp"
#include "pm/util/words.hpp"

namespace pm {

using namespace detail;

namespace {

/// A change's impact as the report states it: none for a rejected change, which moved nothing
/// (the change notice says what was proposed).
std::string report_impact(const Change& c, const std::string& lang) {
  return c.state.status == ChangeStatus::rejected ? std::string() : impact_text(c, lang);
}

std::string number(EntryId id, const std::string& lang) {
  // "#{id}", "№ {id}": split once per language, for the thousands of items of a busy week.
  auto split = [](const std::string& language) {
    std::string text = word("report.number", language);
    std::size_t at = text.find("{id}");
    return std::pair(text.substr(0, at), at == std::string::npos ? "" : text.substr(at + 4));
  };
  static const auto en = split("en");
  static const auto ru = split("ru");
  const auto& [before, after] = lang == "ru" ? ru : en;
  return fmt::format("{}{}{}", before, id, after);
}

/// day_month of the few days a report names, each written once.
class DayTexts {
 public:
  explicit DayTexts(const std::string& lang) : m_lang(lang) {}
  const std::string& operator()(Date day) {
    for (const auto& [known, text] : m_days) {
      if (known == day) {
        return text;
      }
    }
    return m_days.emplace_back(day, day_month(day, m_lang)).second;
  }

 private:
  std::string m_lang;
  std::deque<std::pair<Date, std::string>> m_days;  // references stay valid as it grows
};

std::string replaces_text(const ReportAgreement& a, const std::string& lang) {
  return fmt::format(fmt::runtime(word("report.replaces", lang)),
                     fmt::arg("id", a.supersedes_number));
}

/// What shows each side decided: "client: Ivan Sidorov, <message-id>".
std::vector<std::string> evidence_lines(const Change& c, const std::string& lang) {
  std::vector<std::string> out;
  for (const auto& d : c.decisions) {
    if (!d.evidence.empty()) {
      out.push_back(fmt::format(fmt::runtime(word("report.evidence", lang)),
                                fmt::arg("side", word(fmt::format("side.{}", side_name(d.side)),
                                                      lang)),
                                fmt::arg("by", d.by), fmt::arg("evidence", d.evidence)));
    }
  }
  return out;
}

std::string due_text(const std::string& due, const std::string& lang) {
  return due.empty() ? std::string() : long_date(parse_date(due, "due"), lang);
}

}  // namespace

std::string dated_text(const ReportDate& d, const std::string& lang) {
  return d.id ? fmt::format("{} {}", number(d.number, lang), d.text)
              : word("report.project_deadline", lang);
}

std::string deadline_sentence(const Deadline& d, const std::string& lang) {
  if (!d.current) {
    return word("report.deadline.none", lang);
  }
  std::string current = long_date(*d.current, lang);
  if (!d.shifted()) {
    return fmt::format(fmt::runtime(word("report.deadline.kept", lang)), fmt::arg("current", current));
  }
  return fmt::format(fmt::runtime(word("report.deadline.moved", lang)), fmt::arg("current", current),
                     fmt::arg("baseline", long_date(*d.baseline, lang)),
                     fmt::arg("days", days_text(d.days, lang)));
}


std::string detail::title(const Report& r, const std::string& lang) {
  return fmt::format(fmt::runtime(word("report.title", lang)), fmt::arg("project", r.project),
                     fmt::arg("period", period_label(r.period, lang)));
}

namespace {

std::string level(const char* what, const std::string& value, const std::string& lang) {
  return value.empty() ? std::string() : word(fmt::format("{}.{}", what, value), lang);
}

/// The local day a closed risk was closed on.
Date closed_date(const Risk& k, const Report& r) {
  return local_date(k.closed->effective_at, find_zone(r.timezone));
}

/// "№ 3 Launch moves to 12 December: confirmed, Ivan Sidorov (4 Dec); reply of 4 Dec".
std::string step_line(const ReportAgreementStep& a, const std::string& lang, DayTexts& day) {
  std::string line = fmt::format("{} {}: {}", number(a.number, lang), a.text,
                                 word("agreement." + a.state, lang));
  line += fmt::format(" ({}{})", a.by.empty() ? "" : a.by + ", ", day(a.date));
  if (!a.note.empty()) {
    line += "; " + a.note;
  }
  return line;
}

/// The communication section's lines: letters, requests, median reply, breaches (each only
/// when there is something to say).
std::vector<std::string> communication_lines(const ReportCommunication& c, const std::string& lang) {
  std::vector<std::string> out;
  auto line = [&](const char* key, auto&&... args) {
    out.push_back(fmt::format(fmt::runtime(word(key, lang)), args...));
  };
  if (c.letters > 0) {
    line("report.communication.letters", fmt::arg("n", c.letters));
  }
  if (c.requests > 0) {
    line("report.communication.requests", fmt::arg("n", c.requests),
         fmt::arg("replied", c.replied));
  }
  if (c.median_reply) {
    line("report.communication.median", fmt::arg("time", working_time_text(*c.median_reply, lang)),
         fmt::arg("target", working_time_text(c.target, lang)));
  }
  if (c.breaches > 0) {
    line("report.communication.breaches", fmt::arg("n", c.breaches));
  }
  return out;
}

}  // namespace

void detail::walk_sections(const Report& r, const std::string& lang, SectionWriter& w) {
  const std::vector<std::string> no_details;
  DayTexts day(lang);
  // Each section's heading, then its items or the sentence saying there are none.
  auto section = [&](const char* key, bool empty) {
    w.heading(word(fmt::format("report.{}", key), lang));
    if (empty) {
      w.none(word(fmt::format("report.{}.none", key), lang));
    }
  };
  auto item = [&](const std::string& line) { w.item(line, no_details); };
  // An item's text, its buffer reused: a busy week has thousands of items.
  std::string buffer;
  auto start = [&] {
    buffer.clear();
    return std::back_inserter(buffer);
  };
  section("done", r.done.empty());
  for (const auto& n : r.done) {
    fmt::format_to(start(), "{} ({})", n.text, day(n.date));
    item(buffer);
  }
  section("next", r.next.empty());
  for (const auto& n : r.next) {
    item(n.text);
  }
  section("agreements", r.agreements.empty());
  for (const auto& a : r.agreements) {
    fmt::format_to(start(), "{} {}", number(a.number, lang), a.text);
    if (!a.due.empty()) {
      buffer += fmt::format(" ({})", fmt::format(fmt::runtime(word("report.due", lang)),
                                                 fmt::arg("date", due_text(a.due, lang))));
    }
    if (a.supersedes_number != 0) {
      buffer += fmt::format(" ({})", replaces_text(a, lang));
    }
    item(buffer);
  }
  // Said only when some agreement moved, like closed risks.
  if (!r.agreement_steps.empty()) {
    section("agreement_steps", false);
    for (const auto& a : r.agreement_steps) {
      item(step_line(a, lang, day));
    }
  }
  section("decisions", r.decisions.empty());
  for (const auto& d : r.decisions) {
    fmt::format_to(start(), "{} {} ({})", number(d.number, lang), d.text, day(d.date));
    item(buffer);
  }
  section("changes", r.changes.empty());
  for (const auto& c : r.changes) {
    std::string line = fmt::format("{} {}: {}", number(c.entry.number, lang), c.entry.text,
                                   status_text(c.state, lang));
    if (auto impact = report_impact(c, lang); !impact.empty()) {
      line += fmt::format("; {}: {}", word("report.impact", lang), impact);
    }
    w.item(line, evidence_lines(c, lang));
  }
  section("risks", r.risks.empty());
  for (const auto& k : r.risks) {
    std::vector<std::string> details;
    details.push_back(fmt::format("{}: {}", word("report.probability", lang),
                                  level("probability", k.probability, lang)));
    details.push_back(
        fmt::format("{}: {}", word("report.impact_level", lang), level("impact", k.impact, lang)));
    if (!k.action.empty()) {
      details.push_back(fmt::format("{}: {}", word("report.action", lang), k.action));
    }
    if (!k.owner.empty()) {
      details.push_back(fmt::format("{}: {}", word("report.owner", lang), k.owner));
    }
    w.item(fmt::format("{} {}", number(k.entry.number, lang), k.entry.text), details);
  }
  // Said only when something was closed: "no risks closed" would be noise.
  if (!r.closed_risks.empty()) {
    section("closed_risks", false);
    for (const auto& k : r.closed_risks) {
      std::vector<std::string> details;
      if (!k.closed->text.empty()) {
        details.push_back(fmt::format("{}: {}", word("report.outcome", lang), k.closed->text));
      }
      w.item(fmt::format("{} {} ({})", number(k.entry.number, lang), k.entry.text,
                         day(closed_date(k, r))),
             details);
    }
  }
  // Said only when there was some: a week without letters is not news for the client.
  if (r.communication && !r.communication->empty()) {
    section("communication", false);
    for (const auto& line : communication_lines(*r.communication, lang)) {
      item(line);
    }
  }
  for (const auto* key : {"upcoming", "overdue"}) {
    const auto& dates = std::string(key) == "upcoming" ? r.upcoming : r.overdue;
    section(key, dates.empty());
    for (const auto& d : dates) {
      item(fmt::format("{}: {}", long_date(d.date, lang), dated_text(d, lang)));
    }
  }
  w.heading(word("report.deadline", lang));
  w.paragraph(deadline_sentence(r.deadline, lang));
}

std::string detail::off_plan_text(const Report& r, const std::string& lang, const std::string& steps) {
  if (!r.off_plan) {
    return "";
  }
  std::string out = word("report.off_plan", lang) + "\n";
  if (!steps.empty()) {
    out += word("report.next_steps", lang) + "\n" + steps + (steps.back() == '\n' ? "" : "\n");
  }
  return out;
}

namespace {

mstch::array dated_nodes(const std::vector<ReportDate>& dates, const std::string& lang) {
  mstch::array out;
  for (const auto& d : dates) {
    out.push_back(mstch::map{{"date", long_date(d.date, lang)}, {"text", dated_text(d, lang)}});
  }
  return out;
}

}  // namespace

std::string detail::ledger_line(const Report& r, const std::string& lang) {
  return fmt::format(fmt::runtime(word("ledger.head", lang)),
                     fmt::arg("head", r.ledger_head.short_text()));
}

void write_report_text(const Report& r, const std::string& lang, bool color,
                       const std::string& next_steps, const TextSink& sink) {
  class Text : public SectionWriter {
   public:
    Text(ChunkedOutput& out, bool color) : m_out(out), m_color(color) {}
    std::string bold(const std::string& text) const {
      return m_color ? "\033[1m" + text + "\033[0m" : text;
    }
    void heading(const std::string& text) override { line("\n", bold(text)); }
    void none(const std::string& text) override { line("  ", text); }
    void paragraph(const std::string& text) override { line("  ", text); }
    void item(const std::string& text, const std::vector<std::string>& details) override {
      line("  - ", text);
      for (const auto& d : details) {
        line("    ", d);
      }
    }
    void line(std::string_view prefix, std::string_view text) {
      m_out.text().append(prefix).append(text).push_back('\n');
      m_out.may_cut();
    }

   private:
    ChunkedOutput& m_out;
    bool m_color;
  };
  ChunkedOutput out(sink);
  Text text(out, color);
  text.line("", text.bold(title(r, lang)));
  if (auto off = off_plan_text(r, lang, next_steps); !off.empty()) {
    out.text() += "\n" + off;
  }
  walk_sections(r, lang, text);
  text.line("\n", ledger_line(r, lang));
  out.finish();
}

void write_report_markdown(const Report& r, const std::string& lang,
                           const std::string& next_steps, const TextSink& sink) {
  class Markdown : public SectionWriter {
   public:
    explicit Markdown(ChunkedOutput& out) : m_out(out) {}
    void heading(const std::string& text) override { line("\n## ", text, "\n"); }
    void none(const std::string& text) override { line("_", text, "_"); }
    void paragraph(const std::string& text) override { line("", text); }
    void item(const std::string& text, const std::vector<std::string>& details) override {
      line("- ", text);
      for (const auto& d : details) {
        line("  - ", d);
      }
    }
    void line(std::string_view prefix, std::string_view text, std::string_view suffix = "") {
      m_out.text().append(prefix).append(text).append(suffix).push_back('\n');
      m_out.may_cut();
    }

   private:
    ChunkedOutput& m_out;
  };
  ChunkedOutput out(sink);
  Markdown md(out);
  md.line("# ", title(r, lang));
  if (auto off = off_plan_text(r, lang, next_steps); !off.empty()) {
    out.text() += "\n**" + word("report.off_plan", lang) + "**\n";
    if (!next_steps.empty()) {
      out.text() += "\n" + off.substr(off.find('\n') + 1);
    }
  }
  walk_sections(r, lang, md);
  md.line("\n---\n\n", ledger_line(r, lang));
  out.finish();
}

namespace {

/// What a writer to a sink writes, collected.
template <typename Write>
std::string collected(Write write) {
  std::string out;
  write([&](std::string_view chunk) { out.append(chunk); });
  return out;
}

}  // namespace

std::string report_text(const Report& r, const std::string& lang, bool color,
                        const std::string& next_steps) {
  return collected(
      [&](const TextSink& sink) { write_report_text(r, lang, color, next_steps, sink); });
}

std::string report_markdown(const Report& r, const std::string& lang,
                            const std::string& next_steps) {
  return collected(
      [&](const TextSink& sink) { write_report_markdown(r, lang, next_steps, sink); });
}

void write_report_json(const Report& r, const std::string& next_steps, int indent,
                       const TextSink& sink) {
  ChunkedOutput out(sink);
  JsonWriter w(out, indent);
  w.begin_object();
  w.member("version", 1);
  w.member("project", r.project);
  w.key("period").begin_object();
  w.key("week").text_or_null(r.period.week);
  w.member("first", format_date(r.period.first));
  w.member("last", format_date(r.period.last));
  w.member("timezone", r.timezone);
  w.member("from", format_utc(r.period.from));
  w.member("until", format_utc(r.period.until));
  w.end_object();
  w.member("as_of", format_date(r.as_of));
  for (const auto* key : {"done", "next"}) {
    w.key(key).begin_array();
    for (const auto& n : std::string(key) == "done" ? r.done : r.next) {
      w.begin_object()
          .member("id", n.id)
          .member("text", n.text)
          .member("date", format_date(n.date))
          .member("author", n.author)
          .end_object();
    }
    w.end_array();
  }
  w.key("agreements").begin_array();
  for (const auto& a : r.agreements) {
    w.begin_object()
        .member("id", a.id)
        .member("number", a.number)
        .member("text", a.text)
        .member("date", format_date(a.date));
    w.key("due").text_or_null(a.due);
    w.member("supersedes", a.supersedes);
    w.key("supersedes_number");
    a.supersedes_number != 0 ? w.value(a.supersedes_number) : w.null();
    w.end_object();
  }
  w.end_array();
  w.key("decisions").begin_array();
  for (const auto& d : r.decisions) {
    w.begin_object()
        .member("id", d.id)
        .member("number", d.number)
        .member("text", d.text)
        .member("date", format_date(d.date))
        .member("author", d.author)
        .end_object();
  }
  w.end_array();
  w.key("changes").begin_array();
  for (const auto& c : r.changes) {
    auto verdict = [&](const std::optional<Verdict>& v) {
      v ? w.value(*v == Verdict::approve ? "approved" : "rejected") : w.null();
    };
    w.begin_object().member("id", c.entry.id).member("number", c.entry.number);
    w.key("evidence").begin_array();
    for (const auto& d : c.decisions) {
      if (!d.evidence.empty()) {
        w.begin_object()
            .member("side", side_name(d.side))
            .member("by", d.by)
            .member("evidence", d.evidence)
            .end_object();
      }
    }
    w.end_array();
    w.member("text", c.entry.text)
        .member("reason", c.reason)
        .member("status", status_name(c.state.status));
    w.key("client");
    verdict(c.state.client);
    w.key("team");
    verdict(c.state.team);
    w.member("days", c.days);
    w.key("cost").text_or_null(c.cost);
    w.key("currency").text_or_null(c.currency);
    w.end_object();
  }
  w.end_array();
  auto risk = [&](const Risk& k) {
    w.begin_object()
        .member("id", k.entry.id)
        .member("number", k.entry.number)
        .member("text", k.entry.text)
        .member("probability", k.probability)
        .member("impact", k.impact);
    w.key("action").text_or_null(k.action);
    w.key("owner").text_or_null(k.owner);
  };
  w.key("risks").begin_array();
  for (const auto& k : r.risks) {
    risk(k);
    w.end_object();
  }
  w.end_array();
  w.key("agreement_steps").begin_array();
  for (const auto& a : r.agreement_steps) {
    w.begin_object()
        .member("id", a.id)
        .member("number", a.number)
        .member("text", a.text)
        .member("state", a.state);
    w.key("by").text_or_null(a.by);
    w.key("note").text_or_null(a.note);
    w.member("date", format_date(a.date));
    w.end_object();
  }
  w.end_array();
  w.key("closed_risks").begin_array();
  for (const auto& k : r.closed_risks) {
    risk(k);
    w.member("closed", format_date(closed_date(k, r)));
    w.key("note").text_or_null(k.closed->text);
    w.end_object();
  }
  w.end_array();
  for (const auto* key : {"upcoming", "overdue"}) {
    w.key(key).begin_array();
    for (const auto& d : std::string(key) == "upcoming" ? r.upcoming : r.overdue) {
      w.begin_object()
          .member("date", format_date(d.date))
          .member("kind", d.id ? "agreement" : "deadline");
      w.member("id", d.id);
      w.key("number");
      d.id ? w.value(d.number) : w.null();
      w.key("text");
      d.id ? w.value(d.text) : w.null();
      w.end_object();
    }
    w.end_array();
  }
  auto date_or_null = [&](const std::optional<Date>& d) {
    d ? w.value(format_date(*d)) : w.null();
  };
  w.key("deadline").begin_object();
  w.key("baseline");
  date_or_null(r.deadline.baseline);
  w.key("current");
  date_or_null(r.deadline.current);
  w.member("days", r.deadline.days).member("shifted", r.deadline.shifted()).end_object();
  w.key("communication");
  if (r.communication) {
    const ReportCommunication& c = *r.communication;
    w.begin_object()
        .member("letters", c.letters)
        .member("requests", c.requests)
        .member("replied", c.replied)
        .member("breaches", c.breaches);
    w.key("median_reply_minutes");
    c.median_reply ? w.value(static_cast<std::int64_t>(c.median_reply->count() / 60)) : w.null();
    w.member("reply_target_minutes", static_cast<std::int64_t>(c.target.count() / 60));
    w.end_object();
  } else {
    w.null();
  }
  w.member("off_plan", r.off_plan);
  w.key("next_steps").text_or_null(next_steps);
  w.member("ledger", r.ledger_head.text());
  w.end_object();
  out.finish();
}

std::string report_json_text(const Report& r, const std::string& next_steps, int indent) {
  return collected(
      [&](const TextSink& sink) { write_report_json(r, next_steps, indent, sink); });
}

Json report_json(const Report& r, const std::string& next_steps) {
  return Json::parse(report_json_text(r, next_steps, -1));
}

/// `report.communication` of a letter: `lines` (each `line`), empty when there is nothing to
/// say; and the figures, for a template of one's own.
mstch::map communication_node(const Report& r, const std::string& lang) {
  mstch::array lines;
  mstch::map node;
  if (r.communication && !r.communication->empty()) {
    const ReportCommunication& c = *r.communication;
    for (const auto& line : communication_lines(c, lang)) {
      lines.push_back(mstch::map{{"line", line}});
    }
    node["letters"] = std::to_string(c.letters);
    node["requests"] = std::to_string(c.requests);
    node["replied"] = std::to_string(c.replied);
    node["breaches"] = std::to_string(c.breaches);
    node["median_reply"] = c.median_reply ? working_time_text(*c.median_reply, lang) : std::string();
    node["target"] = working_time_text(c.target, lang);
  }
  node["lines"] = lines;
  return node;
}

mstch::map report_node(const Report& r, const std::string& lang) {
  mstch::array done;
  for (const auto& n : r.done) {
    done.push_back(mstch::map{{"id", std::to_string(n.id)}, {"text", n.text},
                              {"date", day_month(n.date, lang)}});
  }
  mstch::array next;
  for (const auto& n : r.next) {
    next.push_back(mstch::map{{"id", std::to_string(n.id)}, {"text", n.text},
                              {"date", day_month(n.date, lang)}});
  }
  mstch::array agreements;
  for (const auto& a : r.agreements) {
    agreements.push_back(mstch::map{
        {"id", std::to_string(a.number)},
        {"text", a.text},
        {"due", due_text(a.due, lang)},
        {"replaces", a.supersedes_number != 0 ? replaces_text(a, lang) : std::string()}});
  }
  mstch::array decisions;
  for (const auto& d : r.decisions) {
    decisions.push_back(mstch::map{{"id", std::to_string(d.number)}, {"text", d.text},
                                   {"date", day_month(d.date, lang)}});
  }
  mstch::array changes;
  for (const auto& c : r.changes) {
    mstch::array evidence;
    for (const auto& line : evidence_lines(c, lang)) {
      evidence.push_back(mstch::map{{"line", line}});
    }
    changes.push_back(mstch::map{{"id", std::to_string(c.entry.number)},
                                 {"evidence", evidence},
                                 {"text", c.entry.text},
                                 {"status", std::string(status_name(c.state.status))},
                                 {"status_text", status_text(c.state, lang)},
                                 {"impact", report_impact(c, lang)}});
  }
  mstch::array risks;
  for (const auto& k : r.risks) {
    risks.push_back(mstch::map{{"id", std::to_string(k.entry.number)},
                               {"text", k.entry.text},
                               {"probability", level("probability", k.probability, lang)},
                               {"impact", level("impact", k.impact, lang)},
                               {"action", k.action},
                               {"owner", k.owner}});
  }
  mstch::array agreement_steps;
  for (const auto& a : r.agreement_steps) {
    agreement_steps.push_back(mstch::map{{"id", std::to_string(a.number)},
                                         {"text", a.text},
                                         {"state", word("agreement." + a.state, lang)},
                                         {"by", a.by},
                                         {"note", a.note},
                                         {"date", day_month(a.date, lang)}});
  }
  mstch::array closed_risks;
  for (const auto& k : r.closed_risks) {
    closed_risks.push_back(mstch::map{{"id", std::to_string(k.entry.number)},
                                      {"text", k.entry.text},
                                      {"date", day_month(closed_date(k, r), lang)},
                                      {"note", k.closed->text},
                                      {"probability", level("probability", k.probability, lang)},
                                      {"impact", level("impact", k.impact, lang)},
                                      {"action", k.action},
                                      {"owner", k.owner}});
  }
  auto long_or_empty = [&](const std::optional<Date>& d) {
    return d ? long_date(*d, lang) : std::string();
  };
  // For headings shown only when their list has items, and for counts ({{#plural}}).
  const std::vector<std::pair<const char*, std::size_t>> sizes = {
      {"done", r.done.size()},         {"next", r.next.size()},
      {"agreements", r.agreements.size()}, {"decisions", r.decisions.size()},
      {"changes", r.changes.size()},   {"risks", r.risks.size()},
      {"closed_risks", r.closed_risks.size()}, {"upcoming", r.upcoming.size()},
      {"agreement_steps", r.agreement_steps.size()},
      {"overdue", r.overdue.size()}};
  mstch::map has;
  mstch::map count;
  for (const auto& [name, size] : sizes) {
    has[name] = size != 0;
    count[name] = std::to_string(size);
  }
  has["communication"] = r.communication && !r.communication->empty();
  return mstch::map{
      {"period", period_label(r.period, lang)},
      {"week", r.period.week},
      {"done", done},
      {"next", next},
      {"agreements", agreements},
      {"decisions", decisions},
      {"changes", changes},
      {"risks", risks},
      {"closed_risks", closed_risks},
      {"agreement_steps", agreement_steps},
      {"has", has},
      {"count", count},
      {"upcoming", dated_nodes(r.upcoming, lang)},
      {"overdue", dated_nodes(r.overdue, lang)},
      {"deadline", mstch::map{{"current", long_or_empty(r.deadline.current)},
                              {"baseline", long_or_empty(r.deadline.baseline)},
                              {"days", days_text(r.deadline.days, lang)},
                              {"shifted", r.deadline.shifted()}}},
      {"off_plan", r.off_plan},
      {"communication", communication_node(r, lang)},
  };
}

}  // namespace pm
