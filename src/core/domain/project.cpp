#include "pm/domain/project.hpp"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <sstream>
#include <system_error>
#include <unistd.h>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "pm/util/check.hpp"
#include "pm/util/error.hpp"
#include "pm/storage/ledger.hpp"
#include "pm/util/mailbox.hpp"
#include "pm/time/time.hpp"
#include "pm/util/text.hpp"

namespace fs = std::filesystem;

namespace pm {

const std::vector<std::string> k_sides = {"client", "team"};
const std::vector<std::string> k_known_roles = {"approver", "technical", "finance", "sponsor"};
const std::vector<std::string> k_languages = {"en", "ru"};

namespace {

const std::vector<std::string> k_weekdays = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

std::string where(const fs::path& file, const YAML::Node& node) {
  return fmt::format("{}:{}", file.string(), node.Mark().line + 1);
}

std::string scalar(const fs::path& file, const YAML::Node& parent, const char* key,
                   const std::string& fallback = "") {
  YAML::Node node = parent[key];
  if (!node || node.IsNull()) {
    return fallback;
  }
  if (!node.IsScalar()) {
    throw Error(fmt::format("{}: '{}' must be a single value", where(file, node), key));
  }
  return node.as<std::string>();
}

int integer(const fs::path& file, const YAML::Node& parent, const char* key, int fallback) {
  std::string text = scalar(file, parent, key);
  if (text.empty()) {
    return fallback;
  }
  try {
    std::size_t used = 0;
    int value = std::stoi(text, &used);
    if (used == text.size() && value > 0) {
      return value;
    }
  } catch (const std::exception&) {
  }
  throw Error(fmt::format("{}: '{}' must be a positive whole number, not '{}'",
                          where(file, parent[key]), key, text));
}

std::vector<std::string> list(const fs::path& file, const YAML::Node& parent, const char* key) {
  std::vector<std::string> out;
  YAML::Node node = parent[key];
  if (!node || node.IsNull()) {
    return out;
  }
  if (node.IsScalar()) {
    out.push_back(node.as<std::string>());
    return out;
  }
  if (!node.IsSequence()) {
    throw Error(fmt::format("{}: '{}' must be a list", where(file, node), key));
  }
  for (const auto& item : node) {
    out.push_back(item.as<std::string>());
  }
  return out;
}

Person person(const fs::path& file, const YAML::Node& node, const std::string& side) {
  Person p;
  p.name = scalar(file, node, "name");
  p.email = scalar(file, node, "email");
  p.side = scalar(file, node, "side", side);
  p.roles = list(file, node, "roles");
  if (p.name.empty() && p.email.empty()) {
    throw Error(fmt::format("{}: a person needs at least a name or an email", where(file, node)));
  }
  return p;
}

void emit_person(YAML::Emitter& out, const Person& p, bool with_side) {
  out << YAML::BeginMap << YAML::Key << "name" << YAML::Value << p.name;
  out << YAML::Key << "email" << YAML::Value << p.email;
  if (with_side) {
    out << YAML::Key << "side" << YAML::Value << p.side;
    out << YAML::Key << "roles" << YAML::Value << YAML::Flow << p.roles;
  }
  out << YAML::EndMap;
}

}  // namespace

ProjectPaths find_project(const fs::path& start) {
  if (const char* env = std::getenv("PM_DIR"); env != nullptr && *env != '\0') {
    check_line("PM_DIR", env, Exit::usage);
    fs::path dir = fs::absolute(env);
    if (dir.filename() == ".pm") {
      dir = dir.parent_path();
    }
    if (fs::is_directory(dir / ".pm")) {
      return ProjectPaths{dir};
    }
    throw Error(fmt::format("PM_DIR={} holds no pm project (.pm/); run 'pm init {}' or unset PM_DIR",
                            env, env),
                Exit::no_project);
  }
  std::error_code ec;
  fs::path dir = fs::absolute(start, ec);
  for (fs::path at = dir; !at.empty(); at = at.parent_path()) {
    if (fs::is_directory(at / ".pm", ec)) {
      return ProjectPaths{at};
    }
    if (at == at.parent_path()) {
      break;
    }
  }
  throw Error(fmt::format("not in a pm project ({} or any parent has no .pm/); run 'pm init' "
                          "to create one, or pass -C DIR",
                          dir.string()),
              Exit::no_project);
}

std::string read_file(const fs::path& file) {
  return read_file_limited(file, k_file_limit, file.string());
}

ProjectConfig load_config(const fs::path& file) {
  YAML::Node root;
  try {
    std::string content = read_file(file);
    check_file_text(file.string(), content);
    root = YAML::Load(content);
  } catch (const YAML::Exception& e) {
    throw Error(fmt::format("{}:{}: malformed YAML: {}; fix the file or re-create it with pm init",
                            file.string(), e.mark.line + 1, e.msg));
  }
  if (!root.IsMap()) {
    throw Error(fmt::format("{}: expected a map of settings (see docs/project-yaml.md)",
                            file.string()));
  }
  try {
    ProjectConfig c;
    c.name = scalar(file, root, "name");
    c.client = scalar(file, root, "client");
    c.language = scalar(file, root, "language", "en");
    c.timezone = scalar(file, root, "timezone", "UTC");
    c.deadline = scalar(file, root, "deadline");
    if (YAML::Node m = root["manager"]; m && m.IsMap()) {
      c.manager = person(file, m, "team");
      c.manager.side = "team";
    }
    if (root["working_days"]) {
      c.working_days = list(file, root, "working_days");
    }
    if (YAML::Node h = root["working_hours"]; h && h.IsMap()) {
      c.working_hours_start = scalar(file, h, "start", c.working_hours_start);
      c.working_hours_end = scalar(file, h, "end", c.working_hours_end);
    }
    if (YAML::Node s = root["sla"]; s && s.IsMap()) {
      c.sla_reply_hours = integer(file, s, "reply_within_hours", c.sla_reply_hours);
      c.sla_status_every_days = integer(file, s, "status_every_days", c.sla_status_every_days);
    }
    if (YAML::Node people = root["people"]; people && people.IsSequence()) {
      for (const auto& node : people) {
        c.people.push_back(person(file, node, "client"));
      }
    }
    try {
      validate_config(c);
    } catch (const Error& e) {
      throw Error(fmt::format("{}: {}", file.string(), e.what()));
    }
    return c;
  } catch (const YAML::Exception& e) {
    throw Error(fmt::format("{}:{}: {}", file.string(), e.mark.line + 1, e.msg));
  }
}

void validate_config(const ProjectConfig& c) {
  if (c.name.empty()) {
    throw Error("the project has no name; set it with --name");
  }
  if (!contains(k_languages, c.language)) {
    throw Error(fmt::format("language '{}' is not supported; use en or ru", c.language));
  }
  find_zone(c.timezone);
  if (!c.deadline.empty()) {
    parse_date(c.deadline, "deadline");
  }
  if (!c.manager.email.empty() && !is_valid_address(c.manager.email)) {
    throw Error(fmt::format("the manager's address '{}' is not a valid email address",
                            c.manager.email));
  }
  for (const auto& day : c.working_days) {
    if (!contains(k_weekdays, day)) {
      throw Error(fmt::format("working day '{}' is not one of mon, tue, wed, thu, fri, sat, sun",
                              day));
    }
  }
  for (const auto& p : c.people) {
    if (!contains(k_sides, p.side)) {
      throw Error(fmt::format("{}: side '{}' must be client or team", p.name, p.side));
    }
    for (const auto& role : p.roles) {
      bool word = !role.empty() && role[0] >= 'a' && role[0] <= 'z' &&
                  std::all_of(role.begin(), role.end(), [](char ch) {
                    return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-';
                  });
      if (!word) {
        throw Error(fmt::format("{}: role '{}' must be a lowercase word such as approver, "
                                "technical, finance or sponsor",
                                p.name, role));
      }
    }
    if (!p.email.empty() && !is_valid_address(p.email)) {
      throw Error(fmt::format("{}: '{}' is not a valid email address", p.name, p.email));
    }
  }
}

std::string config_to_yaml(const ProjectConfig& c) {
  YAML::Emitter out;
  out.SetIndent(2);
  out << YAML::BeginMap;
  out << YAML::Key << "name" << YAML::Value << c.name;
  out << YAML::Key << "client" << YAML::Value << c.client;
  out << YAML::Key << "language" << YAML::Value << c.language;
  out << YAML::Key << "timezone" << YAML::Value << c.timezone;
  out << YAML::Key << "deadline" << YAML::Value;
  if (c.deadline.empty()) {
    out << YAML::Null;
  } else {
    out << c.deadline;
  }
  out << YAML::Key << "manager" << YAML::Value;
  emit_person(out, c.manager, false);
  out << YAML::Key << "working_days" << YAML::Value << YAML::Flow << c.working_days;
  out << YAML::Key << "working_hours" << YAML::Value << YAML::Flow << YAML::BeginMap
      << YAML::Key << "start" << YAML::Value << c.working_hours_start << YAML::Key << "end"
      << YAML::Value << c.working_hours_end << YAML::EndMap;
  out << YAML::Key << "sla" << YAML::Value << YAML::BeginMap << YAML::Key << "reply_within_hours"
      << YAML::Value << c.sla_reply_hours << YAML::Key << "status_every_days" << YAML::Value
      << c.sla_status_every_days << YAML::EndMap;
  out << YAML::Key << "people" << YAML::Value << YAML::BeginSeq;
  for (const auto& p : c.people) {
    emit_person(out, p, true);
  }
  out << YAML::EndSeq << YAML::EndMap;
  return "# pm project settings; every key is described in docs/project-yaml.md\n" +
         std::string(out.c_str()) + "\n";
}

void write_file_atomic(const fs::path& file, const std::string& content) {
  write_file_atomic(file, [&](std::ostream& out) { out << content; });
}

void write_file_atomic(const fs::path& file, const std::function<void(std::ostream&)>& write) {
  fs::path tmp = file;
  tmp += fmt::format(".tmp{}", ::getpid());
  std::error_code ignored;
  try {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) {
      throw Error(fmt::format("cannot write {}: {}", file.string(), std::strerror(errno)));
    }
    write(out);
    out.flush();
    if (!out) {
      throw Error(fmt::format("cannot write {}: {}", file.string(), std::strerror(errno)));
    }
  } catch (...) {
    fs::remove(tmp, ignored);
    throw;
  }
  std::error_code ec;
  fs::rename(tmp, file, ec);
  if (ec) {
    fs::remove(tmp, ec);
    throw Error(fmt::format("cannot write {}: {}", file.string(), ec.message()));
  }
}

ProjectPaths init_project(const fs::path& root, const ProjectConfig& config) {
  ProjectPaths paths{fs::absolute(root)};
  if (fs::exists(paths.dir())) {
    throw Error(fmt::format("a pm project already exists in {}; nothing was changed",
                            paths.root.string()));
  }
  validate_config(config);
  std::error_code ec;
  fs::create_directories(paths.root, ec);
  if (!fs::create_directory(paths.dir(), ec) || ec) {
    throw Error(fmt::format("cannot create {}: {}", paths.dir().string(),
                            ec ? ec.message() : "it already exists"));
  }
  try {
    write_file_atomic(paths.config(), config_to_yaml(config));
    Ledger ledger(paths.ledger().string(), Ledger::Mode::create);
  } catch (...) {
    fs::remove_all(paths.dir(), ec);
    throw;
  }
  return paths;
}

std::vector<Person> people_with_role(const ProjectConfig& config, const std::string& side,
                                     const std::string& role) {
  std::vector<Person> out;
  if (role == "manager") {
    out.push_back(config.manager);
    return out;
  }
  for (const auto& p : config.people) {
    if (p.side == side && contains(p.roles, role)) {
      out.push_back(p);
    }
  }
  return out;
}

}  // namespace pm
