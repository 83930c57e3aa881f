// pm people [add]: who is who on both sides; letters are addressed from this list.
#include <algorithm>

#include <fmt/format.h>

#include "cli/cli.hpp"
#include "pm/util/error.hpp"
#include "pm/mail/message.hpp"
#include "pm/util/text.hpp"

namespace pm::cli {

namespace {

struct PeopleOptions {
  std::string who;
  std::string side = "client";
  std::vector<std::string> roles;
  std::string greeting;
  bool json = false;
};

void run_add(const Globals& globals, const PeopleOptions& options) {
  Session session = open_session(globals);
  Mailbox box = parse_mailbox(options.who);
  if (box.name.empty()) {
    throw Error(fmt::format("'{}' has no name; write it as \"NAME <ADDRESS>\"", options.who));
  }
  auto& people = session.config.people;
  auto same = std::find_if(people.begin(), people.end(),
                           [&](const Person& p) { return p.email == box.address; });
  if (same != people.end()) {
    // One person, several roles: adding again merges the roles.
    if (same->side != options.side) {
      throw Error(fmt::format("{} is already on the {} side; edit .pm/project.yaml to move them",
                              box.address, same->side));
    }
    for (const auto& role : options.roles) {
      if (std::find(same->roles.begin(), same->roles.end(), role) == same->roles.end()) {
        same->roles.push_back(role);
      }
    }
    same->name = box.name;
    if (!options.greeting.empty()) {
      same->greeting = options.greeting;
    }
  } else {
    people.push_back(Person{box.name, box.address, options.side, options.roles, options.greeting});
  }
  validate_config(session.config);
  write_file_atomic(session.paths.config(), config_to_yaml(session.config),
                    project_file_mode(session.config));
  note(globals, fmt::format("{} <{}> is on the {} side{}", box.name, box.address, options.side,
                            options.roles.empty() ? "" : " as " + join(options.roles)));
}

void run_list(const Globals& globals, const PeopleOptions& options) {
  Session session = open_session(globals);
  const ProjectConfig& c = session.config;
  if (options.json) {
    Json out;
    out["version"] = 1;
    out["manager"] = {{"name", c.manager.name}, {"email", c.manager.email}};
    out["people"] = Json::array();
    for (const auto& p : c.people) {
      out["people"].push_back(
          {{"name", p.name},
           {"email", p.email},
           {"side", p.side},
           {"roles", p.roles},
           {"greeting", p.greeting.empty() ? Json(nullptr) : Json(p.greeting)}});
    }
    emit(dump_json(out, 2) + "\n", "");
    return;
  }
  std::vector<std::vector<std::string>> rows;
  rows.push_back({"team", c.manager.name, c.manager.email, "manager"});
  for (const auto& side : k_sides) {
    for (const auto& p : c.people) {
      if (p.side == side) {
        rows.push_back({p.side, p.name, p.email, join(p.roles)});
      }
    }
  }
  print_table({"SIDE", "NAME", "EMAIL", "ROLES"}, rows);
  if (c.people.empty()) {
    std::printf("\nNo one else yet: pm people add \"NAME <ADDRESS>\" --side client --role approver\n");
  }
}

}  // namespace

void setup_people(CLI::App& app, const Globals& globals) {
  auto options = std::make_shared<PeopleOptions>();
  CLI::App* cmd = app.add_subcommand("people", "List the people on both sides (or add one)");
  cmd->add_flag("--json", options->json, "JSON for scripts");
  CLI::App* add = cmd->add_subcommand("add", "Add a person, or give an existing one more roles");
  add->add_option("who", options->who, "\"NAME <ADDRESS>\"")->required();
  add->add_option("--side", options->side, "client or team")
      ->check(CLI::IsMember(k_sides))
      ->default_str("client");
  add->add_option("--role", options->roles,
                  "Role (repeatable): approver, technical, finance, sponsor, or your own "
                  "(a lowercase word, Latin or Cyrillic; label it in project.yaml roles:)")
      ->option_text("ROLE");
  add->add_option("--greeting", options->greeting,
                  "The name letters greet them by (\"Иван Петрович\", \"Ivan\"); default: NAME")
      ->option_text("NAME");
  add->callback([options, &globals] { run_add(globals, *options); });
  cmd->callback([cmd, add, options, &globals] {
    if (!cmd->got_subcommand(add)) {
      run_list(globals, *options);
    }
  });
}

}  // namespace pm::cli
