// pm publish: the client's status site. Every page is built from the client's view of the
// ledger, escaped as it is written (html.hpp), and written only when its bytes change. About
// 450 lines: one class for the site, one method a page, kept together so the pages stay alike.
#include "pm/web/site.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <fmt/format.h>

#include <fstream>
#include <sstream>

#include "pm/domain/agreement_state.hpp"
#include "pm/domain/agreements.hpp"
#include "pm/domain/changes.hpp"
#include "pm/domain/client_view.hpp"
#include "pm/domain/meeting_schedule.hpp"
#include "pm/domain/report.hpp"
#include "pm/domain/risks.hpp"
#include "pm/time/period.hpp"
#include "pm/util/atomic_file.hpp"
#include "pm/util/error.hpp"
#include "pm/util/html.hpp"
#include "pm/util/text.hpp"
#include "pm/util/words.hpp"
#include "pm/web/figures.hpp"
#include "pm/web/page.hpp"

namespace pm {

namespace {

namespace fs = std::filesystem;

/// Reports older than this many weeks are not written: a project of years keeps its site small.
constexpr int k_max_report_weeks = 260;

std::string esc(std::string_view text) { return html_escaped(text); }

std::string say(const char* key, const std::string& lang) { return esc(word(key, lang)); }

std::string local_day(Instant at, Zone zone, const std::string& lang) {
  return long_date(local_date(at, zone), lang);
}

/// The site's pages and their titles, for the navigation of every page.
struct Nav {
  const char* file;
  const char* key;
};
constexpr Nav k_nav[] = {{"index.html", "site.overview"},
                         {"reports/index.html", "site.reports"},
                         {"agreements.html", "site.agreements"},
                         {"changes.html", "site.changes"},
                         {"risks.html", "site.risks"}};

class Site {
 public:
  Site(Ledger& view, const SiteInput& input, ChainHead head, fs::path dir)
      : m_view(view),
        m_in(input),
        m_lang(input.config.language == "ru" ? "ru" : "en"),
        m_zone(find_zone(input.config.timezone)),
        m_head(std::move(head)),
        m_dir(std::move(dir)) {}

  PublishResult run() {
    create_directory_like_parent(m_dir);
    create_directory_like_parent(m_dir / "reports");
    write("style.css", std::string(page_css()));
    const Period week = parse_week("this", m_in.now, m_zone);
    const std::vector<Period> weeks = report_weeks(week);
    for (const auto& w : weeks) {
      Report r = build_report(m_view, m_in.config, w, m_in.now, std::nullopt, &m_in.calendar);
      r.ledger_head = m_head;
      std::string main = report_main(m_view, m_in.config, r, m_in.now);
      page(fmt::format("reports/{}.html", w.week), detail_title(r), main, 1);
      if (&w == &weeks.back()) {
        m_this_week = std::move(r);
      }
    }
    reports_index(weeks);
    overview();
    agreements();
    changes();
    risks();
    return std::move(m_result);
  }

 private:
  std::string detail_title(const Report& r) const {
    return fmt::format("{}: {}", m_in.config.name, period_label(r.period, m_lang));
  }

  /// Every week from the first entry's to this one, oldest first (at most k_max_report_weeks).
  std::vector<Period> report_weeks(const Period& this_week) {
    Date first_day = this_week.first;
    SQLite::Statement first(m_view.db(), "SELECT min(effective_at) FROM entries");
    if (first.executeStep() && !first.getColumn(0).isNull()) {
      Date day = local_date(parse_utc(first.getColumn(0).getString()), m_zone);
      if (date::sys_days(day) < date::sys_days(first_day)) {
        first_day = day;
      }
    }
    std::vector<Period> weeks;
    for (Date day = this_week.first; weeks.size() < k_max_report_weeks; day = add_days(day, -7)) {
      weeks.push_back(parse_week(iso_week_name(day), m_in.now, m_zone));
      if (date::sys_days(weeks.back().first) <= date::sys_days(first_day)) {
        break;
      }
    }
    return {weeks.rbegin(), weeks.rend()};
  }

