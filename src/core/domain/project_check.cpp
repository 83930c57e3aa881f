// project.yaml checked key by key, and the table of its keys (over 400 lines: the table is one
// list, read whole by the checker, the docs test and pm's help).
#include "pm/domain/project_check.hpp"

#include <algorithm>
#include <set>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "pm/domain/meeting_schedule.hpp"
#include "pm/domain/project.hpp"
#include "pm/storage/replica.hpp"
#include "pm/time/time.hpp"
#include "pm/util/error.hpp"
#include "pm/util/check.hpp"
#include "pm/util/mailbox.hpp"
#include "pm/util/money.hpp"
#include "pm/util/suggest.hpp"
#include "pm/util/text.hpp"

namespace fs = std::filesystem;

namespace pm {

namespace {

const std::vector<std::string> k_weekdays = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
constexpr std::size_t k_max_calendar_dates = 10000;  // lists of days (holidays:, workdays:)

const ConfigKey* find_key(std::string_view path) {
  for (const auto& key : config_keys()) {
    if (key.path == path) {
      return &key;
    }
  }
  return nullptr;
}

std::string child_path(const std::string& prefix, const std::string& key) {
  return prefix.empty() ? key : prefix + "." + key;
}

/// The keys directly under `prefix` ("" for the top level), in table order.
std::vector<std::string> children(const std::string& prefix) {
  std::vector<std::string> out;
  std::string start = prefix.empty() ? "" : prefix + ".";
  for (const auto& key : config_keys()) {
    std::string_view path = key.path;
    if (path.substr(0, start.size()) == start &&
        path.substr(start.size()).find('.') == std::string_view::npos) {
      out.emplace_back(path.substr(start.size()));
    }
  }
  return out;
}


bool is_time_of_day(const std::string& text) {
  auto digit = [&](std::size_t i) { return text[i] >= '0' && text[i] <= '9'; };
  if (text.size() != 5 || text[2] != ':' || !digit(0) || !digit(1) || !digit(3) || !digit(4)) {
    return false;
  }
  return std::stoi(text.substr(0, 2)) <= 23 && std::stoi(text.substr(3, 2)) <= 59;
}

/// Walks project.yaml; every error names the file and the line of the node it is about.
class Checker {
 public:
  explicit Checker(const fs::path& file) : m_file(file) {}

  [[noreturn]] void fail(const YAML::Node& at, const std::string& message) const {
    int line = at.Mark().is_null() ? 1 : at.Mark().line + 1;
    throw Error(fmt::format("{}:{}: {}", m_file.string(), line, message));
  }

  void check_map(const YAML::Node& map, const std::string& prefix) const {
    std::set<std::string> seen;
    for (auto it = map.begin(); it != map.end(); ++it) {
      const YAML::Node key_node = it->first;  // a copy: it-> yields a temporary
      if (!key_node.IsScalar()) {
        fail(key_node, "a key must be a single word such as name or deadline");
      }
      std::string key = key_node.Scalar();
      std::string path = child_path(prefix, key);
      const ConfigKey* row = find_key(path);
      if (row == nullptr) {
        unknown(key_node, prefix, key);
      }
      if (!seen.insert(key).second) {
        fail(key_node, fmt::format("'{}' is given twice; keep one of them", path));
      }
      check_value(*row, it->second, key_node);
    }
  }

 private:
  [[noreturn]] void unknown(const YAML::Node& at, const std::string& prefix,
                            const std::string& key) const {
    std::vector<std::string> known = children(prefix);
    std::string where = prefix.empty()         ? ""
                        : prefix == "people[]" ? " in a person"
                        : prefix == "meetings[]" ? " in a meeting"
                                               : fmt::format(" in '{}'", prefix);
    if (auto suggestion = closest_word(key, known)) {
      // A KPI's key is one of few, each a long word: the list helps more than elsewhere.
      fail(at, fmt::format("unknown key '{}'{}; did you mean '{}'?{}", key, where, *suggestion,
                           prefix == "kpi" ? " The keys here are " + join(known) : ""));
    }
    fail(at, fmt::format("unknown key '{}'{}; the keys here are {} (docs/project-yaml.md)", key,
                         where, join(known)));
  }

