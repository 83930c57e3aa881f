#include "pm/domain/project.hpp"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <sstream>
#include <system_error>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "pm/domain/project_check.hpp"
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

// load_config reads a file check_project_yaml has passed: every value has its type.
std::string scalar(const YAML::Node& parent, const char* key, const std::string& fallback = "") {
  YAML::Node node = parent[key];
  return node && !node.IsNull() ? node.Scalar() : fallback;
}

std::vector<std::string> list(const YAML::Node& parent, const char* key) {
  std::vector<std::string> out;
  if (YAML::Node node = parent[key]; node && node.IsSequence()) {
    for (const auto& item : node) {
      out.push_back(item.Scalar());
    }
  }
  return out;
}

Person person(const YAML::Node& node, const std::string& side) {
  Person p;
  p.name = scalar(node, "name");
  p.email = scalar(node, "email");
  p.side = scalar(node, "side", side);
  p.roles = list(node, "roles");
  p.greeting = scalar(node, "greeting");
  return p;
}

MeetingSchedule meeting_schedule(const YAML::Node& node) {
  // check_project_yaml has passed every value: the parses below cannot fail.
  MeetingSchedule m;
  m.title = scalar(node, "title");
  m.every = scalar(node, "every", m.every);
  parse_every(m.every, m);
  m.day = scalar(node, "day", m.day);
  m.weekday = parse_weekday(m.day).value_or(date::Tuesday);
  const std::string time = scalar(node, "time", "11:00");
  m.hour = std::stoi(time.substr(0, 2));
  m.minute = std::stoi(time.substr(3, 2));
  m.duration_minutes = std::stoi(scalar(node, "duration", "60"));
  m.from = scalar(node, "from");
  return m;
}

void emit_meeting(YAML::Emitter& out, const MeetingSchedule& m) {
  out << YAML::Flow << YAML::BeginMap << YAML::Key << "title" << YAML::Value << m.title;
  out << YAML::Key << "every" << YAML::Value << m.every;
  out << YAML::Key << "day" << YAML::Value << m.day;
  out << YAML::Key << "time" << YAML::Value << YAML::DoubleQuoted
      << fmt::format("{:02}:{:02}", m.hour, m.minute);
  out << YAML::Key << "duration" << YAML::Value << m.duration_minutes;
  if (!m.from.empty()) {
    out << YAML::Key << "from" << YAML::Value << m.from;
  }
  out << YAML::EndMap;
}

void emit_person(YAML::Emitter& out, const Person& p, bool with_side) {
  out << YAML::BeginMap << YAML::Key << "name" << YAML::Value << p.name;
  out << YAML::Key << "email" << YAML::Value << p.email;
  if (with_side) {
    out << YAML::Key << "side" << YAML::Value << p.side;
    out << YAML::Key << "roles" << YAML::Value << YAML::Flow << p.roles;
  } else if (!p.roles.empty()) {
    out << YAML::Key << "roles" << YAML::Value << YAML::Flow << p.roles;
  }
  if (!p.greeting.empty()) {
    out << YAML::Key << "greeting" << YAML::Value << p.greeting;
  }
  out << YAML::EndMap;
}

}  // namespace