  void overview() {
    const Report& r = *m_this_week;
    std::string main = "<h1>" + esc(m_in.config.name) + "</h1>\n<dl class=\"facts\">\n";
    auto fact = [&](const char* key, const std::string& html) {
      main += "<dt>" + say(key, m_lang) + "</dt>\n<dd>" + html + "</dd>\n";
    };
    if (!m_in.config.client.empty()) {
      fact("site.client", esc(m_in.config.client));
    }
    if (!m_in.config.manager.name.empty()) {
      std::string manager = esc(m_in.config.manager.name);
      if (!m_in.config.manager.email.empty()) {
        manager += fmt::format(" &lt;<a href=\"mailto:{0}\">{0}</a>&gt;",
                               esc(m_in.config.manager.email));
      }
      fact("site.manager", manager);
    }
    fact("site.state", r.off_plan ? "<strong class=\"off-plan\">" + say("site.off_plan", m_lang) +
                                        "</strong>"
                                  : "<span class=\"on-plan\">" + say("site.on_plan", m_lang) +
                                        "</span>");
    fact("report.deadline", esc(deadline_sentence(r.deadline, m_lang)));
    if (auto next = next_meeting(m_in.config.meetings, m_in.now, m_zone)) {
      fact("site.next_meeting",
           esc(fmt::format("{}, {} {}", next->schedule->title, local_day(next->at, m_zone, m_lang),
                           format_local(next->at, m_zone).substr(11, 5))));
    } else {
      fact("site.next_meeting", "<span class=\"muted\">" + say("site.next_meeting.none", m_lang) +
                                    "</span>");
    }
    fact("site.this_week", fmt::format("<a href=\"reports/{}.html\">{}</a>", esc(r.period.week),
                                       esc(period_label(r.period, m_lang))));
    main += "</dl>\n";
    dated_section(main, "report.overdue", r.overdue, "alert");
    dated_section(main, "report.upcoming", r.upcoming, "");
    main += "<section>\n<h2>" + say("report.risks", m_lang) + "</h2>\n";
    main += r.risks.empty() ? "<p class=\"none\">" + say("report.risks.none", m_lang) + "</p>\n"
                            : risk_table(r.risks);
    main += "</section>\n<section>\n<h2>" + say("site.trends", m_lang) + "</h2>\n";
    main += project_figures(m_view, m_in.config, m_in.now, true);
    main += "</section>\n";
    page("index.html", m_in.config.name, main, 0);
  }

  void dated_section(std::string& main, const char* key, const std::vector<ReportDate>& dates,
                     const char* css) {
    main += "<section>\n<h2>" + say(key, m_lang) + "</h2>\n";
    if (dates.empty()) {
      main += "<p class=\"none\">" + say(fmt::format("{}.none", key).c_str(), m_lang) + "</p>\n";
    } else {
      main += *css ? fmt::format("<ul class=\"{}\">\n", css) : "<ul>\n";
      for (const auto& d : dates) {
        main += "<li>" + esc(long_date(d.date, m_lang)) + ": " + esc(dated_text(d, m_lang)) + "</li>\n";
      }
      main += "</ul>\n";
    }
    main += "</section>\n";
  }

  std::string risk_table(const std::vector<Risk>& risks) const {
    std::vector<std::vector<std::string>> rows;
    for (const auto& k : risks) {
      rows.push_back({esc(std::to_string(k.entry.number)), esc(k.entry.text),
                      esc(level("probability", k.probability)), esc(level("impact", k.impact)),
                      esc(k.action), esc(k.owner)});
    }
    return html_table(word("report.risks", m_lang),
                 {word("site.col.number", m_lang), word("site.col.risk", m_lang),
                  word("report.probability", m_lang), word("report.impact_level", m_lang),
                  word("report.action", m_lang), word("report.owner", m_lang)},
                 rows);
  }

  std::string level(const char* what, const std::string& value) const {
    return value.empty() ? std::string() : word(fmt::format("{}.{}", what, value), m_lang);
  }

  void reports_index(const std::vector<Period>& weeks) {
    std::string main = "<h1>" + say("site.reports", m_lang) + "</h1>\n<ul>\n";
    for (auto w = weeks.rbegin(); w != weeks.rend(); ++w) {
      main += fmt::format("<li><a href=\"{}.html\">{}</a></li>\n", esc(w->week),
                          esc(period_label(*w, m_lang)));
    }
    main += "</ul>\n";
    page("reports/index.html", word("site.reports", m_lang), main, 1);
  }

