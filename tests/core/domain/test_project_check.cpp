// project.yaml's checks: every mistake named with the file, the line and how to fix it.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <unistd.h>

#include "pm/domain/project.hpp"
#include "pm/domain/project_check.hpp"
#include "pm/util/error.hpp"

using namespace pm;
namespace fs = std::filesystem;

namespace {

const std::string k_valid =
    "name: Website\n"                                     // 1
    "client: ACME\n"                                      // 2
    "language: ru\n"                                      // 3
    "timezone: Europe/Moscow\n"                           // 4
    "deadline: 2026-12-25\n"                              // 5
    "manager:\n"                                          // 6
    "  name: Anna\n"                                      // 7
    "  email: anna@example.com\n"                         // 8
    "working_days: [mon, tue]\n"                          // 9
    "working_hours: {start: \"08:30\", end: \"17:00\"}\n"  // 10
    "sla:\n"                                              // 11
    "  reply_within_hours: 4\n"                           // 12
    "  status_every_days: 3\n"                            // 13
    "people:\n"                                           // 14
    "  - name: Ivan\n"                                    // 15
    "    email: ivan@acme.example\n"                      // 16
    "    roles: [approver]\n"                             // 17
    "shared: group\n";                                    // 18

struct YamlFile {
  fs::path dir;
  fs::path file;
  YamlFile() {
    std::string pattern = (fs::temp_directory_path() / "pm-yaml-XXXXXX").string();
    dir = ::mkdtemp(pattern.data());
    file = dir / "project.yaml";
  }
  ~YamlFile() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
  /// The error load_config gives for `text`, "" when it loads.
  std::string error(const std::string& text) const {
    std::ofstream(file) << text;
    try {
      load_config(file);
    } catch (const Error& e) {
      return e.what();
    }
    return "";
  }
};

/// k_valid with line `line` (1-based) replaced by `text`.
std::string with_line(int line, const std::string& text) {
  std::string out;
  std::istringstream in(k_valid);
  std::string current;
  for (int n = 1; std::getline(in, current); ++n) {
    out += (n == line ? text : current) + "\n";
  }
  return out;
}

}  // namespace

TEST_CASE("a valid project.yaml loads with every key", "[project]") {
  YamlFile y;
  REQUIRE(y.error(k_valid).empty());
  ProjectConfig c = load_config(y.file);
  CHECK(c.name == "Website");
  CHECK(c.language == "ru");
  CHECK(c.manager.email == "anna@example.com");
  CHECK(c.manager.side == "team");
  CHECK(c.working_days == std::vector<std::string>{"mon", "tue"});
  CHECK(c.working_hours_start == "08:30");
  CHECK(c.working_hours_end == "17:00");
  CHECK(c.sla_reply_hours == 4);
  CHECK(c.sla_status_every_days == 3);
  REQUIRE(c.people.size() == 1);
  CHECK(c.people[0].side == "client");
  CHECK(c.shared == "group");
}

TEST_CASE("what pm writes, pm reads back unchanged", "[project]") {
  YamlFile y;
  REQUIRE(y.error(k_valid).empty());
  ProjectConfig c = load_config(y.file);
  c.manager.roles = {"manager", "technical"};
  std::ofstream(y.file) << config_to_yaml(c);
  ProjectConfig back = load_config(y.file);
  CHECK(config_to_yaml(back) == config_to_yaml(c));
  CHECK(back.shared == "group");
  CHECK(back.manager.roles == c.manager.roles);
}

