// pm init [DIR]: create .pm/ with project.yaml and an empty ledger.
#include <cstdio>
#include <filesystem>

#include <fmt/format.h>

#include "cli/cli.hpp"
#include "pm/domain/project.hpp"
#include "pm/domain/project_calendar.hpp"
#include "pm/domain/project_check.hpp"
#include "pm/domain/project_ledger.hpp"
#include "pm/domain/registry.hpp"
#include "pm/util/error.hpp"
#include "pm/util/git_config.hpp"

namespace pm::cli {

namespace {

/// The nearest existing directory at or above `dir`: git's config is read from there when the
/// project's directory is still to be created.
std::filesystem::path existing_ancestor(std::filesystem::path dir) {
  std::error_code ec;
  dir = std::filesystem::absolute(dir).lexically_normal();
  while (!std::filesystem::is_directory(dir, ec) && dir.has_parent_path() &&
         dir != dir.parent_path()) {
    dir = dir.parent_path();
  }
  return dir;
}

/// The manager signs every letter and is its From: taken from the options, else from git's
/// user.name and user.email.
void default_manager(Person& manager, const std::filesystem::path& root) {
  std::filesystem::path cwd = existing_ancestor(root);
  if (manager.name.empty()) {
    manager.name = git_config_value("user", "name", cwd);
  }
  if (manager.email.empty()) {
    manager.email = git_config_value("user", "email", cwd);
  }
  manager.side = "team";
}

/// Without a manager no letter can be written, so init fails before it creates anything.
void require_manager(const Person& manager) {
  if (manager.name.empty() && manager.email.empty()) {
    throw Error("pm init needs the manager, who signs every letter: pass --manager NAME and "
                "--email ADDRESS (or set git config --global user.name and user.email)");
  }
  if (manager.email.empty()) {
    throw Error("pm init needs the manager's address, the From of every letter: pass --email "
                "ADDRESS (or set git config --global user.email)");
  }
  if (manager.name.empty()) {
    throw Error("pm init needs the manager's name, which signs every letter: pass --manager NAME "
                "(or set git config --global user.name)");
  }
}

/// --calendar FILE: the .ics file, checked, as project.yaml keeps it: relative to .pm/.
std::string ics_path(const std::string& given, const Globals& globals,
                     const std::filesystem::path& root) {
  check_config_value(ConfigType::calendar, "--calendar", given);
  std::filesystem::path file(given);
  if (file.is_relative() && !globals.directory.empty()) {
    file = std::filesystem::path(globals.directory) / file;
  }
  std::error_code ec;
  if (!std::filesystem::is_regular_file(file, ec)) {
    throw Error(fmt::format("--calendar {}: no such file; give ru, none or the path of an .ics "
                            "file of holidays",
                            given));
  }
  read_ics_holidays(file);  // a calendar that cannot be read is refused now, not on first use
  file = std::filesystem::absolute(file).lexically_normal();
  std::filesystem::path dir = (std::filesystem::absolute(root) / ".pm").lexically_normal();
  return file.lexically_relative(dir).string();
}

struct InitOptions {
  std::string dir;
  ProjectConfig config;
  std::string server;  ///< --ledger URL
  bool local = false;  ///< --local
};

void run_init(const Globals& globals, InitOptions options) {
  std::filesystem::path root = options.dir.empty() ? start_directory(globals) : options.dir;
  if (!globals.directory.empty() && !options.dir.empty() &&
      std::filesystem::path(options.dir).is_relative()) {
    root = std::filesystem::path(globals.directory) / options.dir;
  }
  // A second init fails on that before it asks for anything else.
  ensure_no_project(root);
  ProjectConfig& c = options.config;
  default_manager(c.manager, root);
  if (c.name.empty()) {
    c.name = std::filesystem::absolute(root).lexically_normal().filename().string();
    if (c.name.empty()) {
      c.name = std::filesystem::absolute(root).lexically_normal().parent_path().filename().string();
    }
  }
  if (c.timezone.empty()) {
    c.timezone = system_zone_name();
  }
  if (c.calendar.empty()) {
    c.calendar = default_calendar(c.timezone);  // ru in Russia's zones, else none
  } else if (c.calendar != "ru" && c.calendar != "none") {
    c.calendar = ics_path(c.calendar, globals, root);
  }
  // What was given is checked first, so a mistyped option is named before a missing one.
  validate_config(c);
  require_manager(c.manager);
  // On a server (--ledger, else PM_LEDGER_URL, unless --local): the project is made there
  // first, under a new key, so a project.yaml never names a project the server lacks.
  std::optional<std::string> server = options.server;
  if (options.server.empty()) {
    server = options.local ? std::nullopt : default_server_url();
  } else {
    check_server_url(options.server, "--ledger");
  }
  if (server) {
    c.ledger = ServerLocation{*server, new_project_key(c.name)}.text();
    ServerLocation at = *project_server(c);
    auto connection = connect_server(at.url);
    if (!connection->create_project(at.key, config_to_yaml(c))) {
      throw_server_error(*connection, at.where(), "create the project on");
    }
  }
  ProjectPaths paths = init_project(root, c);
  note(globals, fmt::format("Created project '{}' in {}{}", c.name, paths.dir().string(),
                            server ? fmt::format("; its ledger is on {}",
                                                 project_server(c)->where())
                                   : std::string()));
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
  cmd->add_option("--manager", options->config.manager.name, "The manager's name (default: git's user.name)");
  cmd->add_option("--email", options->config.manager.email, "The manager's email address (default: git's user.email)");
  cmd->add_option("--lang", options->config.language, "The client's language")
      ->check(CLI::IsMember({"en", "ru"}))
      ->default_str("en");
  cmd->add_option("--tz", options->config.timezone,
                  "IANA time zone, e.g. Europe/Moscow (default: the system's)");
  cmd->add_option("--deadline", options->config.deadline, "Project deadline, YYYY-MM-DD");
  cmd->add_option("--calendar", options->config.calendar,
                  "Working calendar: ru (the Russian production calendar), none (weekends "
                  "only) or an .ics file of holidays (default: ru in Russia's time zones, else "
                  "none)")
      ->option_text("ru|none|FILE");
  cmd->add_option("--shared", options->config.shared,
                  "group: the group reads the project's files and writes its ledger "
                  "(project.yaml's shared)")
      ->check(CLI::IsMember({"group"}));
  cmd->add_option("--ledger", options->server,
                  "Keep the ledger on this server, postgresql://HOST/DATABASE (default: "
                  "PM_LEDGER_URL when set; docs/server.md)")
      ->option_text("URL");
  cmd->add_flag("--local", options->local,
                "Keep the ledger in .pm/ledger.db even when PM_LEDGER_URL is set");
  cmd->callback([options, &globals] { run_init(globals, *options); });
}

}  // namespace pm::cli
