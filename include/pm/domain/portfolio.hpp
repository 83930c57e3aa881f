#pragma once
// The portfolio: one row per project, read from an abstract list of projects, so that another
// storage engine can hand in its projects the same way (docs/portfolio.md). Every figure comes
// from the code the project's own commands use: project_deadline, agreement_status,
// open_risks, requests_between and status_gaps, nps_groups.
#include <array>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "pm/domain/changes.hpp"
#include "pm/domain/nps.hpp"
#include "pm/domain/project.hpp"
#include "pm/storage/ledger.hpp"
#include "pm/time/calendar.hpp"

namespace pm {

/// One project as the portfolio sees it: where it is (for people: a path, a URL...) and how
/// to read it. Each function may throw; the project is then skipped with the message.
struct PortfolioProject {
  std::string where;
  std::function<ProjectConfig()> config;
  /// The project's ledger, opened to read only.
  std::function<std::unique_ptr<Ledger>()> open;
  /// The project's working calendar (its zone, days off).
  std::function<Calendar(const ProjectConfig&)> calendar;
  /// What opening it had to say without failing (a ledger server that could not be reached,
  /// so its replica was read as it is); each_portfolio_project hands these on. May be empty.
  std::function<std::vector<std::string>()> warnings;
};

/// The projects in the directories `roots` (a registry's lines, or --project DIR): each made
/// absolute and canonical, the same directory given twice kept once. Nothing is read yet: a
/// missing directory fails when the project is read, with "the directory does not exist".
/// Ledgers are opened with open_project_ledger (project_ledger.hpp): .pm/ledger.db, or the
/// replica of a ledger server, brought up to date when the server answers.
std::vector<PortfolioProject> directory_projects(const std::vector<std::filesystem::path>& roots);

/// A project that could not be read, and why (one line).
struct PortfolioSkipped {
  std::string where;
  std::string reason;
};

/// Reads each project in turn: its config, its ledger (read-only) and its calendar, and hands
/// them to `visit`. A project whose reading or visit throws (missing directory, bad
/// project.yaml, damaged ledger) is added to `skipped` with the first line of its message, and
/// the next one is read: check the command line before. What opening a project warned of goes
/// to `warnings` (where, and the warning), when given. Returns how many were visited.
std::size_t each_portfolio_project(
    const std::vector<PortfolioProject>& projects,
    const std::function<void(const PortfolioProject&, const ProjectConfig&, Ledger&,
                             const Calendar&)>& visit,
    std::vector<PortfolioSkipped>& skipped, std::vector<PortfolioSkipped>* warnings = nullptr);

/// The key of a manager: the email trimmed and in lower case ("Anna@Agency.example " →
/// "anna@agency.example"); empty when there is no email.
std::string manager_key(const std::string& email);

/// Risks by severity: low, medium, high. A risk's severity is the higher of its probability
/// and its impact.
using RiskCounts = std::array<std::int64_t, 3>;
/// "low", "medium" or "high" → 0, 1, 2; anything else counts as medium.
int risk_severity(const std::string& probability, const std::string& impact);

/// One project's row.
struct PortfolioRow {
  std::string where;
  std::string name;
  std::string manager;        ///< the manager's name
  std::string manager_email;  ///< as project.yaml writes it
  std::string client;
  std::string language = "en";
  Deadline deadline;                    ///< baseline and current (moved by approved changes)
  std::int64_t overdue_agreements = 0;  ///< not final, due day passed
  std::int64_t unconfirmed_agreements = 0;  ///< still open: neither confirmed nor disputed
  std::int64_t disputed_agreements = 0;
  RiskCounts risks{};                       ///< open risks by severity
  std::optional<Date> last_status_letter;   ///< the day the last weekly status letter went out
  NpsCounts nps;                            ///< every answer recorded
  std::int64_t reply_breaches = 0;   ///< requests of the period answered late or still waiting past the SLA
  std::int64_t status_breaches = 0;  ///< gaps between status updates longer than the SLA
  std::int64_t sla_breaches() const { return reply_breaches + status_breaches; }
};

/// The row of one project, measured at `now`; SLA breaches over [from, until).
PortfolioRow portfolio_row(const std::string& where, const ProjectConfig& config, Ledger& ledger,
                           const Calendar& calendar, Instant from, Instant until, Instant now);

/// How rows are grouped.
enum class PortfolioBy { none, manager, client };
/// "manager", "client" → ...; throws pm::Error (Exit::usage) listing the choices.
PortfolioBy parse_portfolio_by(const std::string& name);

/// The rows of one manager (by email) or client.
struct PortfolioGroup {
  std::string key;    ///< the email in lower case, or the client's name folded; the name
                      ///< for a manager without email
  std::string name;   ///< the manager's name most used (ties: the first seen), or the client
  std::string email;  ///< the manager's key; empty for a client or a manager without email
  std::string note;   ///< "no email in project.yaml: grouped by name", or empty
  std::vector<std::string> names;  ///< every spelling of the manager's name seen, first first
  std::vector<PortfolioRow> rows;
  /// The sums over the rows.
  std::int64_t overdue_agreements = 0;
  std::int64_t unconfirmed_agreements = 0;
  std::int64_t disputed_agreements = 0;
  RiskCounts risks{};
  NpsCounts nps;
  std::int64_t reply_breaches = 0;
  std::int64_t status_breaches = 0;
  std::optional<Date> oldest_status_letter;  ///< the oldest last letter of its projects
  bool project_without_letter = false;       ///< one of its projects never sent one
};

/// Rows grouped, in the order their first row comes; rows keep their order within a group.
std::vector<PortfolioGroup> group_portfolio(const std::vector<PortfolioRow>& rows,
                                            PortfolioBy by);

/// A row and a group as JSON (docs/json.md).
Json portfolio_row_json(const PortfolioRow& row);
Json portfolio_group_json(const PortfolioGroup& group);

}  // namespace pm
