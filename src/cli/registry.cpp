// pm registry list | forget DIR | forget --missing: the per-user registry of projects that
// pm portfolio, pm nps --portfolio and pm kpi --portfolio read (docs/portfolio.md).
#include <cstdio>
#include <filesystem>

#include <fmt/format.h>

#include "cli/cli.hpp"
#include "pm/domain/portfolio.hpp"
#include "pm/domain/registry.hpp"

namespace fs = std::filesystem;

namespace pm::cli {

namespace {

struct RegistryOptions {
  bool json = false;
  std::string dir;
  bool missing = false;
};

/// Each registered project, opened as the portfolio opens it: its name, or why it cannot be
/// read.
void run_list(const RegistryOptions& options) {
  const fs::path file = registry_path();
  struct Line {
    std::string path;
    std::string name;
    std::string reason;  ///< empty: readable
  };
  std::vector<Line> lines;
  for (const auto& p : directory_projects(read_registry(file))) {
    std::vector<PortfolioSkipped> skipped;
    Line line{p.where, "", ""};
    each_portfolio_project(
        {p},
        [&](const PortfolioProject&, const ProjectConfig& config, Ledger&, const Calendar&) {
          line.name = config.name;
        },
        skipped);
    if (!skipped.empty()) {
      line.reason = skipped.front().reason;
    }
    lines.push_back(std::move(line));
  }
  if (options.json) {
    Json list = Json::array();
    for (const auto& l : lines) {
      list.push_back({{"path", l.path},
                      {"name", l.reason.empty() ? Json(l.name) : Json(nullptr)},
                      {"readable", l.reason.empty()},
                      {"reason", l.reason.empty() ? Json(nullptr) : Json(l.reason)}});
    }
    emit(dump_json(Json{{"version", 1}, {"registry", file.string()}, {"projects", list}}, 2) +
             "\n",
         "");
    return;
  }
  if (lines.empty()) {
    std::printf("No projects are registered in %s; pm init registers each new project.\n",
                cell_text(file.string()).c_str());
    return;
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& l : lines) {
    rows.push_back({l.path, l.name, l.reason.empty() ? "yes" : alert("no: " + l.reason)});
  }
  print_table({"PATH", "NAME", "READABLE"}, rows);
}

void run_forget(const Globals& globals, const RegistryOptions& options) {
  const fs::path file = registry_path();
  if (options.missing == !options.dir.empty()) {
    throw Error("pm registry forget takes a directory or --missing, one of the two",
                Exit::usage);
  }
  if (options.missing) {
    const std::vector<fs::path> gone = forget_missing_projects(file);
    for (const auto& dir : gone) {
      std::printf("Forgot %s (it no longer exists)\n", cell_text(dir.string()).c_str());
    }
    if (gone.empty()) {
      note(globals, "Every registered directory exists; nothing to forget.");
    }
    return;
  }
  const fs::path dir = forget_project(file, options.dir);
  std::printf("Forgot %s\n", cell_text(dir.string()).c_str());
}

}  // namespace

void setup_registry(CLI::App& app, const Globals& globals) {
  auto options = std::make_shared<RegistryOptions>();
  CLI::App* registry = app.add_subcommand(
      "registry", "The projects pm portfolio reads: list them, forget one or the missing ones");
  registry->require_subcommand(1);
  CLI::App* cmd = registry->add_subcommand(
      "list", "Each registered project: its path, its name, whether it can be read");
  cmd->add_flag("--json", options->json, "As JSON (docs/json.md)");
  cmd->callback([options] { run_list(*options); });
  cmd = registry->add_subcommand("forget", "Remove a project directory from the registry (the "
                                           "project itself is left alone)");
  cmd->add_option("dir", options->dir, "The project directory, as pm registry list shows it");
  cmd->add_flag("--missing", options->missing, "Every registered directory that no longer exists");
  cmd->callback([options, &globals] { run_forget(globals, *options); });
}

}  // namespace pm::cli