  void check_value(const ConfigKey& row, const YAML::Node& value, const YAML::Node& key) const {
    std::string path(row.path);
    if (value.IsNull()) {
      return;  // "key:" or "key: ~" is the same as leaving the key out
    }
    // A value's own mark is where it starts; a key's, for values yaml-cpp left unmarked.
    const YAML::Node& at = value.Mark().is_null() ? key : value;
    switch (row.type) {
      case ConfigType::map:
        if (!value.IsMap()) {
          fail(at, fmt::format("'{}' must be a map of {}, not {}; e.g. {}", path,
                               join(children(path)), shown(value), example(path)));
        }
        check_map(value, path);
        check_whole(path, value);
        return;
      case ConfigType::people:
        if (!value.IsSequence()) {
          fail(at, fmt::format("'{}' must be a list of people, not {}; write each as "
                               "'- {{name: NAME, email: ADDRESS, side: client}}'",
                               path, shown(value)));
        }
        for (const auto& person : value) {
          if (!person.IsMap()) {
            fail(person, fmt::format("each of '{}' must be a map of {}, not {}", path,
                                     join(children("people[]")), shown(person)));
          }
          check_map(person, "people[]");
          check_whole("people[]", person);
        }
        return;
      case ConfigType::meetings:
        if (!value.IsSequence()) {
          fail(at, fmt::format("'{}' must be a list of meetings, not {}; write each as "
                               "'- {{title: Weekly sync, every: week, day: tue, time: \"11:00\"}}'",
                               path, shown(value)));
        }
        for (const auto& meeting : value) {
          if (!meeting.IsMap()) {
            fail(meeting, fmt::format("each of '{}' must be a map of {}, not {}", path,
                                      join(children("meetings[]")), shown(meeting)));
          }
          check_map(meeting, "meetings[]");
          check_whole("meetings[]", meeting);
        }
        return;
      case ConfigType::role_labels:
        if (!value.IsMap()) {
          fail(at, fmt::format("'{}' must be a map of role: {{en: LABEL, ru: LABEL}}, not {}; "
                               "e.g. architect: {{en: solution architect, ru: архитектор}}",
                               path, shown(value)));
        }
        for (auto it = value.begin(); it != value.end(); ++it) {
          const YAML::Node role = it->first;
          const YAML::Node labels = it->second;
          if (!role.IsScalar() || !is_role_name(role.Scalar())) {
            fail(role, fmt::format("'{}': '{}' is not a role name: a lowercase word such as "
                                   "architect or архитектор",
                                   path, role.IsScalar() ? role.Scalar() : "(a list or map)"));
          }
          if (!labels.IsMap()) {
            fail(role, fmt::format("'{}.{}' must be a map of languages to labels, such as "
                                   "{{en: solution architect, ru: архитектор}}",
                                   path, role.Scalar()));
          }
          for (auto l = labels.begin(); l != labels.end(); ++l) {
            const YAML::Node language = l->first;
            if (!language.IsScalar() || !contains(k_languages, language.Scalar())) {
              fail(language, fmt::format("'{}.{}': labels are given for en and ru, not '{}'", path,
                                         role.Scalar(),
                                         language.IsScalar() ? language.Scalar() : "a list"));
            }
            if (!l->second.IsScalar() || l->second.Scalar().empty()) {
              fail(language, fmt::format("'{}.{}.{}' must be the role's name in that language",
                                         path, role.Scalar(), language.Scalar()));
            }
            try {
              check_line(fmt::format("{}.{}.{}", path, role.Scalar(), language.Scalar()),
                         l->second.Scalar());
            } catch (const Error& e) {
              fail(l->second, e.what());
            }
          }
        }
        return;
      case ConfigType::weekdays:
      case ConfigType::roles:
      case ConfigType::dates:
        if (!value.IsSequence()) {
          fail(at, fmt::format("'{}' must be a list such as {}, not {}", path,
                               row.type == ConfigType::weekdays ? "[mon, tue, wed, thu, fri]"
                               : row.type == ConfigType::dates  ? "[2026-12-30, 2027-01-11]"
                                                                : "[approver, finance]",
                               shown(value)));
        }
        if (value.size() > k_max_calendar_dates) {
          fail(at, fmt::format("'{}' lists {} items; at most {} are allowed", path, value.size(),
                               k_max_calendar_dates));
        }
        for (const auto& item : value) {
          scalar(row, item, path);
        }
        return;
      default:
        scalar(row, at, path);
    }
  }