  void agreements() {
    const ConfirmationRule rule{&m_in.calendar, m_in.config.confirm_within};
    std::vector<std::vector<std::string>> rows;
    each_agreement(
        m_view, true, std::nullopt,
        [&](const AgreementRow& row) {
          const AgreementStatus s = agreement_status(row, rule, m_in.now);
          std::string text = esc(row.entry.text);
          if (row.supersedes_number != 0) {
            text += " <span class=\"muted\">(" +
                    esc(fmt::format(fmt::runtime(word("report.replaces", m_lang)),
                                    fmt::arg("id", row.supersedes_number))) +
                    ")</span>";
          }
          rows.push_back({esc(std::to_string(row.entry.number)),
                          esc(local_day(row.entry.effective_at, m_zone, m_lang)), text,
                          esc(row.with),
                          row.entry.due.empty()
                              ? std::string()
                              : esc(long_date(parse_date(row.entry.due, "due"), m_lang)),
                          state_cell(row, s)});
        },
        false);
    std::string main = "<h1>" + say("site.agreements", m_lang) + "</h1>\n";
    main += rows.empty() ? "<p class=\"none\">" + say("site.agreements.none", m_lang) + "</p>\n"
                         : html_table(word("site.agreements", m_lang),
                                 {word("site.col.number", m_lang), word("site.col.agreed", m_lang),
                                  word("site.col.agreement", m_lang),
                                  word("site.col.with", m_lang), word("site.col.due", m_lang),
                                  word("site.col.state", m_lang)},
                                 rows);
    page("agreements.html", word("site.agreements", m_lang), main, 0);
  }

  std::string state_cell(const AgreementRow& row, const AgreementStatus& s) const {
    std::string key = fmt::format("agreement.{}", state_name(s.state));
    if (s.state == AgreementState::superseded) {
      return "<span class=\"state\">" +
             esc(fmt::format(fmt::runtime(word("site.replaced_by", m_lang)),
                             fmt::arg("id", row.superseded_by_number))) +
             "</span>";
    }
    std::string out = "<span class=\"state\">" + say(key.c_str(), m_lang) + "</span>";
    std::vector<std::string> about;
    if (s.by_silence) {
      about.push_back(word("site.by_silence", m_lang));
    }
    if (!s.by.empty()) {
      about.push_back(s.by);
    }
    if (s.since) {
      about.push_back(local_day(*s.since, m_zone, m_lang));
    }
    if (!about.empty()) {
      out += " (" + esc(join(about)) + ")";
    }
    if (!s.note.empty()) {
      out += "<br><span class=\"muted\">" + esc(s.note) + "</span>";
    }
    if (s.state == AgreementState::open && s.confirm_by) {
      out += "<br><span class=\"muted\">" +
             esc(fmt::format(fmt::runtime(word("site.confirm_by", m_lang)),
                             fmt::arg("date", local_day(*s.confirm_by, m_zone, m_lang)))) +
             "</span>";
    }
    return out;
  }

  void changes() {
    std::vector<std::vector<std::string>> rows;
    each_change(m_view, [&](const Change& c) {
      std::string what = esc(c.entry.text);
      if (!c.reason.empty()) {
        what += "<br><span class=\"muted\">" + say("site.reason", m_lang) + ": " +
                esc(c.reason) + "</span>";
      }
      rows.push_back({esc(std::to_string(c.entry.number)),
                      esc(local_day(c.entry.effective_at, m_zone, m_lang)), what,
                      esc(impact_text(c, m_lang)), decision_cell(c, Side::client),
                      decision_cell(c, Side::team), esc(status_text(c.state, m_lang))});
    });
    std::string main = "<h1>" + say("site.changes", m_lang) + "</h1>\n";
    main += rows.empty() ? "<p class=\"none\">" + say("site.changes.none", m_lang) + "</p>\n"
                         : html_table(word("site.changes", m_lang),
                                 {word("site.col.number", m_lang), word("site.col.proposed", m_lang),
                                  word("site.col.change", m_lang), word("report.impact", m_lang),
                                  word("side.client", m_lang), word("side.team", m_lang),
                                  word("site.col.state", m_lang)},
                                 rows);
    page("changes.html", word("site.changes", m_lang), main, 0);
  }

  std::string decision_cell(const Change& c, Side side) const {
    std::string out;
    for (const auto& d : c.decisions) {
      if (d.side != side) {
        continue;
      }
      out += out.empty() ? "" : "<br>";
      out += esc(fmt::format("{}: {}, {}",
                             word(d.verdict == Verdict::approve ? "site.approved" : "site.rejected",
                                  m_lang),
                             d.by, local_day(d.at, m_zone, m_lang)));
      if (!d.reason.empty()) {
        out += "<br><span class=\"muted\">" + esc(d.reason) + "</span>";
      }
      if (!d.evidence.empty()) {
        out += "<br><span class=\"muted\">" + say("site.evidence", m_lang) + ": <code>" +
               esc(d.evidence) + "</code></span>";
      }
    }
    return out.empty() ? "<span class=\"muted\">" + say("site.waiting", m_lang) + "</span>" : out;
  }