TEST_CASE("each mistake in project.yaml is named with file:line and a fix", "[project]") {
  YamlFile y;
  std::string f = y.file.string();
  auto error = [&](int line, const std::string& text) { return y.error(with_line(line, text)); };

  CHECK(error(5, "deadlin: 2026-12-25") ==
        f + ":5: unknown key 'deadlin'; did you mean 'deadline'?");
  CHECK_THAT(error(2, "ledger: postgresql://pm:secret@db/pm#acme-1"),
             Catch::Contains(":2:") && Catch::Contains("~/.pgpass"));
  CHECK_THAT(error(2, "ledger: postgresql://db/pm"), Catch::Contains("names no project"));
  CHECK_THAT(error(2, "ledger: /srv/ledger.db#x"), Catch::Contains("not a server URL"));
  CHECK(error(2, "colour: blue") ==
        f + ":2: unknown key 'colour'; the keys here are name, client, language, timezone, "
            "deadline, manager, working_days, working_hours, sla, mail, confirm_within, people, roles, html, currency, ledger, shared, calendar, holidays, workdays, meetings, kpi "
            "(docs/project-yaml.md)");
  CHECK(error(16, "    emial: ivan@acme.example") ==
        f + ":16: unknown key 'emial' in a person; did you mean 'email'?");
  CHECK(error(12, "  reply_within_hour: 4") ==
        f + ":12: unknown key 'reply_within_hour' in 'sla'; did you mean 'reply_within_hours'?");
  CHECK(error(8, "  side: client") ==
        f + ":8: unknown key 'side' in 'manager'; the keys here are name, email, roles "
            "(docs/project-yaml.md)");
  CHECK(error(14, "people: 5\nx:") ==
        f + ":14: 'people' must be a list of people, not '5'; write each as "
            "'- {name: NAME, email: ADDRESS, side: client}'");
  CHECK(error(10, "working_hours: 25:00") ==
        f + ":10: 'working_hours' must be a map of start, end, not '25:00'; e.g. "
            "{start: \"09:00\", end: \"18:00\"}");
  CHECK(error(10, "working_hours: {start: \"25:00\", end: \"18:00\"}") ==
        f + ":10: 'working_hours.start' must be a time of day from 00:00 to 23:59, not '25:00'; "
            "write it as \"HH:MM\", e.g. \"09:00\"");
  CHECK(error(10, "working_hours: {start: \"09:00\", end: \"09:60\"}").find(
            ":10: 'working_hours.end' must be a time of day") != std::string::npos);
  CHECK(error(10, "working_hours: {start: \"18:00\", end: \"09:00\"}") ==
        f + ":10: working_hours: the day must end after it starts, not run from 18:00 to 09:00; "
            "e.g. {start: \"09:00\", end: \"18:00\"}");
  CHECK(error(3, "language: de") == f + ":3: 'language' must be en or ru, not 'de'");
  CHECK(error(4, "timezone: Mars/Olympus") ==
        f + ":4: unknown time zone 'Mars/Olympus'; use an IANA name such as Europe/Moscow or "
            "America/New_York");
  CHECK(error(5, "deadline: 2026-02-30") ==
        f + ":5: deadline: 2026-02-30 does not exist in the calendar");
  CHECK(error(5, "deadline: soon") ==
        f + ":5: deadline: 'soon' is not a date; write it as YYYY-MM-DD, e.g. 2026-12-25");
  CHECK(error(12, "  reply_within_hours: 0") ==
        f + ":12: 'sla.reply_within_hours' must be a whole number from 1 to 168, not '0'");
  CHECK(error(13, "  status_every_days: five") ==
        f + ":13: 'sla.status_every_days' must be a whole number from 1 to 365, not 'five'");
  CHECK(error(9, "working_days: mon") ==
        f + ":9: 'working_days' must be a list such as [mon, tue, wed, thu, fri], not 'mon'");
  CHECK(error(9, "working_days: [mon, funday]") ==
        f + ":9: 'working_days': 'funday' is not one of mon, tue, wed, thu, fri, sat, sun");
  CHECK(error(17, "    roles: [Approver]") ==
        f + ":17: 'people[].roles': role 'Approver' must be a lowercase word (Latin or "
            "Cyrillic letters, digits, '-') such as approver, finance or архитектор");
  CHECK(error(17, "    side: both") == f + ":17: 'people[].side' must be client or team, not "
                                             "'both'");
  CHECK(error(16, "    email: ivan at acme") ==
        f + ":16: 'people[].email': 'ivan at acme' is not a valid email address; write it as "
            "name@example.com");
  CHECK(error(18, "shared: world") == f + ":18: 'shared' must be group (or left out), not 'world'");
  CHECK(error(2, "name: Again") == f + ":2: 'name' is given twice; keep one of them");
  CHECK(error(2, "client: [A, B]") == f + ":2: 'client' must be a single value, not a list");
  CHECK(error(6, "manager: Anna\nx:").find(":6: 'manager' must be a map of name, email, roles, "
                                           "not 'Anna'") != std::string::npos);
  CHECK(error(1, "title: Website") == f + ":1: unknown key 'title'; the keys here are name, "
                                          "client, language, timezone, deadline, manager, "
                                          "working_days, working_hours, sla, mail, confirm_within, people, roles, html, currency, ledger, shared, calendar, holidays, workdays, meetings, kpi "
                                          "(docs/project-yaml.md)");
}