  void scalar(const ConfigKey& row, const YAML::Node& value, const std::string& path) const {
    if (!value.IsScalar()) {
      fail(value, fmt::format("'{}' must be a single value, not a {}", path,
                              value.IsMap() ? "map" : "list"));
    }
    try {
      check_config_value(row.type, path, value.Scalar(), row.min, row.max);
    } catch (const Error& e) {
      fail(value, e.what());
    }
  }

  /// What a map must hold as a whole, beyond each key.
  void check_whole(const std::string& path, const YAML::Node& map) const {
    if (path == "working_hours") {
      std::string start = text(map["start"], "09:00");
      std::string end = text(map["end"], "18:00");
      if (start >= end) {
        fail(map, fmt::format("working_hours: the day must end after it starts, not run from {} "
                              "to {}; e.g. {{start: \"09:00\", end: \"18:00\"}}",
                              start, end));
      }
    }
    if (path == "meetings[]") {
      for (const char* key : {"title", "day", "time"}) {
        if (text(map[key], "").empty()) {
          fail(map, fmt::format("a meeting needs '{}'; e.g. {{title: Weekly sync, every: week, "
                                "day: tue, time: \"11:00\", duration: 60}}",
                                key));
        }
      }
    }
    if (path == "people[]" || path == "manager") {
      if (text(map["name"], "").empty() && text(map["email"], "").empty()) {
        fail(map, fmt::format("{} needs at least a name or an email; add email: ADDRESS",
                              path == "manager" ? "the manager" : "a person"));
      }
    }
  }

  static std::string text(const YAML::Node& node, const std::string& fallback) {
    return node && node.IsScalar() ? node.Scalar() : fallback;
  }

  static std::string shown(const YAML::Node& node) {
    if (node.IsScalar()) {
      return fmt::format("'{}'", node.Scalar());
    }
    return node.IsMap() ? "a map" : "a list";
  }

  static std::string example(const std::string& path) {
    if (path == "working_hours") {
      return "{start: \"09:00\", end: \"18:00\"}";
    }
    if (path == "sla") {
      return "{reply_within_hours: 2, status_every_days: 5}";
    }
    if (path == "mail") {
      return "{command: msmtp -t -a work}";
    }
    if (path == "kpi") {
      return "{deliveries_on_time: 85, escalations: 10}";
    }
    return "{name: NAME, email: ADDRESS}";
  }

