// pm kpi [--period P | --since D --until D] [--format text|md|json] [--portfolio]: the KPI
// scorecard of the project, or one row per registered project (docs/kpi.md). The exit code is
// 0 whether targets are met or not: the scorecard informs, pm today alarms.
#include <cstdio>
#include <filesystem>

#include <fmt/format.h>

#include "cli/cli.hpp"
#include "pm/domain/kpi.hpp"
#include "pm/domain/portfolio.hpp"
#include "pm/domain/project_calendar.hpp"
#include "pm/time/period.hpp"

namespace fs = std::filesystem;

namespace pm::cli {

namespace {

struct KpiOptions {
  PeriodOptions when;
  std::string format = "text";
  bool portfolio = false;
};

Json period_json(const Period& period, Zone zone) {
  return Json{{"first", format_date(period.first)},
              {"last", format_date(period.last)},
              {"from", format_iso_local(period.from, zone)},
              {"until", format_iso_local(period.until, zone)}};
}

/// The value as a cell: red when the target is missed.
std::string value_cell(const Kpi& k) {
  const std::string text = kpi_value_text(k);
  return k.met && !*k.met ? alert(text) : text;
}

void print_text(const std::string& name, const Period& period, const std::vector<Kpi>& kpis) {
  std::printf("KPI scorecard: %s\n", name.c_str());
  std::printf("Period: %s\n\n", period_label(period, "en").c_str());
  std::vector<std::vector<std::string>> rows;
  for (const auto& k : kpis) {
    const std::string verdict = kpi_verdict(k);
    rows.push_back({k.title, k.target_text, value_cell(k), std::to_string(k.n),
                    verdict == "not met" ? alert(verdict) : verdict});
  }
  print_table({"KPI", "TARGET", "VALUE", "N", "RESULT"}, rows);
  std::printf("\nHow each was computed:\n");
  for (const auto& k : kpis) {
    std::printf("  %s: %s\n", k.key.c_str(), k.how.c_str());
  }
}

/// A table cell of Markdown: pipes escaped, one line.
std::string md_cell(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '|') {
      out += "\\|";
    } else if (c == '\n') {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

void print_md(const std::string& name, const Period& period, const std::vector<Kpi>& kpis) {
  std::string out = fmt::format("# KPI scorecard: {}\n\nPeriod: {}\n\n", md_cell(name),
                                period_label(period, "en"));
  out += "| KPI | Target | Value | n | Result |\n| --- | --- | --- | ---: | --- |\n";
  for (const auto& k : kpis) {
    out += fmt::format("| {} | {} | {} | {} | {} |\n", k.title, k.target_text, kpi_value_text(k),
                       k.n, kpi_verdict(k));
  }
  out += "\n";
  for (const auto& k : kpis) {
    out += fmt::format("- **{}** (`{}`): {}\n", k.title, k.key, md_cell(k.how));
  }
  emit(out, "");
}

void run_project(const Globals& globals, const KpiOptions& options) {
  Session session = open_session(globals);
  auto ledger = session.open_ledger(true);
  ReadSnapshot snapshot(*ledger);
  const Calendar calendar = project_calendar(session.config, session.paths.dir());
  const Period period = chosen_period(options.when, session.now, session.zone);
  const std::vector<Kpi> kpis =
      compute_kpis(*ledger, session.config, calendar, period.from, period.until, session.now);
  if (options.format == "json") {
    Json list = Json::array();
    for (const auto& k : kpis) {
      list.push_back(kpi_json(k));
    }
    Json out{{"version", 1},
             {"project", session.config.name},
             {"period", period_json(period, session.zone)},
             {"kpis", list}};
    emit(dump_json(out, 2) + "\n", "");
  } else if (options.format == "md") {
    print_md(session.config.name, period, kpis);
  } else {
    print_text(session.config.name, period, kpis);
  }
}

struct ProjectScore {
  fs::path root;
  std::string name;
  Period period;
  Zone zone = nullptr;
  std::vector<Kpi> kpis;
};

void run_portfolio(const KpiOptions& options) {
  const std::vector<fs::path> roots = portfolio_roots({}, false);
  const Instant at = now();
  chosen_period(options.when, at, find_zone(system_zone_name()));  // a bad period fails here, once
  std::vector<ProjectScore> scores;
  std::vector<PortfolioSkipped> skipped_projects;
  std::vector<PortfolioSkipped> warnings;  // a ledger server out of reach: its replica is read
  // Each project in its own zone and calendar, opened as pm portfolio opens it; one that
  // cannot be read is named and skipped.
  each_portfolio_project(
      directory_projects(roots),
      [&](const PortfolioProject& p, const ProjectConfig& config, Ledger& ledger,
          const Calendar& calendar) {
        ReadSnapshot snapshot(ledger);
        const Zone zone = calendar.zone();
        const Period period = chosen_period(options.when, at, zone);
        scores.push_back(ProjectScore{fs::path(p.where), config.name, period, zone,
                                      compute_kpis(ledger, config, calendar, period.from,
                                                   period.until, at)});
      },
      skipped_projects, &warnings);
  warn_skipped(warnings, false);
  warn_skipped(skipped_projects);
  Json skipped = Json::array();
  for (const auto& s : skipped_projects) {
    skipped.push_back({{"root", s.where}, {"reason", s.reason}});
  }
  if (scores.empty()) {
    throw Error(fmt::format("none of the {} projects could be read (see the warnings above)",
                            roots.size()));
  }
  if (options.format == "json") {
    Json projects = Json::array();
    for (const auto& s : scores) {
      Json list = Json::array();
      for (const auto& k : s.kpis) {
        list.push_back(kpi_json(k));
      }
      projects.push_back({{"root", s.root.string()},
                          {"name", s.name},
                          {"period", period_json(s.period, s.zone)},
                          {"kpis", list}});
    }
    Json out{{"version", 1}, {"scope", "portfolio"}, {"projects", projects}, {"skipped", skipped}};
    emit(dump_json(out, 2) + "\n", "");
    return;
  }
  std::vector<std::string> header = {"PROJECT"};
  for (const auto& k : scores.front().kpis) {
    header.push_back(k.key);
  }
  if (options.format == "md") {
    std::string out = fmt::format("# KPI scorecard: {} project{}\n\nPeriod: {}\n\n| project |",
                                  scores.size(), scores.size() == 1 ? "" : "s",
                                  period_label(scores.front().period, "en"));
    for (std::size_t i = 1; i < header.size(); ++i) {
      out += " " + header[i] + " |";
    }
    out += "\n| --- |";
    for (std::size_t i = 1; i < header.size(); ++i) {
      out += " --- |";
    }
    out += "\n";
    for (const auto& s : scores) {
      out += "| " + md_cell(s.name) + " |";
      for (const auto& k : s.kpis) {
        out += " " + kpi_value_text(k) + (k.met && !*k.met ? " ✗" : "") + " |";
      }
      out += "\n";
    }
    out += "\n✗: the target is not met. Targets and formulas: docs/kpi.md.\n";
    emit(out, "");
    return;
  }
  std::printf("KPI scorecard: %zu project%s read%s\n", scores.size(),
              scores.size() == 1 ? "" : "s",
              skipped.empty() ? "" : fmt::format(", {} skipped", skipped.size()).c_str());
  std::printf("Period: %s\n\n", period_label(scores.front().period, "en").c_str());
  std::vector<std::vector<std::string>> rows;
  for (const auto& s : scores) {
    std::vector<std::string> row = {s.name};
    for (const auto& k : s.kpis) {
      row.push_back(k.met && !*k.met ? alert(kpi_value_text(k) + " ✗") : kpi_value_text(k));
    }
    rows.push_back(std::move(row));
  }
  print_table(header, rows);
  std::printf("\n✗: the target is not met. pm kpi in a project shows how each was computed.\n");
}

void run_kpi(const Globals& globals, const KpiOptions& options) {
  if (options.format != "text" && options.format != "md" && options.format != "json") {
    throw Error(fmt::format("--format {}: expected text, md or json", options.format),
                Exit::usage);
  }
  if (options.portfolio) {
    run_portfolio(options);
  } else {
    run_project(globals, options);
  }
}

}  // namespace

void setup_kpi(CLI::App& app, const Globals& globals) {
  auto options = std::make_shared<KpiOptions>();
  CLI::App* cmd = app.add_subcommand(
      "kpi", "The KPI scorecard: each figure against its target, with n and how it was computed");
  add_period_options(cmd, options->when);
  cmd->add_option("--format", options->format, "text, md or json (docs/kpi.md)")
      ->check(CLI::IsMember({"text", "md", "json"}))
      ->default_str("text");
  cmd->add_flag("--portfolio", options->portfolio,
                "Every registered project, one row each (pm init registers them)");
  cmd->callback([options, &globals] { run_kpi(globals, *options); });
}

}  // namespace pm::cli
