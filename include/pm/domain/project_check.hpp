#pragma once
// What project.yaml may hold: one table of its keys (docs/project-yaml.md matches it), and the
// check that names the file, the line, what is wrong and how to fix it.
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace YAML {
class Node;
}

namespace pm {

/// How a key's value is checked.
enum class ConfigType {
  text,         ///< a single value
  map,          ///< a map of the keys named PATH.KEY in the table
  people,       ///< a list of maps of the keys named people[].KEY
  weekdays,     ///< a list of mon ... sun
  roles,        ///< a list of lowercase words
  integer,      ///< a whole number from `min` to `max`
  time_of_day,  ///< HH:MM, 00:00 to 23:59
  date,         ///< YYYY-MM-DD, a day that exists
  zone,         ///< an IANA time zone name
  language,     ///< en or ru
  email,        ///< an email address
  side,         ///< client or team
  shared,       ///< group
  currency,     ///< an ISO 4217 code
  role_labels,  ///< a map of ROLE: {en: LABEL, ru: LABEL}
  calendar,     ///< ru, none, or the path of an .ics file
  dates,        ///< a list of YYYY-MM-DD dates that exist
  meetings,     ///< a list of maps of the keys named meetings[].KEY
  frequency,    ///< week, 2 weeks, month, ... (meetings[].every)
  weekday,      ///< one of mon ... sun
  boolean,      ///< true or false
  ledger,       ///< postgresql://HOST/DATABASE#KEY, without a password
};

/// One key of project.yaml. `path` joins nested keys with '.', and names a person's keys
/// `people[].KEY` (the manager's are `manager.KEY`).
struct ConfigKey {
  std::string_view path;
  ConfigType type;
  std::string_view meaning;  ///< one line, as in docs/project-yaml.md
  int min = 0;               ///< integer keys: the smallest value
  int max = 0;               ///< integer keys: the largest value
};

/// Every key project.yaml may hold; any other key is an error.
const std::vector<ConfigKey>& config_keys();

/// A boolean of project.yaml, as YAML 1.2's core schema reads one (true, True, TRUE, false,
/// False, FALSE); nullopt for anything else.
std::optional<bool> parse_config_boolean(std::string_view value);

/// Checks one single value of `type` (not maps or lists); throws pm::Error saying what is wrong
/// with `key` and how to fix it, without a location.
void check_config_value(ConfigType type, std::string_view key, const std::string& value,
                        int min = 0, int max = 0);

/// Checks the parsed project.yaml against config_keys(): unknown keys (with the nearest known
/// one), keys given twice, types, ranges, working hours that end before they start, people
/// without a name or an address. Throws pm::Error starting "FILE:LINE: ".
void check_project_yaml(const std::filesystem::path& file, const YAML::Node& root);

}  // namespace pm
