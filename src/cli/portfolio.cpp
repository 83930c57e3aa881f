// pm portfolio [--by manager|client] [--format text|md|json] [--project DIR ...]: one row per
// project of the registry, or per project named (docs/portfolio.md). Projects that cannot be
// read are named on stderr and skipped; the exit code is 0 while at least one was read.
#include <cstdio>
#include <filesystem>
#include <set>

#include <fmt/format.h>

#include "cli/cli.hpp"
#include "pm/domain/portfolio.hpp"
#include "pm/domain/portfolio_server.hpp"
#include "pm/domain/project_ledger.hpp"
#include "pm/domain/registry.hpp"
#include "pm/time/period.hpp"
#include "pm/util/text.hpp"

namespace fs = std::filesystem;

namespace pm::cli {

std::vector<fs::path> portfolio_roots(const std::vector<std::string>& given,
                                      bool project_option) {
  std::vector<fs::path> roots(given.begin(), given.end());
  if (roots.empty()) {
    const fs::path file = registry_path();
    roots = read_registry(file);
    if (roots.empty()) {
      throw Error(fmt::format("no projects are registered in {}; pm init registers each new "
                              "project{}",
                              file.string(),
                              project_option ? ", or name them with --project DIR" : ""));
    }
  }
  return roots;
}

std::vector<PortfolioProject> portfolio_projects(const std::vector<std::string>& given,
                                                 const std::vector<std::string>& servers,
                                                 std::vector<PortfolioSkipped>& skipped) {
  std::set<std::string> urls;
  for (const auto& url : servers) {
    check_server_url(url, "--server");
    urls.insert(url);
  }
  std::vector<fs::path> roots;
  try {
    roots = portfolio_roots(given);
  } catch (const Error&) {
    if (urls.empty() && !default_server_url()) {
      throw;
    }
  }
  // Two checkouts of one project on a server (two people's, or a join next to the original)
  // are one project: the first is read.
  std::set<std::string> keys;
  std::set<std::string> named;
  std::vector<fs::path> unique;
  for (const auto& root : roots) {
    std::set<std::string> key;
    servers_of({root}, named, key);
    if (key.empty() || keys.insert(*key.begin()).second) {
      unique.push_back(root);
    }
  }
  roots = std::move(unique);
  if (given.empty()) {
    urls.insert(named.begin(), named.end());
    if (auto url = default_server_url()) {
      urls.insert(*url);
    }
  }
  std::vector<PortfolioProject> projects = directory_projects(roots);
  for (const auto& url : urls) {
    try {
      // One server reached by two URLs (the owner's and the team's role) lists its projects
      // once: keys carry random digits, so a key seen is the same project.
      for (auto& p : server_projects(url, keys)) {
        keys.insert(p.where.substr(p.where.rfind('#') + 1));
        projects.push_back(std::move(p));
      }
    } catch (const Error& e) {
      skipped.push_back({ServerLocation{url, ""}.where(), e.what()});
    }
  }
  return projects;
}

void warn_skipped(const std::vector<PortfolioSkipped>& projects, bool skipped) {
  for (const auto& s : projects) {
    std::fprintf(stderr, "pm: warning: %s%s: %s\n", skipped ? "skipped " : "",
                 cell_text(s.where).c_str(), cell_text(s.reason).c_str());
  }
}

namespace {

struct PortfolioOptions {
  std::string by;
  bool json = false;
  std::string format = "text";
  PeriodOptions when;
  std::vector<std::string> projects;
  std::vector<std::string> servers;
};

struct Result {
  PortfolioBy by = PortfolioBy::none;
  std::vector<PortfolioRow> rows;
  std::vector<PortfolioSkipped> skipped;
  std::vector<PortfolioSkipped> warnings;  ///< what opening a project that was read warned of
  std::optional<Period> period;  ///< the first project's (each is measured in its own zone)
};

std::string deadline_text(const Deadline& d) {
  if (!d.current) {
    return "-";
  }
  if (!d.shifted()) {
    return format_date(*d.current);
  }
  return fmt::format("{} → {}", format_date(*d.baseline), format_date(*d.current));
}

std::string nps_text(const NpsCounts& counts) {
  const NpsFigure f = nps_figure(counts);
  if (f.n == 0) {
    return "-";
  }
  return fmt::format("{} ±{} n={}{}", whole_points(f.nps), whole_points(f.margin), f.n,
                     f.reliable ? "" : "*");
}

std::string risks_text(const RiskCounts& r) { return fmt::format("{}/{}/{}", r[2], r[1], r[0]); }

std::string count_cell(std::int64_t n, bool red) {
  return red && n > 0 ? alert(std::to_string(n)) : std::to_string(n);
}

std::string manager_text(const PortfolioRow& r) {
  return r.manager_email.empty() ? r.manager : fmt::format("{} <{}>", r.manager, r.manager_email);
}

/// A row's cells; `manager` false leaves out the manager (the group heading names them).
std::vector<std::string> row_cells(const PortfolioRow& r, bool manager, bool colour) {
  std::vector<std::string> cells = {r.name};
  if (manager) {
    cells.push_back(manager_text(r));
  }
  cells.insert(cells.end(),
               {r.client, deadline_text(r.deadline), count_cell(r.overdue_agreements, colour),
                std::to_string(r.unconfirmed_agreements), risks_text(r.risks),
                r.last_status_letter ? format_date(*r.last_status_letter) : "never",
                nps_text(r.nps), count_cell(r.sla_breaches(), colour), r.where});
  return cells;
}

std::vector<std::string> header(bool manager) {
  std::vector<std::string> h = {"PROJECT"};
  if (manager) {
    h.push_back("MANAGER");
  }
  h.insert(h.end(), {"CLIENT", "DEADLINE", "OVERDUE", "UNCONFIRMED", "RISKS H/M/L",
                     "LAST STATUS", "NPS", "SLA", "PATH"});
  return h;
}

std::vector<std::string> total_cells(const PortfolioGroup& g, bool manager) {
  std::vector<std::string> cells = {"all"};
  if (manager) {
    cells.push_back("");
  }
  cells.insert(cells.end(),
               {"", "", std::to_string(g.overdue_agreements),
                std::to_string(g.unconfirmed_agreements), risks_text(g.risks),
                g.project_without_letter ? "never"
                : g.oldest_status_letter ? format_date(*g.oldest_status_letter)
                                         : "",
                nps_text(g.nps), std::to_string(g.reply_breaches + g.status_breaches), ""});
  return cells;
}

std::string group_title(const PortfolioGroup& g, PortfolioBy by) {
  std::string title = by == PortfolioBy::manager && !g.email.empty()
                          ? fmt::format("{} <{}>", g.name, g.email)
                          : g.name.empty() ? "(none)" : g.name;
  title += fmt::format(": {} project{}", g.rows.size(), g.rows.size() == 1 ? "" : "s");
  if (g.names.size() > 1) {
    std::vector<std::string> others;
    for (const auto& n : g.names) {
      if (n != g.name) {
        others.push_back(n);
      }
    }
    title += "; also written " + join(others, ", ");
  }
  if (!g.note.empty()) {
    title += " (" + g.note + ")";
  }
  return title;
}

std::string legend(const Result& r) {
  return fmt::format(
      "OVERDUE: agreements past their due day; UNCONFIRMED: awaiting the client's confirmation; "
      "RISKS: open, by severity; NPS: ±95% margin (* fewer than {} answers); SLA: breaches{}.",
      k_nps_min_reliable,
      r.period ? " in " + period_label(*r.period, "en") : std::string());
}

void print_text(const Result& r) {
  std::printf("Portfolio: %zu project%s read%s\n", r.rows.size(), r.rows.size() == 1 ? "" : "s",
              r.skipped.empty() ? "" : fmt::format(", {} skipped", r.skipped.size()).c_str());
  if (r.by == PortfolioBy::none) {
    std::vector<std::vector<std::string>> rows;
    for (const auto& row : r.rows) {
      rows.push_back(row_cells(row, true, true));
    }
    std::printf("\n");
    print_table(header(true), rows);
  } else {
    const bool manager = r.by == PortfolioBy::client;  // by client: show who manages each
    for (const auto& g : group_portfolio(r.rows, r.by)) {
      std::printf("\n%s\n", cell_text(group_title(g, r.by)).c_str());
      std::vector<std::vector<std::string>> rows;
      for (const auto& row : g.rows) {
        rows.push_back(row_cells(row, manager, true));
      }
      if (g.rows.size() > 1) {
        rows.push_back(total_cells(g, manager));
      }
      print_table(header(manager), rows);
    }
  }
  std::printf("\n%s\n", legend(r).c_str());
}

/// A table cell of Markdown: pipes escaped, one line.
std::string md(const std::string& text) {
  std::string out;
  for (char c : text) {
    out += c == '|' ? std::string("\\|") : c == '\n' ? std::string(" ") : std::string(1, c);
  }
  return out;
}

std::string md_table(const std::vector<std::string>& head,
                     const std::vector<std::vector<std::string>>& rows) {
  std::string out = "|";
  std::string rule = "|";
  for (const auto& h : head) {
    out += " " + md(h) + " |";
    rule += " --- |";
  }
  out += "\n" + rule + "\n";
  for (const auto& row : rows) {
    out += "|";
    for (const auto& c : row) {
      out += " " + md(c) + " |";
    }
    out += "\n";
  }
  return out;
}

void print_md(const Result& r) {
  std::string out = fmt::format("# Portfolio: {} project{}\n", r.rows.size(),
                                r.rows.size() == 1 ? "" : "s");
  if (r.by == PortfolioBy::none) {
    std::vector<std::vector<std::string>> rows;
    for (const auto& row : r.rows) {
      rows.push_back(row_cells(row, true, false));
    }
    out += "\n" + md_table(header(true), rows);
  } else {
    const bool manager = r.by == PortfolioBy::client;
    for (const auto& g : group_portfolio(r.rows, r.by)) {
      out += "\n## " + md(group_title(g, r.by)) + "\n\n";
      std::vector<std::vector<std::string>> rows;
      for (const auto& row : g.rows) {
        rows.push_back(row_cells(row, manager, false));
      }
      if (g.rows.size() > 1) {
        rows.push_back(total_cells(g, manager));
      }
      out += md_table(header(manager), rows);
    }
  }
  if (!r.skipped.empty()) {
    out += "\nSkipped:\n\n";
    for (const auto& s : r.skipped) {
      out += fmt::format("- `{}`: {}\n", md(s.where), md(s.reason));
    }
  }
  out += "\n" + legend(r) + "\n";
  emit(out, "");
}

void print_json(const Result& r) {
  Json out;
  out["version"] = 1;
  out["scope"] = "portfolio";
  out["by"] = r.by == PortfolioBy::none          ? Json(nullptr)
              : r.by == PortfolioBy::manager ? Json("manager")
                                             : Json("client");
  out["period"] = r.period ? Json{{"first", format_date(r.period->first)},
                                  {"last", format_date(r.period->last)}}
                           : Json(nullptr);
  out["projects"] = Json::array();
  for (const auto& row : r.rows) {
    out["projects"].push_back(portfolio_row_json(row));
  }
  out["groups"] = Json::array();
  if (r.by != PortfolioBy::none) {
    for (const auto& g : group_portfolio(r.rows, r.by)) {
      out["groups"].push_back(portfolio_group_json(g));
    }
  }
  out["skipped"] = Json::array();
  for (const auto& s : r.skipped) {
    out["skipped"].push_back({{"path", s.where}, {"reason", s.reason}});
  }
  emit(dump_json(out, 2) + "\n", "");
}

void run_portfolio(const PortfolioOptions& options) {
  Result r;
  if (!options.by.empty()) {
    r.by = parse_portfolio_by(options.by);
  }
  const std::string format = options.json ? "json" : options.format;
  const Instant at = now();
  chosen_period(options.when, at, find_zone(system_zone_name()));  // a bad period fails here, once
  const std::vector<PortfolioProject> projects =
      portfolio_projects(options.projects, options.servers, r.skipped);
  each_portfolio_project(
      projects,
      [&](const PortfolioProject& p, const ProjectConfig& config, Ledger& ledger,
          const Calendar& calendar) {
        // Each project's period in its own zone, as pm kpi --portfolio measures it.
        const Period period = chosen_period(options.when, at, calendar.zone());
        r.rows.push_back(
            portfolio_row(p.where, config, ledger, calendar, period.from, period.until, at));
        if (!r.period) {
          r.period = period;
        }
      },
      r.skipped, &r.warnings);
  warn_skipped(r.warnings, false);
  warn_skipped(r.skipped);
  if (r.rows.empty()) {
    throw Error(fmt::format("none of the {} projects could be read (see the warnings above)",
                            r.skipped.size()));
  }
  if (format == "json") {
    print_json(r);
  } else if (format == "md") {
    print_md(r);
  } else {
    print_text(r);
  }
}

}  // namespace

void setup_portfolio(CLI::App& app, const Globals&) {
  auto options = std::make_shared<PortfolioOptions>();
  CLI::App* cmd = app.add_subcommand(
      "portfolio", "One row per project: deadline, agreements, risks, status letters, NPS, SLA");
  cmd->add_option("--by", options->by, "Group the rows: manager (by email) or client")
      ->check(CLI::IsMember({"manager", "client"}));
  cmd->add_flag("--json", options->json, "The same as --format json (docs/json.md)");
  cmd->add_option("--format", options->format, "text, md or json")
      ->check(CLI::IsMember({"text", "md", "json"}))
      ->default_str("text");
  add_period_options(cmd, options->when);
  cmd->add_option("--project", options->projects,
                  "A project directory (repeatable); default: every registered project");
  cmd->add_option("--server", options->servers,
                  "Every project of this ledger server too, postgresql://HOST/DATABASE "
                  "(repeatable; PM_LEDGER_URL's and the registered projects' are read anyway)")
      ->option_text("URL");
  cmd->callback([options] { run_portfolio(*options); });
}

}  // namespace pm::cli