  void risks() {
    std::vector<Risk> open;
    std::vector<std::vector<std::string>> closed;
    each_risk(m_view, true, [&](const Risk& k) {
      if (!k.closed) {
        open.push_back(k);
        return;
      }
      closed.push_back({esc(std::to_string(k.entry.number)), esc(k.entry.text), esc(k.action),
                        esc(local_day(k.closed->effective_at, m_zone, m_lang)),
                        esc(k.closed->text)});
    });
    std::string main = "<h1>" + say("site.risks", m_lang) + "</h1>\n<section>\n<h2>" +
                       say("report.risks", m_lang) + "</h2>\n";
    main += open.empty() ? "<p class=\"none\">" + say("report.risks.none", m_lang) + "</p>\n"
                         : risk_table(open);
    main += "</section>\n<section>\n<h2>" + say("site.closed_risks", m_lang) + "</h2>\n";
    main += closed.empty()
                ? "<p class=\"none\">" + say("site.closed_risks.none", m_lang) + "</p>\n"
                : html_table(word("site.closed_risks", m_lang),
                        {word("site.col.number", m_lang), word("site.col.risk", m_lang),
                         word("report.action", m_lang), word("site.col.closed", m_lang),
                         word("report.outcome", m_lang)},
                        closed);
    main += "</section>\n";
    page("risks.html", word("site.risks", m_lang), main, 0);
  }

  /// The page `file` (relative to the site, `depth` directories down) with the navigation and
  /// the footer every page has.
  void page(const std::string& file, const std::string& title, const std::string& main,
            int depth) {
    const std::string up = depth == 0 ? "" : "../";
    Page p;
    p.language = m_lang;
    p.title = title == m_in.config.name ? title : fmt::format("{}: {}", m_in.config.name, title);
    p.stylesheet = up + "style.css";
    for (const auto& n : k_nav) {
      p.nav.push_back({up + n.file, word(n.key, m_lang), file == n.file});
    }
    p.main = main;
    p.footer = footer();
    write(file, html_page(p));
  }

  std::string footer() const {
    std::string out = "<p>" +
                      esc(fmt::format(fmt::runtime(word("site.updated", m_lang)),
                                      fmt::arg("date", local_day(m_in.now, m_zone, m_lang)))) +
                      "</p>\n";
    out += "<p>" + esc(fmt::format(fmt::runtime(word("ledger.head", m_lang)),
                                   fmt::arg("head", m_head.short_text())));
    out += ". " + say("site.verify", m_lang) + " <code>pm verify --head " + esc(m_head.text()) +
           "</code></p>\n";
    return out;
  }

  void write(const std::string& file, const std::string& content) {
    const fs::path path = m_dir / file;
    std::error_code ec;
    if (fs::is_regular_file(path, ec) && fs::file_size(path, ec) == content.size()) {
      std::ifstream in(path, std::ios::binary);
      std::ostringstream held;
      held << in.rdbuf();
      if (in && held.str() == content) {
        ++m_result.unchanged;
        return;
      }
    }
    write_file_atomic(path, content, m_in.file_mode);
    m_result.written.push_back(file);
  }

  Ledger& m_view;
  const SiteInput& m_in;
  std::string m_lang;
  Zone m_zone;
  ChainHead m_head;
  fs::path m_dir;
  std::optional<Report> m_this_week;
  PublishResult m_result;
};

}  // namespace

std::string report_main(Ledger& ledger, const ProjectConfig& config, const Report& report,
                        Instant now, const std::string& next_steps) {
  const std::string& lang = config.language;
  std::string out = report_html(report, lang, next_steps);
  out += "<section>\n<h2>" + say("site.trends", lang) + "</h2>\n";
  // Charts of the period's end: a past week's page shows what was known then.
  const Instant end = report.period.until - std::chrono::seconds(1);
  out += project_figures(ledger, config, std::min(now, end), false);
  out += "</section>\n";
  return out;
}

PublishResult publish_site(Ledger& ledger, const SiteInput& input, const fs::path& dir) {
  if (dir.empty()) {
    throw Error("give the site's directory: pm publish -o DIR", Exit::usage);
  }
  const ChainHead head = chain_head(ledger.db());
  ClientView view = client_view(ledger);
  Site site(*view.ledger, input, head, dir);
  PublishResult result = site.run();
  result.hidden = view.hidden;
  result.head = head;
  return result;
}

}  // namespace pm
