#include "pm/domain/user_config.hpp"

#include <algorithm>
#include <cstdlib>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "pm/util/check.hpp"
#include "pm/util/error.hpp"

namespace fs = std::filesystem;

namespace pm {

namespace {

/// A config file is a few lines; anything larger is not one.
constexpr std::size_t k_user_config_limit = 64 * 1024;
/// Directories in `templates_path`: enough for any agency, few enough to list.
constexpr std::size_t k_max_template_dirs = 32;

const char* const k_keys[] = {"templates_path", "mail"};

fs::path home_dir() {
  const char* home = std::getenv("HOME");
  return home != nullptr && *home != '\0' ? fs::path(home) : fs::path();
}

/// One `templates_path` entry: `~/` is HOME, a relative one is relative to the config's dir.
fs::path template_dir(const std::string& entry, const fs::path& file, int line) {
  std::string where = fmt::format("{}:{}: templates_path", file.string(), line);
  if (entry.empty()) {
    throw Error(where + ": an entry is empty; give a directory of templates");
  }
  check_line(where, entry);
  if (entry == "~" || entry.rfind("~/", 0) == 0) {
    fs::path home = home_dir();
    if (home.empty()) {
      throw Error(fmt::format("{}: '{}' starts with ~, but HOME is not set; write the full path",
                              where, entry));
    }
    return entry.size() <= 2 ? home : home / entry.substr(2);
  }
  fs::path dir(entry);
  return dir.is_absolute() ? dir : file.parent_path() / dir;
}

}  // namespace

fs::path user_config_path() {
  const char* config = std::getenv("XDG_CONFIG_HOME");
  if (config != nullptr && *config != '\0' && fs::path(config).is_absolute()) {
    return fs::path(config) / "pm" / "config.yaml";
  }
  fs::path home = home_dir();
  return home.empty() ? fs::path() : home / ".config" / "pm" / "config.yaml";
}

UserConfig load_user_config(const fs::path& file) {
  UserConfig out;
  std::error_code ec;
  if (file.empty() || !fs::exists(file, ec)) {
    return out;
  }
  out.file = file;
  const std::string name = file.string();
  std::string content = read_file_limited(file, k_user_config_limit, name);
  check_file_text(name, content);
  YAML::Node root;
  try {
    root = YAML::Load(content);
  } catch (const YAML::Exception& e) {
    throw Error(fmt::format("{}:{}: malformed YAML: {}", name, e.mark.line + 1, e.msg));
  }
  if (!root || root.IsNull()) {
    return out;
  }
  if (!root.IsMap()) {
    throw Error(fmt::format("{}: the user config is a YAML map, such as "
                            "'templates_path: ~/agency-templates'",
                            name));
  }
  for (const auto& item : root) {
    std::string key = item.first.IsScalar() ? item.first.Scalar() : "";
    if (std::find(std::begin(k_keys), std::end(k_keys), key) == std::end(k_keys)) {
      throw Error(fmt::format("{}:{}: unknown key '{}'; the user config knows: templates_path, mail",
                              name, item.first.Mark().line + 1, printable_line(key)));
    }
  }
  if (const YAML::Node mail = static_cast<const YAML::Node&>(root)["mail"]; mail) {
    const YAML::Node command = mail.IsMap() ? mail["command"] : YAML::Node();
    if (!mail.IsMap() || mail.size() != 1 || !command || !command.IsScalar()) {
      throw Error(fmt::format("{}:{}: mail is a map with one key, command: the program that "
                              "sends a message, e.g. 'mail: {{command: msmtp -t -a work}}'",
                              name, mail.Mark().line + 1));
    }
    out.mail_command = command.Scalar();
    check_line(fmt::format("{}:{}: mail.command", name, command.Mark().line + 1),
               out.mail_command);
  }
  const YAML::Node path = static_cast<const YAML::Node&>(root)["templates_path"];
  if (!path) {
    return out;
  }
  int line = path.Mark().line + 1;
  if (path.IsScalar()) {
    out.templates_path.push_back(template_dir(path.Scalar(), file, line));
  } else if (path.IsSequence()) {
    for (const auto& item : path) {
      if (!item.IsScalar()) {
        throw Error(fmt::format("{}:{}: templates_path: each entry is a directory, not a list "
                                "or a map",
                                name, item.Mark().line + 1));
      }
      out.templates_path.push_back(template_dir(item.Scalar(), file, item.Mark().line + 1));
    }
  } else if (!path.IsNull()) {
    throw Error(fmt::format("{}:{}: templates_path is a directory or a list of them", name, line));
  }
  if (out.templates_path.size() > k_max_template_dirs) {
    throw Error(fmt::format("{}:{}: templates_path names {} directories; at most {} are searched",
                            name, line, out.templates_path.size(), k_max_template_dirs));
  }
  return out;
}

}  // namespace pm