ProjectPaths find_project(const fs::path& start) {
  if (const char* env = std::getenv("PM_DIR"); env != nullptr && *env != '\0') {
    // A path, which may hold a line break (a hook quotes it as one word); bounded in size.
    if (std::strlen(env) > k_line_limit) {
      throw Error(fmt::format("PM_DIR is longer than {} bytes; set it to the project's directory",
                              k_line_limit),
                  Exit::usage);
    }
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
  check_project_yaml(file, root);
  ProjectConfig c;
  c.name = scalar(root, "name");
  c.client = scalar(root, "client");
  c.language = scalar(root, "language", c.language);
  c.timezone = scalar(root, "timezone", c.timezone);
  c.deadline = scalar(root, "deadline");
  c.shared = scalar(root, "shared");
  c.ledger = scalar(root, "ledger");
  c.currency = scalar(root, "currency");
  c.html = parse_config_boolean(scalar(root, "html", "false")).value_or(false);
  c.calendar = scalar(root, "calendar");
  c.holidays = list(root, "holidays");
  c.workdays = list(root, "workdays");
  for (auto& ch : c.currency) {
    ch = static_cast<char>(ch >= 'a' && ch <= 'z' ? ch - 'a' + 'A' : ch);
  }
  if (YAML::Node roles = root["roles"]; roles && roles.IsMap()) {
    for (const auto& item : roles) {
      c.roles.push_back(RoleLabel{item.first.Scalar(), scalar(item.second, "en"),
                                  scalar(item.second, "ru")});
    }
  }
  if (YAML::Node m = root["manager"]; m && m.IsMap()) {
    c.manager = person(m, "team");
  }
  c.manager.side = "team";
  if (YAML::Node days = root["working_days"]; days && days.IsSequence()) {
    c.working_days = list(root, "working_days");
  }
  if (YAML::Node h = root["working_hours"]; h && h.IsMap()) {
    c.working_hours_start = scalar(h, "start", c.working_hours_start);
    c.working_hours_end = scalar(h, "end", c.working_hours_end);
  }
  if (YAML::Node m = root["mail"]; m && m.IsMap()) {
    c.mail_command = scalar(m, "command", "");
  }
  if (YAML::Node s = root["sla"]; s && s.IsMap()) {
    c.sla_reply_hours = std::stoi(scalar(s, "reply_within_hours", std::to_string(c.sla_reply_hours)));
    c.sla_status_every_days = std::stoi(scalar(s, "status_every_days", std::to_string(c.sla_status_every_days)));
  }
  if (YAML::Node k = root["kpi"]; k && k.IsMap()) {
    for (const auto& item : k) {
      if (item.second.IsScalar()) {
        c.kpi[item.first.Scalar()] = std::stoi(item.second.Scalar());
      }
    }
  }
  c.confirm_within = std::stoi(scalar(root, "confirm_within", std::to_string(c.confirm_within)));
  if (YAML::Node people = root["people"]; people && people.IsSequence()) {
    for (const auto& node : people) {
      c.people.push_back(person(node, "client"));
    }
  }
  if (YAML::Node meetings = root["meetings"]; meetings && meetings.IsSequence()) {
    for (const auto& node : meetings) {
      c.meetings.push_back(meeting_schedule(node));
    }
  }
  return c;
}

void validate_config(const ProjectConfig& c) {
  // The same checks as project.yaml's (check_config_value), for settings that come from the
  // command line (pm init, pm people add).
  if (c.name.empty()) {
    throw Error("the project has no name; set it with --name");
  }
  check_config_value(ConfigType::language, "language", c.language);
  check_config_value(ConfigType::zone, "timezone", c.timezone);
  if (!c.deadline.empty()) {
    check_config_value(ConfigType::date, "deadline", c.deadline);
  }
  check_config_value(ConfigType::email, "manager.email", c.manager.email);
  if (!c.shared.empty() && c.shared != "group") {
    throw Error(fmt::format("shared: '{}' is not a sharing mode; use group (the group reads the "
                            "project's files and writes the ledger) or leave it out",
                            c.shared));
  }
  for (const auto& day : c.working_days) {
    check_config_value(ConfigType::weekdays, "working_days", day);
  }
  if (!c.currency.empty()) {
    check_config_value(ConfigType::currency, "currency", c.currency);
  }
  if (!c.calendar.empty()) {
    check_config_value(ConfigType::calendar, "calendar", c.calendar);
  }
  for (const auto& day : c.holidays) {
    check_config_value(ConfigType::dates, "holidays", day);
  }
  for (const auto& day : c.workdays) {
    check_config_value(ConfigType::dates, "workdays", day);
  }
  for (const auto& p : c.people) {
    check_config_value(ConfigType::side, "side", p.side);
    for (const auto& role : p.roles) {
      check_config_value(ConfigType::roles, "roles", role);
    }
    check_config_value(ConfigType::email, "email", p.email);
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
  if (!c.mail_command.empty()) {
    out << YAML::Key << "mail" << YAML::Value << YAML::BeginMap << YAML::Key << "command"
        << YAML::Value << c.mail_command << YAML::EndMap;
  }
  if (!c.kpi.empty()) {
    out << YAML::Key << "kpi" << YAML::Value << YAML::BeginMap;
    for (const auto& [key, target] : c.kpi) {
      out << YAML::Key << key << YAML::Value << target;
    }
    out << YAML::EndMap;
  }
  out << YAML::Key << "confirm_within" << YAML::Value << c.confirm_within;
  if (!c.shared.empty()) {
    out << YAML::Key << "shared" << YAML::Value << c.shared;
  }
  if (!c.ledger.empty()) {
    out << YAML::Key << "ledger" << YAML::Value << c.ledger;
  }
  if (!c.currency.empty()) {
    out << YAML::Key << "currency" << YAML::Value << c.currency;
  }
  if (c.html) {
    out << YAML::Key << "html" << YAML::Value << true;
  }
  if (!c.calendar.empty()) {
    out << YAML::Key << "calendar" << YAML::Value << c.calendar;
  }
  if (!c.holidays.empty()) {
    out << YAML::Key << "holidays" << YAML::Value << YAML::Flow << c.holidays;
  }
  if (!c.workdays.empty()) {
    out << YAML::Key << "workdays" << YAML::Value << YAML::Flow << c.workdays;
  }
  if (!c.roles.empty()) {
    out << YAML::Key << "roles" << YAML::Value << YAML::BeginMap;
    for (const auto& r : c.roles) {
      out << YAML::Key << r.role << YAML::Value << YAML::Flow << YAML::BeginMap;
      if (!r.en.empty()) {
        out << YAML::Key << "en" << YAML::Value << r.en;
      }
      if (!r.ru.empty()) {
        out << YAML::Key << "ru" << YAML::Value << r.ru;
      }
      out << YAML::EndMap;
    }
    out << YAML::EndMap;
  }
  if (!c.meetings.empty()) {
    out << YAML::Key << "meetings" << YAML::Value << YAML::BeginSeq;
    for (const auto& m : c.meetings) {
      emit_meeting(out, m);
    }
    out << YAML::EndSeq;
  }
  out << YAML::Key << "people" << YAML::Value << YAML::BeginSeq;
  for (const auto& p : c.people) {
    emit_person(out, p, true);
  }
  out << YAML::EndSeq;
  out << YAML::EndMap;
  return "# pm project settings; every key is described in docs/project-yaml.md\n" +
         std::string(out.c_str()) + "\n";
}

unsigned ledger_file_mode(const ProjectConfig& config) {
  return config.shared == "group" ? 0660 : k_private_file_mode;
}

unsigned project_file_mode(const ProjectConfig& config) {
  return config.shared == "group" ? 0640 : k_private_file_mode;
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

namespace pm {

bool is_role_name(std::string_view role) {
  // Lowercase Latin, digits and '-'; lowercase Cyrillic а..я (D0 B0..D0 BF, D1 80..D1 8F) and ё
  // (D1 91). The first character is a letter.
  if (role.empty() || role.size() > 64) {
    return false;
  }
  for (std::size_t i = 0; i < role.size();) {
    const auto c = static_cast<unsigned char>(role[i]);
    const bool latin = c >= 'a' && c <= 'z';
    if (latin || (i != 0 && ((c >= '0' && c <= '9') || c == '-'))) {
      ++i;
      continue;
    }
    if (i + 1 < role.size()) {
      const auto d = static_cast<unsigned char>(role[i + 1]);
      if ((c == 0xD0 && d >= 0xB0 && d <= 0xBF) ||
          (c == 0xD1 && ((d >= 0x80 && d <= 0x8F) || d == 0x91))) {
        i += 2;
        continue;
      }
    }
    return false;
  }
  return true;
}

std::string role_label(const ProjectConfig& config, const std::string& role,
                       std::string_view language) {
  const bool ru = language == "ru";
  for (const auto& r : config.roles) {
    if (r.role == role && !(ru ? r.ru : r.en).empty()) {
      return ru ? r.ru : r.en;
    }
  }
  // A person's role as a client reads it next to their name: "Olga Smirnova, finance contact".
  static const std::vector<RoleLabel> k_labels = {
      {"manager", "project manager", "руководитель проекта"},
      {"approver", "approver", "согласующий"},
      {"technical", "technical contact", "технический специалист"},
      {"finance", "finance contact", "контактное лицо по оплате"},
      {"sponsor", "project sponsor", "спонсор проекта"},
      {"lead", "team lead", "руководитель группы"},
      {"developer", "developer", "разработчик"},
      {"designer", "designer", "дизайнер"},
      {"analyst", "analyst", "аналитик"},
      {"qa", "QA engineer", "тестировщик"},
      {"tester", "QA engineer", "тестировщик"},
      {"account", "account manager", "аккаунт-менеджер"},
      {"contact", "contact person", "контактное лицо"},
      {"legal", "legal counsel", "юрист"},
      {"owner", "product owner", "владелец продукта"},
  };
  for (const auto& r : k_labels) {
    if (r.role == role) {
      return ru ? r.ru : r.en;
    }
  }
  return role;
}

const Person* find_person(const ProjectConfig& config, const std::string& who) {
  auto lower = [](std::string s) {
    for (char& c : s) {
      c = c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
    }
    return s;
  };
  for (const auto& p : config.people) {
    if (p.name == who || (!p.email.empty() && lower(p.email) == lower(who))) {
      return &p;
    }
  }
  for (const auto& p : config.people) {
    if (lower(p.name) == lower(who) || (!p.greeting.empty() && p.greeting == who)) {
      return &p;
    }
  }
  // One word of a name ("Ivan", "петров"), when it names one person only.
  const std::string word = fold_case(who);
  const Person* found = nullptr;
  for (const auto& p : config.people) {
    const std::string name = fold_case(p.name);
    std::size_t start = 0;
    bool match = false;
    while (!word.empty() && word.find(' ') == std::string::npos && start <= name.size()) {
      std::size_t end = name.find(' ', start);
      if (end == std::string::npos) {
        end = name.size();
      }
      match = match || name.compare(start, end - start, word) == 0;
      start = end + 1;
    }
    if (match) {
      if (found != nullptr) {
        return nullptr;
      }
      found = &p;
    }
  }
  return found;
}

}  // namespace pm
