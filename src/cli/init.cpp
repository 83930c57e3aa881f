// pm init [DIR]: create .pm/ with project.yaml and an empty ledger.
#include <cstdio>
#include <filesystem>

#include <fmt/format.h>

#include "cli/cli.hpp"
#include "pm/domain/project.hpp"
#include "pm/domain/registry.hpp"

namespace pm::cli {

namespace {

struct InitOptions {
  std::string dir;
  ProjectConfig config;
};

void run_init(const Globals& globals, InitOptions options) {
  std::filesystem::path root = options.dir.empty() ? start_directory(globals) : options.dir;
  if (!globals.directory.empty() && !options.dir.empty() &&
      std::filesystem::path(options.dir).is_relative()) {
    root = std::filesystem::path(globals.directory) / options.dir;
  }
  ProjectConfig& c = options.config;
  if (c.name.empty()) {
    c.name = std::filesystem::absolute(root).lexically_normal().filename().string();
    if (c.name.empty()) {
      c.name = std::filesystem::absolute(root).lexically_normal().parent_path().filename().string();
    }
  }
  if (c.timezone.empty()) {
    c.timezone = system_zone_name();
  }
  c.manager.side = "team";
  ProjectPaths paths = init_project(root, c);
  note(globals, fmt::format("Created project '{}' in {}", c.name, paths.dir().string()));
  // The registry lets pm nps --portfolio find the project; the project works without it.
  try {
    register_project(registry_path(), paths.root);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "pm: warning: the project was created but not registered for pm nps "
                         "--portfolio (%s); name it there with --project %s\n",
                 e.what(), paths.root.c_str());
  }
  note(globals, "Next: add the client's approver with pm people add \"NAME <ADDRESS>\" --side "
                "client --role approver, then pm log-agreement \"...\"");
}

}  // namespace

void setup_init(CLI::App& app, const Globals& globals) {
  auto options = std::make_shared<InitOptions>();
  options->config.timezone.clear();
  CLI::App* cmd = app.add_subcommand("init", "Create a project: DIR/.pm/ with project.yaml and "
                                             "the ledger (DIR: the current directory)");
  cmd->add_option("dir", options->dir, "Directory of the project")->option_text("DIR");
  cmd->add_option("--name", options->config.name, "Project name (default: the directory's name)");
  cmd->add_option("--client", options->config.client, "Client organisation");
  cmd->add_option("--manager", options->config.manager.name, "The manager's name");
  cmd->add_option("--email", options->config.manager.email, "The manager's email address");
  cmd->add_option("--lang", options->config.language, "The client's language")
      ->check(CLI::IsMember({"en", "ru"}))
      ->default_str("en");
  cmd->add_option("--tz", options->config.timezone,
                  "IANA time zone, e.g. Europe/Moscow (default: the system's)");
  cmd->add_option("--deadline", options->config.deadline, "Project deadline, YYYY-MM-DD");
  cmd->add_option("--shared", options->config.shared,
                  "group: the group reads the project's files and writes its ledger "
                  "(project.yaml's shared)")
      ->check(CLI::IsMember({"group"}));
  cmd->callback([options, &globals] { run_init(globals, *options); });
}

}  // namespace pm::cli