  fs::path m_file;
};

}  // namespace

std::optional<bool> parse_config_boolean(std::string_view value) {
  if (value == "true" || value == "True" || value == "TRUE") {
    return true;
  }
  if (value == "false" || value == "False" || value == "FALSE") {
    return false;
  }
  return std::nullopt;
}

const std::vector<ConfigKey>& config_keys() {
  static const std::vector<ConfigKey> keys = {
      {"name", ConfigType::text, "the project's name, used in letter subjects (required)"},
      {"client", ConfigType::text, "the client organisation"},
      {"language", ConfigType::language,
       "the client's language, `en` or `ru`: which built-in letters are used"},
      {"timezone", ConfigType::zone,
       "IANA zone name; dates and weeks are taken in it, times are shown in it"},
      {"deadline", ConfigType::date,
       "the baseline deadline promised to the client, `YYYY-MM-DD`, a day that exists"},
      {"manager", ConfigType::map, "the manager (side `team`): a map of the three keys below"},
      {"manager.name", ConfigType::text, "the manager's name, signing every letter"},
      {"manager.email", ConfigType::email, "the manager's address, the From of every letter"},
      {"manager.roles", ConfigType::roles,
       "the manager's roles in letters' team list (default: `[manager]`)"},
      {"working_days", ConfigType::weekdays, "days the team works, a list of `mon` … `sun`"},
      {"working_hours", ConfigType::map, "the working day, in the project's zone: a map"},
      {"working_hours.start", ConfigType::time_of_day,
       "when the day starts, `HH:MM` from `00:00` to `23:59`"},
      {"working_hours.end", ConfigType::time_of_day, "when the day ends, later than `start`"},
      {"sla", ConfigType::map, "the communication promises: a map of the two keys below"},
      {"sla.reply_within_hours", ConfigType::integer,
       "promised reply time, in working hours, 1 to 168", 1, 168},
      {"sla.status_every_days", ConfigType::integer,
       "a status update at least every N working days, 1 to 365", 1, 365},
      {"mail", ConfigType::map, "how pm send sends: a map of the key below"},
      {"mail.command", ConfigType::text,
       "the program that sends a message given on its stdin, its arguments split at spaces "
       "(`msmtp -t -a work`); default: the user config's `mail.command`, else `sendmail -t -i`"},
      {"confirm_within", ConfigType::integer,
       "working days a client has to object to an agreement before silence confirms it (and "
       "a change waits for a side before pm today names it), 1 to 30; default 2",
       1, 30},
      {"people", ConfigType::people, "everyone on both sides: a list of maps of the keys below"},
      {"people[].name", ConfigType::text, "full name, as letters greet them"},
      {"people[].email", ConfigType::email, "address letters go to"},
      {"people[].side", ConfigType::side, "`client` (the default) or `team`"},
      {"people[].roles", ConfigType::roles,
       "a list of lowercase words (Latin or Cyrillic letters, digits, `-`): `approver`, "
       "`technical`, `finance`, `sponsor`, or a role of your own"},
      {"people[].greeting", ConfigType::text,
       "the name letters greet them by (`Иван Петрович`, `Ivan`); default: the full name"},
      {"roles", ConfigType::role_labels,
       "how letters name roles of your own, per language: `{architect: {en: solution architect, "
       "ru: архитектор}}`"},
      {"html", ConfigType::boolean,
       "`true`: letters as email (`--format eml`, `pm send`) carry an HTML part made from their "
       "Markdown besides the text; `--no-html` leaves it out"},
      {"currency", ConfigType::currency,
       "ISO 4217 code of amounts given without one (`money` variables of letters)"},
      {"ledger", ConfigType::ledger,
       "where the ledger is kept when not in `.pm/ledger.db`: a ledger server, "
       "`postgresql://HOST/DATABASE#KEY` (KEY: the project's on it); no password here, it "
       "belongs in `~/.pgpass` (docs/server.md). Set by `pm ledger move` and `pm ledger join`"},
      {"shared", ConfigType::shared,
       "`group` lets the directory's group read and write the project's files; absent: only you"},
      {"calendar", ConfigType::calendar,
       "the working calendar: `ru` (the Russian production calendar), `none` (working days "
       "only), or an `.ics` file of holidays (a path relative to `.pm/`)"},
      {"holidays", ConfigType::dates, "extra days off, a list of `YYYY-MM-DD` days that exist"},
      {"workdays", ConfigType::dates,
       "extra working days (a working Saturday), a list of `YYYY-MM-DD` days that exist"},
      {"meetings", ConfigType::meetings,
       "the regular meetings agreed with the client: a list of maps of the keys below"},
      {"meetings[].title", ConfigType::text, "the meeting's name, `Weekly sync` (required)"},
      {"meetings[].every", ConfigType::frequency,
       "how often: `week` (the default), `2 weeks`, `month` (its first `day`), `3 months`"},
      {"meetings[].day", ConfigType::weekday, "the weekday, `mon` … `sun` (required)"},
      {"meetings[].time", ConfigType::time_of_day,
       "when it starts in the project's zone, `HH:MM` (required)"},
      {"meetings[].duration", ConfigType::integer, "minutes, 5 to 480 (default 60)", 5, 480},
      {"meetings[].from", ConfigType::date,
       "the first meeting's day, `YYYY-MM-DD`: none before it; anchors `2 weeks`"},
      {"kpi", ConfigType::map, "KPI targets other than the agency's (docs/kpi.md): a map"},
      {"kpi.deliveries_on_time", ConfigType::integer, "percent, 0 to 100; default 90", 0, 100},
      {"kpi.promises_kept", ConfigType::integer, "percent, 0 to 100; default 95", 0, 100},
      {"kpi.replies_within_sla", ConfigType::integer, "percent, 0 to 100; default 90", 0, 100},
      {"kpi.escalations", ConfigType::integer, "percent at most, 0 to 100; default 5", 0, 100},
      {"kpi.repeat_communication", ConfigType::integer, "percent, 0 to 100; default 40", 0, 100},
      {"kpi.nps", ConfigType::integer, "the lowest NPS met, -100 to 100; default 40", -100, 100},
      {"kpi.letters_from_templates", ConfigType::integer, "percent, 0 to 100; default 70", 0,
       100},
      {"kpi.changes_approved_first", ConfigType::integer, "percent, 0 to 100; default 100", 0,
       100},
  };
  return keys;
}

void check_config_value(ConfigType type, std::string_view key, const std::string& value, int min,
                        int max) {
  switch (type) {
    case ConfigType::integer: {
      std::size_t used = 0;
      long number = 0;
      try {
        number = std::stol(value, &used);
      } catch (const std::exception&) {
        used = 0;
      }
      if (used == 0 || used != value.size() || number < min || number > max) {
        throw Error(fmt::format("'{}' must be a whole number from {} to {}, not '{}'", key, min,
                                max, value));
      }
      return;
    }
    case ConfigType::time_of_day:
      if (!is_time_of_day(value)) {
        throw Error(fmt::format("'{}' must be a time of day from 00:00 to 23:59, not '{}'; write "
                                "it as \"HH:MM\", e.g. \"09:00\"",
                                key, value));
      }
      return;
    case ConfigType::date:
    case ConfigType::dates:
      parse_date(value, key);
      return;
    case ConfigType::calendar:
      if (value != "ru" && value != "none" &&
          (value.size() < 5 || value.size() > 1024 || value.substr(value.size() - 4) != ".ics")) {
        throw Error(fmt::format("'{}': unknown calendar '{}'; use ru (the Russian production "
                                "calendar), none (working days only) or the path of an .ics file "
                                "of holidays",
                                key, value));
      }
      return;
    case ConfigType::zone:
      find_zone(value);
      return;
    case ConfigType::language:
      if (!contains(k_languages, value)) {
        throw Error(fmt::format("'{}' must be en or ru, not '{}'", key, value));
      }
      return;
    case ConfigType::email:
      if (!value.empty() && !is_valid_address(value)) {
        throw Error(fmt::format("'{}': '{}' is not a valid email address; write it as "
                                "name@example.com",
                                key, value));
      }
      return;
    case ConfigType::side:
      if (!contains(k_sides, value)) {
        throw Error(fmt::format("'{}' must be client or team, not '{}'", key, value));
      }
      return;
    case ConfigType::weekdays:
      if (!contains(k_weekdays, value)) {
        throw Error(fmt::format("'{}': '{}' is not one of mon, tue, wed, thu, fri, sat, sun", key,
                                value));
      }
      return;
    case ConfigType::roles:
      if (!is_role_name(value)) {
        throw Error(fmt::format("'{}': role '{}' must be a lowercase word (Latin or Cyrillic "
                                "letters, digits, '-') such as approver, finance or архитектор",
                                key, value));
      }
      return;
    case ConfigType::ledger:
      parse_server_location(std::string(value), fmt::format("'{}'", key));
      return;
    case ConfigType::currency:
      if (!is_currency_code(value)) {
        throw Error(fmt::format("'{}' must be a three-letter ISO 4217 code such as EUR, USD or "
                                "RUB, not '{}'",
                                key, value));
      }
      return;
    case ConfigType::frequency: {
      MeetingSchedule probe;
      if (!parse_every(value, probe)) {
        throw Error(fmt::format("'{}' must be week, N weeks, month or N months (such as 2 weeks), "
                                "not '{}'",
                                key, value));
      }
      return;
    }
    case ConfigType::weekday:
      if (!parse_weekday(value)) {
        throw Error(fmt::format("'{}': '{}' is not one of mon, tue, wed, thu, fri, sat, sun", key,
                                value));
      }
      return;
    case ConfigType::boolean:
      if (!parse_config_boolean(value)) {
        throw Error(fmt::format("'{}' must be true or false, not '{}'", key, value));
      }
      return;
    case ConfigType::shared:
      if (value != "group") {
        throw Error(fmt::format("'{}' must be group (or left out), not '{}'", key, value));
      }
      return;
    case ConfigType::text:
    case ConfigType::map:
    case ConfigType::people:
    case ConfigType::meetings:
    case ConfigType::role_labels:
      return;
  }
}

void check_project_yaml(const fs::path& file, const YAML::Node& root) {
  Checker checker(file);
  if (!root.IsMap()) {
    checker.fail(root, "expected a map of settings such as 'name: Website' (see "
                       "docs/project-yaml.md)");
  }
  checker.check_map(root, "");
  if (YAML::Node name = root["name"]; !name || name.IsNull() || name.Scalar().empty()) {
    checker.fail(root, "the project has no name; add a line 'name: PROJECT NAME'");
  }
}

}  // namespace pm