TEST_CASE("project.yaml's structure and gaps are errors", "[project]") {
  YamlFile y;
  std::string f = y.file.string();
  CHECK(y.error("client: ACME\n") ==
        f + ":1: the project has no name; add a line 'name: PROJECT NAME'");
  CHECK(y.error("- name\n- client\n").rfind(f + ":1: expected a map of settings", 0) == 0);
  CHECK(y.error("name: X\nlanguage: [en\n").rfind(f + ":3: malformed YAML", 0) == 0);
  CHECK(y.error("name: X\nmanager: {name: \"\", email: \"\"}\n") ==
        f + ":2: the manager needs at least a name or an email; add email: ADDRESS");
  CHECK(y.error("name: X\npeople:\n  - side: client\n") ==
        f + ":3: a person needs at least a name or an email; add email: ADDRESS");
  CHECK(y.error("name: X\npeople: [5]\n") ==
        f + ":2: each of 'people' must be a map of name, email, side, roles, greeting, not '5'");
  CHECK(y.error("name: X\ndeadline:\npeople: ~\n").empty());
}

TEST_CASE("every key in the table is documented in docs/project-yaml.md, and no other",
          "[project]") {
  std::ifstream in(std::string(PM_SOURCE_DIR) + "/docs/project-yaml.md");
  REQUIRE(in);
  // A key's row starts "| `key` |".
  std::regex row(R"(^\| `([a-z_\[\]\.]+)` \|)");
  std::set<std::string> documented;
  std::string line;
  while (std::getline(in, line)) {
    std::smatch m;
    if (std::regex_search(line, m, row)) {
      documented.insert(m[1]);
    }
  }
  std::set<std::string> known;
  for (const auto& key : config_keys()) {
    known.insert(std::string(key.path));
    CHECK_FALSE(key.meaning.empty());
  }
  CHECK(documented == known);
}

TEST_CASE("roles: Latin or Cyrillic lowercase words, named in the letter's language",
          "[project][roles]") {
  for (const char* good : {"approver", "qa-lead", "архитектор", "ёжик", "lead2"}) {
    INFO(good);
    CHECK(is_role_name(good));
  }
  for (const char* bad : {"", "Approver", "Архитектор", "2lead", "-x", "big boss", "a_b",
                          "r\xD0", "\xD0\xB0\xCC\x81"}) {
    INFO(bad);
    CHECK_FALSE(is_role_name(bad));
  }
  CHECK_FALSE(is_role_name(std::string(65, 'a')));
  ProjectConfig c;
  CHECK(role_label(c, "approver", "ru") == "согласующий");
  CHECK(role_label(c, "approver", "en") == "approver");
  CHECK(role_label(c, "архитектор", "en") == "архитектор");
  c.roles.push_back(RoleLabel{"архитектор", "solution architect", ""});
  c.roles.push_back(RoleLabel{"approver", "", "утверждает"});
  CHECK(role_label(c, "архитектор", "en") == "solution architect");
  CHECK(role_label(c, "архитектор", "ru") == "архитектор");
  CHECK(role_label(c, "approver", "ru") == "утверждает");
  CHECK(role_label(c, "approver", "en") == "approver");
  // Written back as read.
  c.name = "X";
  std::string yaml = config_to_yaml(c);
  CHECK(yaml.find("roles:\n  архитектор: {en: solution architect}\n  approver: {ru: утверждает}") !=
        std::string::npos);
}
