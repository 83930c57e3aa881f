// pm nps [--by ...] [--portfolio]: NPS with its margin of error, as text, JSON or an HTML page.
#include <cstdio>

#include <fmt/format.h>

#include "cli/nps.hpp"
#include "pm/time/date_expression.hpp"
#include "pm/util/error.hpp"
#include "pm/domain/nps.hpp"
#include "pm/domain/charts.hpp"
#include "pm/domain/portfolio.hpp"
#include "pm/util/html.hpp"
#include "pm/util/words.hpp"
#include "pm/web/figures.hpp"
#include "pm/web/page.hpp"

namespace pm::cli {

namespace {

/// What the report shows, wherever the counts came from.
struct Report {
  NpsBy by = NpsBy::total;
  NpsPeriod period;
  bool portfolio = false;
  std::vector<NpsGroup> groups;
  std::vector<NpsProject> projects;
  std::vector<NpsSkipped> skipped;
  NpsCounts total;
  std::string name;              ///< the project's, or empty for a portfolio
  std::string language = "en";  ///< the project's; a portfolio's is English
  std::vector<NpsPoint> months;  ///< --format html: NPS by month, for the chart
};

/// --since and --until as every date option reads them; "--since 'last month'" alone is that
/// month. A portfolio has no project of its own: its days are the system zone's.
NpsPeriod parse_period(const NpsReportOptions& options, Instant now, Zone zone) {
  NpsPeriod period;
  if (!options.since.empty()) {
    DayRange since = parse_day_range(options.since, now, zone, "--since");
    period.since = since.first;
    if (options.until.empty() && since.first != since.last) {
      period.until = since.last;
    }
  }
  if (!options.until.empty()) {
    period.until = parse_day_range(options.until, now, zone, "--until").last;
  }
  if (period.since && period.until && *period.until < *period.since) {
    throw Error(fmt::format("--since {} is after --until {}; the period would be empty",
                            options.since, options.until));
  }
  return period;
}

Report gather(const Globals& globals, const NpsReportOptions& options) {
  Report r;
  r.portfolio = options.portfolio || !options.projects.empty();
  r.by = options.by.empty() ? (r.portfolio ? NpsBy::project : NpsBy::total)
                            : parse_nps_by(options.by);
  if (r.by == NpsBy::project && !r.portfolio) {
    throw Error("--by project compares projects: add --portfolio (or --project DIR)");
  }
  std::optional<Session> session;
  if (r.portfolio) {
    r.period = parse_period(options, now(), find_zone(system_zone_name()));
  } else {
    session = open_session(globals);
    r.period = parse_period(options, session->now, session->zone);
  }
  if (r.portfolio) {
    // The same list of projects, opened the same way, as pm portfolio (portfolio.hpp).
    std::vector<PortfolioSkipped> unreachable;
    const std::vector<PortfolioProject> projects =
        portfolio_projects(options.projects, {}, unreachable);
    warn_skipped(unreachable);
    NpsPortfolio portfolio = read_nps_portfolio(projects, r.by, r.period);
    if (options.format == "html") {
      std::vector<NpsGroup> months =
          r.by == NpsBy::month ? portfolio.groups
                               : read_nps_portfolio(projects, NpsBy::month, r.period).groups;
      fill_nps_gaps(months, NpsBy::month);
      r.months = nps_points(months);
    }
    std::vector<PortfolioSkipped> skipped;
    for (const auto& s : portfolio.skipped) {
      skipped.push_back(PortfolioSkipped{s.root.string(), s.reason});
    }
    std::vector<PortfolioSkipped> warnings;
    for (const auto& w : portfolio.warnings) {
      warnings.push_back(PortfolioSkipped{w.root.string(), w.reason});
    }
    warn_skipped(warnings, false);
    warn_skipped(skipped);
    if (portfolio.projects.empty()) {
      throw Error(fmt::format("none of the {} projects could be read (see the warnings above)",
                              portfolio.skipped.size()));
    }
    r.groups = std::move(portfolio.groups);
    r.projects = std::move(portfolio.projects);
    r.skipped = std::move(portfolio.skipped);
    for (const auto& p : r.projects) {
      r.total += p.counts;
    }
  } else {
    auto ledger = session->open_ledger(true);
    ledger->check_pages(Ledger::k_quick_check_bytes);
    r.groups = nps_groups(*ledger, r.by, r.period);
    r.name = session->config.name;
    r.language = session->config.language;
    if (options.format == "html") {
      r.months = nps_month_points(*ledger, r.period);
    }
    for (const auto& g : r.groups) {
      r.total += g.counts;
    }
    r.projects.push_back(NpsProject{session->paths.root, session->config.name, r.total});
  }
  fill_nps_gaps(r.groups, r.by);
  return r;
}

void print_json(const Report& r) {
  auto date_or_null = [](const std::optional<Date>& d) {
    return d ? Json(format_date(*d)) : Json(nullptr);
  };
  Json out;
  out["version"] = 1;
  out["scope"] = r.portfolio ? "portfolio" : "project";
  out["by"] = r.by == NpsBy::total ? Json(nullptr) : Json(nps_by_name(r.by));
  out["since"] = date_or_null(r.period.since);
  out["until"] = date_or_null(r.period.until);
  out["min_reliable_answers"] = k_nps_min_reliable;
  out["total"] = nps_figure_json(nps_figure(r.total));
  out["groups"] = Json::array();
  if (r.by != NpsBy::total) {
    for (const auto& g : r.groups) {
      Json j;
      j["key"] = g.key;
      j.update(nps_figure_json(nps_figure(g.counts)));
      out["groups"].push_back(j);
    }
  }
  out["projects"] = Json::array();
  for (const auto& p : r.projects) {
    out["projects"].push_back(
        {{"path", p.root.string()}, {"name", p.name}, {"answers", p.counts.n()}});
  }
  out["skipped"] = Json::array();
  for (const auto& s : r.skipped) {
    out["skipped"].push_back({{"path", s.root.string()}, {"reason", s.reason}});
  }
  emit(dump_json(out, 2) + "\n", "");
}

/// A page for a browser or a mail: the figures as tables and NPS by month as a chart. No
/// answer's comment is on it.
void print_html(const Report& r) {
  const std::string& lang = r.language;
  auto say = [&](const char* key) { return word(key, lang); };
  auto cells = [](const std::string& label, const NpsCounts& counts, bool& unreliable) {
    const NpsFigure f = nps_figure(counts);
    unreliable = unreliable || (f.n > 0 && !f.reliable);
    if (f.n == 0) {
      return std::vector<std::string>{html_escaped(label), "0", "", "", "", "", ""};
    }
    return std::vector<std::string>{
        html_escaped(label),         std::to_string(f.n),
        whole_points(f.nps) + (f.reliable ? "" : "*"),
        "±" + whole_points(f.margin), whole_points(f.promoters_pct) + "%",
        whole_points(f.passives_pct) + "%", whole_points(f.detractors_pct) + "%"};
  };
  const std::vector<std::string> columns = {say("nps.col.answers"),   say("nps.col.nps"),
                                            say("nps.col.margin"),    say("nps.col.promoters"),
                                            say("nps.col.passives"),  say("nps.col.detractors")};
  const std::string name = r.name.empty() ? say("nps.portfolio") : r.name;
  const std::string title = fmt::format(fmt::runtime(say("nps.title")), fmt::arg("name", name));
  std::string main = "<h1>" + html_escaped(title) + "</h1>\n";
  if (r.period.since && r.period.until) {
    main += "<p>" + html_escaped(fmt::format(fmt::runtime(say("nps.period")),
                                             fmt::arg("since", format_date(*r.period.since)),
                                             fmt::arg("until", format_date(*r.period.until)))) +
            "</p>\n";
  }
  bool unreliable = false;
  if (r.total.n() == 0) {
    main += "<p class=\"none\">" + html_escaped(say("nps.none")) + "</p>\n";
  } else {
    std::vector<std::string> header = {""};
    header.insert(header.end(), columns.begin(), columns.end());
    std::vector<std::vector<std::string>> rows = {cells(say("nps.total"), r.total, unreliable)};
    if (r.by != NpsBy::total) {
      header[0] = say(fmt::format("nps.by.{}", nps_by_name(r.by)).c_str());
      for (const auto& g : r.groups) {
        rows.push_back(cells(g.key, g.counts, unreliable));
      }
    }
    main += html_table(title, header, rows);
    if (unreliable) {
      main += "<p class=\"muted\">" +
              html_escaped(fmt::format(fmt::runtime(say("nps.unreliable")),
                                       fmt::arg("n", k_nps_min_reliable))) +
              "</p>\n";
    }
    main += "<section>\n<h2>" + html_escaped(say("chart.nps.title")) + "</h2>\n" +
            nps_figure_html(r.months, lang) + "</section>\n";
  }
  Page page;
  page.language = lang;
  page.title = title;
  page.main = main;
  emit(html_page(page), "");
}

std::string too_few(std::int64_t n) {
  return fmt::format("n = {}: too few answers for a reliable figure ({} or more are needed)", n,
                     k_nps_min_reliable);
}

/// Pads the cells of the numeric columns on the left, so numbers line up on the right.
void align_right(std::vector<std::string>& header, std::vector<std::vector<std::string>>& rows,
                 std::size_t first, std::size_t last) {
  auto width = [](const std::string& s) {
    std::size_t n = 0;
    for (unsigned char c : s) {
      n += (c & 0xC0) != 0x80 ? 1 : 0;
    }
    return n;
  };
  for (std::size_t c = first; c <= last && c < header.size(); ++c) {
    std::size_t w = width(header[c]);
    for (const auto& row : rows) {
      w = std::max(w, width(row[c]));
    }
    header[c] = std::string(w - width(header[c]), ' ') + header[c];
    for (auto& row : rows) {
      row[c] = std::string(w - width(row[c]), ' ') + row[c];
    }
  }
}

void print_total(const Report& r) {
  NpsFigure f = nps_figure(r.total);
  if (f.n == 0) {
    std::printf("%s\n", r.period.since || r.period.until
                            ? "No NPS answers in this period."
                            : "No NPS answers yet. Record one with pm nps add SCORE, or import a "
                              "survey export with pm nps import FILE.");
    return;
  }
  std::printf("NPS %s ±%s (95%% margin of error), from %lld answers\n",
              whole_points(f.nps).c_str(), whole_points(f.margin).c_str(),
              static_cast<long long>(f.n));
  std::vector<std::string> header = {"", "ANSWERS", "SHARE"};
  std::vector<std::vector<std::string>> rows = {
      {"promoters (9-10)", std::to_string(f.counts.promoters), whole_points(f.promoters_pct) + "%"},
      {"passives (7-8)", std::to_string(f.counts.passives), whole_points(f.passives_pct) + "%"},
      {"detractors (0-6)", std::to_string(f.counts.detractors),
       whole_points(f.detractors_pct) + "%"}};
  align_right(header, rows, 1, 2);
  print_table(header, rows);
  if (!f.reliable) {
    std::printf("%s\n", too_few(f.n).c_str());
  }
}

void print_groups(const Report& r, bool chart) {
  static const char* k_labels[] = {"", "CLIENT", "MANAGER", "MONTH", "QUARTER", "PROJECT"};
  std::vector<std::string> header = {k_labels[static_cast<int>(r.by)], "ANSWERS", "PROMOTERS",
                                     "PASSIVES", "DETRACTORS", "NPS", "MARGIN"};
  if (chart) {
    header.push_back("-100      0      +100");  // over the 21 cells of nps_bar
  }
  bool any_unreliable = false;
  auto row = [&](const std::string& key, const NpsCounts& counts) {
    NpsFigure f = nps_figure(counts);
    auto share = [&](std::int64_t count, double pct) {
      return f.n == 0 ? std::to_string(count)
                      : fmt::format("{} ({}%)", count, whole_points(pct));
    };
    std::vector<std::string> cells = {
        key.empty() ? "(none)" : key,
        std::to_string(f.n),
        share(counts.promoters, f.promoters_pct),
        share(counts.passives, f.passives_pct),
        share(counts.detractors, f.detractors_pct),
        f.n == 0 ? "-" : whole_points(f.nps),
        f.n == 0 ? "" : "±" + whole_points(f.margin) + (f.reliable ? " " : "*")};
    any_unreliable = any_unreliable || (f.n > 0 && !f.reliable);
    if (chart) {
      std::string bar = nps_bar(f.n == 0 ? std::nullopt : std::optional<double>(f.nps));
      if (use_color() && f.n > 0) {
        bar = (f.nps < 0 ? "\033[31m" : "\033[32m") + bar + "\033[0m";
      }
      cells.push_back(bar);
    }
    return cells;
  };
  std::vector<std::vector<std::string>> rows;
  for (const auto& g : r.groups) {
    rows.push_back(row(g.key, g.counts));
  }
  rows.push_back(row("", r.total));
  rows.back().front() = "all";
  align_right(header, rows, 1, 6);
  print_table(header, rows);
  if (any_unreliable) {
    std::printf("* fewer than %lld answers: too few for a reliable figure\n",
                static_cast<long long>(k_nps_min_reliable));
  }
}

}  // namespace

void run_nps_report(const Globals& globals, const NpsReportOptions& options) {
  Report r = gather(globals, options);
  if (options.json || options.format == "json") {
    print_json(r);
    return;
  }
  if (options.format == "html") {
    print_html(r);
    return;
  }
  if (r.portfolio) {
    fmt::print("Portfolio: {} project{} read{}\n", r.projects.size(),
               r.projects.size() == 1 ? "" : "s",
               r.skipped.empty() ? "" : fmt::format(", {} skipped", r.skipped.size()));
  }
  if (r.period.since && r.period.until) {
    fmt::print("Answers given from {} to {}\n", format_date(*r.period.since),
               format_date(*r.period.until));
  } else if (r.period.since || r.period.until) {
    fmt::print("Answers given {} {}\n", r.period.since ? "from" : "until",
               format_date(r.period.since ? *r.period.since : *r.period.until));
  }
  if (r.by == NpsBy::total || r.total.n() == 0) {
    print_total(r);
    return;
  }
  bool chart = (r.by == NpsBy::month || r.by == NpsBy::quarter) &&
               (options.chart || stdout_is_terminal());
  print_groups(r, chart);
}

}  // namespace pm::cli
