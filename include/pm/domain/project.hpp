#pragma once
// A project: its directory (.pm/), its settings (project.yaml) and where its ledger lives.
#include <filesystem>
#include <functional>
#include <map>
#include <ostream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pm/domain/meeting_schedule.hpp"
#include "pm/util/atomic_file.hpp"  // write_file_atomic, for the callers of this header

namespace pm {

/// Someone on either side of the project.
struct Person {
  std::string name;
  std::string email;
  std::string side;                ///< "client" or "team"
  std::vector<std::string> roles;  ///< approver, technical, finance, sponsor, ...
  std::string greeting;            ///< how letters greet them ("Иван Петрович"); empty: name
};

/// How letters name a role of the project's own, per language (`roles:` in project.yaml).
struct RoleLabel {
  std::string role;
  std::string en;  ///< empty: the role as written
  std::string ru;
};

/// The contents of project.yaml (docs/project-yaml.md documents every key).
struct ProjectConfig {
  std::string name;
  std::string client;
  std::string language = "en";  ///< the client's language: en or ru
  std::string timezone = "UTC";
  std::string deadline;  ///< baseline deadline, YYYY-MM-DD, or empty
  Person manager;        ///< side "team"; the From of every letter
  std::vector<std::string> working_days = {"mon", "tue", "wed", "thu", "fri"};
  std::string working_hours_start = "09:00";
  std::string working_hours_end = "18:00";
  int sla_reply_hours = 2;
  int sla_status_every_days = 5;
  /// `kpi:` targets of the scorecard that differ from the agency's (docs/kpi.md): key →
  /// percent (NPS points for `nps`).
  std::map<std::string, int> kpi;
  /// `mail.command`: the program pm send hands messages to; empty: the user config's, else
  /// `sendmail -t -i`.
  std::string mail_command;
  /// Working days a client has to object to an agreement before silence confirms it.
  int confirm_within = 2;
  std::vector<Person> people;
  std::vector<RoleLabel> roles;  ///< labels of roles; built-in roles have their own
  std::string currency;          ///< ISO 4217 code of amounts given without one; may be empty
  /// `html: true`: letters as email carry an HTML part (docs/templates.md, "HTML letters").
  bool html = false;
  /// Who may read the project's files, as git's core.sharedRepository: "" (the owner only) or
  /// "group" (the group reads, and writes the ledger; .pm/ is setgid).
  std::string shared;
  /// `ledger:` the project's ledger server, "postgresql://HOST/DATABASE#KEY" (replica.hpp);
  /// empty: the ledger is .pm/ledger.db itself.
  std::string ledger;
  /// The working calendar: "ru" (built in), "none" (the working days only), or the path of an
  /// .ics file of holidays, relative to .pm/. Empty (project.yaml without it): as "none".
  std::string calendar;
  std::vector<std::string> holidays;  ///< extra days off, YYYY-MM-DD
  std::vector<std::string> workdays;  ///< extra working days, YYYY-MM-DD
  std::vector<MeetingSchedule> meetings;  ///< the regular meetings (`meetings:`)
};

/// Where a project lives on disk.
struct ProjectPaths {
  std::filesystem::path root;  ///< the directory holding .pm/
  std::filesystem::path dir() const { return root / ".pm"; }
  std::filesystem::path ledger() const { return dir() / "ledger.db"; }
  std::filesystem::path config() const { return dir() / "project.yaml"; }
  std::filesystem::path templates() const { return dir() / "templates"; }
};

/// Sides and roles, as data: validation, help and docs come from here.
extern const std::vector<std::string> k_sides;
extern const std::vector<std::string> k_known_roles;
extern const std::vector<std::string> k_languages;

/// Finds the project: PM_DIR when set, else walking up from `start` (like git). Throws
/// pm::Error with Exit::no_project when none is found.
ProjectPaths find_project(const std::filesystem::path& start);

/// Reads and validates project.yaml; errors name the file, the line and the key.
ProjectConfig load_config(const std::filesystem::path& file);
/// project.yaml text for `config`, with a header comment pointing to the docs.
std::string config_to_yaml(const ProjectConfig& config);
/// Validates what a config must hold (language, zone, deadline, addresses).
void validate_config(const ProjectConfig& config);

/// Mode of a new ledger file (its -wal and -shm follow it): 0600, or 0660 with shared: group.
unsigned ledger_file_mode(const ProjectConfig& config);
/// Mode of the other files pm creates for the project (project.yaml, exports, letters, spool
/// files): 0600, or 0640 with shared: group. A file that exists keeps its mode.
unsigned project_file_mode(const ProjectConfig& config);

/// Reads a whole file; throws pm::Error naming it when it cannot be read.
std::string read_file(const std::filesystem::path& file);

/// Throws pm::Error when ROOT already holds a project (.pm/). First removes what an interrupted
/// init left in ROOT: its temporary directory, or an older pm's .pm/ holding only
/// project.yaml.tmp* files.
void ensure_no_project(const std::filesystem::path& root);

/// Creates ROOT/.pm with project.yaml and an empty ledger, atomically: built under a temporary
/// name in ROOT and renamed into place last, so a crash leaves no project or a working one.
/// Throws (and leaves nothing behind) when a project already exists there or the config is
/// invalid.
ProjectPaths init_project(const std::filesystem::path& root, const ProjectConfig& config);

/// A role's name: a lowercase word of Latin or Cyrillic letters, digits and '-', starting with
/// a letter ("approver", "архитектор", "qa-lead").
bool is_role_name(std::string_view role);

/// How a letter in `language` names `role`: the project's label, else pm's own ("approver" is
/// «согласующий» in Russian), else the role as written.
std::string role_label(const ProjectConfig& config, const std::string& role,
                       std::string_view language);

/// The person of the project called (or addressed as) `who`: by name or email exactly, then by
/// name ignoring ASCII case, then by the name they are greeted by, then by one word of their
/// name in any case ("Ivan", "петров") when it names one person only. Null when nobody.
const Person* find_person(const ProjectConfig& config, const std::string& who);

/// The people on `side` ("client"/"team") holding `role`; the manager counts as a team member
/// with the role "manager".
std::vector<Person> people_with_role(const ProjectConfig& config, const std::string& side,
                                     const std::string& role);

}  // namespace pm
