// The portfolio: projects read one at a time through an abstract list, one row each, and
// rows grouped by manager (keyed by email) or client.
#include "pm/domain/portfolio.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <utility>

#include <SQLiteCpp/SQLiteCpp.h>
#include <fmt/format.h>

#include "pm/domain/agreement_state.hpp"
#include "pm/domain/agreements.hpp"
#include "pm/domain/communication.hpp"
#include "pm/domain/project_calendar.hpp"
#include "pm/domain/project_ledger.hpp"
#include "pm/domain/risks.hpp"
#include "pm/util/error.hpp"
#include "pm/util/text.hpp"

namespace fs = std::filesystem;

namespace pm {

namespace {

fs::path normal_root(const fs::path& root) {
  std::error_code ec;
  fs::path absolute = fs::absolute(root, ec);
  if (ec) {
    return root.lexically_normal();
  }
  fs::path canonical = fs::weakly_canonical(absolute, ec);
  return ec ? absolute.lexically_normal() : canonical;
}

/// The first line of an error message: a skipped project is named in one line.
std::string one_line(const std::string& text) {
  std::string line = text.substr(0, text.find('\n'));
  return line.empty() ? std::string("unknown error") : line;
}

int level(const std::string& name) {
  if (name == "low") {
    return 0;
  }
  if (name == "high") {
    return 2;
  }
  return 1;
}

}  // namespace

std::vector<PortfolioProject> directory_projects(const std::vector<fs::path>& roots) {
  std::vector<PortfolioProject> out;
  std::set<fs::path> seen;
  for (const auto& given : roots) {
    const fs::path root = normal_root(given);
    if (!seen.insert(root).second) {
      continue;
    }
    const ProjectPaths paths{root};
    // The config read by config() serves open() too (a ledger server is named in it), and
    // open()'s warnings wait for warnings().
    auto config = std::make_shared<std::optional<ProjectConfig>>();
    auto notes = std::make_shared<std::vector<std::string>>();
    PortfolioProject p;
    p.where = root.string();
    p.config = [paths, config] {
      std::error_code ec;
      if (!fs::is_directory(paths.dir(), ec)) {
        throw Error(fs::exists(paths.root, ec) ? "no pm project there (no .pm/ directory)"
                                               : "the directory does not exist");
      }
      *config = load_config(paths.config());
      return **config;
    };
    p.open = [paths, config, notes] {
      if (!*config) {
        *config = load_config(paths.config());
      }
      return open_project_ledger(paths, **config, Ledger::Mode::read_only, *notes);
    };
    p.warnings = [notes] { return std::exchange(*notes, {}); };
    p.calendar = [paths](const ProjectConfig& config) {
      return project_calendar(config, paths.dir());
    };
    out.push_back(std::move(p));
  }
  return out;
}

std::size_t each_portfolio_project(
    const std::vector<PortfolioProject>& projects,
    const std::function<void(const PortfolioProject&, const ProjectConfig&, Ledger&,
                             const Calendar&)>& visit,
    std::vector<PortfolioSkipped>& skipped, std::vector<PortfolioSkipped>* warnings) {
  std::size_t visited = 0;
  for (const auto& p : projects) {
    try {
      const ProjectConfig config = p.config();
      const std::unique_ptr<Ledger> ledger = p.open();
      if (p.warnings && warnings != nullptr) {
        for (auto& w : p.warnings()) {
          warnings->push_back(PortfolioSkipped{p.where, std::move(w)});
        }
      }
      const Calendar calendar = p.calendar(config);
      visit(p, config, *ledger, calendar);
      ++visited;
    } catch (const std::exception& e) {
      skipped.push_back(PortfolioSkipped{p.where, one_line(e.what())});
    }
  }
  return visited;
}

std::string manager_key(const std::string& email) { return ascii_lower(trimmed(email)); }

int risk_severity(const std::string& probability, const std::string& impact) {
  return std::max(level(probability), level(impact));
}

PortfolioRow portfolio_row(const std::string& where, const ProjectConfig& config, Ledger& ledger,
                           const Calendar& calendar, Instant from, Instant until, Instant now) {
  PortfolioRow row;
  row.where = where;
  row.name = config.name;
  row.manager = trimmed(config.manager.name);
  row.manager_email = trimmed(config.manager.email);
  row.client = trimmed(config.client);
  row.language = config.language;
  const Zone zone = calendar.zone();
  const Date today = local_date(now, zone);
  // Read in one snapshot, so the figures agree with one another.
  SQLite::Transaction snapshot(ledger.db());
  row.deadline = project_deadline(ledger, config.deadline, now);

  // Agreements as pm agreements and pm today see them, each with its state at `now`; those
  // a done note fulfilled or another agreement superseded are final and not read at all.
  const ConfirmationRule rule{&calendar, config.confirm_within};
  each_open_agreement(ledger, now, [&](const AgreementRow& a) {
    const AgreementStatus s = agreement_status(a, rule, now);
    if (is_final(s.state)) {
      return;
    }
    if (!a.entry.due.empty() && parse_date(a.entry.due, "due") < today) {
      ++row.overdue_agreements;
    }
    if (s.state == AgreementState::open) {
      ++row.unconfirmed_agreements;
    } else if (s.state == AgreementState::disputed) {
      ++row.disputed_agreements;
    }
  });

  for (const Risk& r : open_risks(ledger, now + std::chrono::seconds(1))) {
    ++row.risks[static_cast<std::size_t>(risk_severity(r.probability, r.impact))];
  }

  if (auto last = last_status_letter(ledger)) {
    row.last_status_letter = local_date(*last, zone);
  }

  row.nps = nps_groups(ledger, NpsBy::total, NpsPeriod{}).front().counts;

  // The SLA as pm kpi counts it: replies later than the target (or still waiting past it),
  // and gaps between status updates longer than the target.
  const SlaTargets sla = sla_targets(config);
  for (const RequestRow& r : requests_between(ledger, calendar, sla, from, until, now)) {
    row.reply_breaches += r.breach ? 1 : 0;
  }
  for (const StatusGap& g : status_gaps(ledger, calendar, sla, from, until, now)) {
    row.status_breaches += g.breach ? 1 : 0;
  }
  snapshot.commit();
  return row;
}

PortfolioBy parse_portfolio_by(const std::string& name) {
  if (name == "manager") {
    return PortfolioBy::manager;
  }
  if (name == "client") {
    return PortfolioBy::client;
  }
  throw Error(fmt::format("--by {}: expected manager or client", name), Exit::usage);
}

std::vector<PortfolioGroup> group_portfolio(const std::vector<PortfolioRow>& rows,
                                            PortfolioBy by) {
  std::vector<PortfolioGroup> groups;
  std::map<std::string, std::size_t> index;
  // Per group, how often each spelling of the manager's name was seen.
  std::vector<std::map<std::string, int>> spellings;
  for (const auto& row : rows) {
    std::string key;
    std::string email;
    std::string note;
    if (by == PortfolioBy::manager) {
      email = manager_key(row.manager_email);
      key = email.empty() ? "name:" + fold_case(row.manager) : email;
      if (email.empty()) {
        note = "no email in project.yaml: grouped by name";
      }
    } else if (by == PortfolioBy::client) {
      key = fold_case(trimmed(row.client));
    }
    auto [it, added] = index.emplace(key, groups.size());
    if (added) {
      PortfolioGroup g;
      g.key = by == PortfolioBy::manager && email.empty() ? row.manager : key;
      g.name = by == PortfolioBy::client ? trimmed(row.client) : row.manager;
      g.email = email;
      g.note = note;
      groups.push_back(std::move(g));
      spellings.emplace_back();
    }
    PortfolioGroup& g = groups[it->second];
    if (by == PortfolioBy::manager) {
      if (++spellings[it->second][row.manager] == 1) {
        g.names.push_back(row.manager);
      }
    }
    g.rows.push_back(row);
    g.overdue_agreements += row.overdue_agreements;
    g.unconfirmed_agreements += row.unconfirmed_agreements;
    g.disputed_agreements += row.disputed_agreements;
    for (std::size_t i = 0; i < g.risks.size(); ++i) {
      g.risks[i] += row.risks[i];
    }
    g.nps += row.nps;
    g.reply_breaches += row.reply_breaches;
    g.status_breaches += row.status_breaches;
    if (!row.last_status_letter) {
      g.project_without_letter = true;
    } else if (!g.oldest_status_letter || *row.last_status_letter < *g.oldest_status_letter) {
      g.oldest_status_letter = row.last_status_letter;
    }
  }
  // A manager is shown with the name most used, ties going to the first seen.
  for (std::size_t i = 0; i < groups.size(); ++i) {
    if (by != PortfolioBy::manager) {
      continue;
    }
    int best = 0;
    for (const auto& name : groups[i].names) {
      if (spellings[i][name] > best) {
        best = spellings[i][name];
        groups[i].name = name;
      }
    }
  }
  return groups;
}

namespace {

Json date_or_null(const std::optional<Date>& d) {
  return d ? Json(format_date(*d)) : Json(nullptr);
}

Json risks_json(const RiskCounts& r) {
  return Json{{"high", r[2]}, {"medium", r[1]}, {"low", r[0]}};
}

Json sla_json(std::int64_t replies, std::int64_t status) {
  return Json{{"breaches", replies + status}, {"replies", replies}, {"status_updates", status}};
}

Json agreements_json(std::int64_t overdue, std::int64_t unconfirmed, std::int64_t disputed) {
  return Json{{"overdue", overdue}, {"unconfirmed", unconfirmed}, {"disputed", disputed}};
}

}  // namespace

Json portfolio_row_json(const PortfolioRow& row) {
  Json j;
  j["path"] = row.where;
  j["name"] = row.name;
  j["manager"] = Json{{"name", row.manager},
                      {"email", row.manager_email.empty() ? Json(nullptr) : Json(row.manager_email)},
                      {"key", row.manager_email.empty() ? Json(nullptr)
                                                        : Json(manager_key(row.manager_email))}};
  j["client"] = row.client;
  j["deadline"] = Json{{"baseline", date_or_null(row.deadline.baseline)},
                       {"current", date_or_null(row.deadline.current)},
                       {"days", row.deadline.days}};
  j["agreements"] = agreements_json(row.overdue_agreements, row.unconfirmed_agreements,
                                    row.disputed_agreements);
  j["risks"] = risks_json(row.risks);
  j["last_status_letter"] = date_or_null(row.last_status_letter);
  j["nps"] = nps_figure_json(nps_figure(row.nps));
  j["sla"] = sla_json(row.reply_breaches, row.status_breaches);
  return j;
}

Json portfolio_group_json(const PortfolioGroup& g) {
  Json j;
  j["key"] = g.key;
  j["name"] = g.name;
  j["email"] = g.email.empty() ? Json(nullptr) : Json(g.email);
  j["note"] = g.note.empty() ? Json(nullptr) : Json(g.note);
  j["names"] = g.names;
  Json paths = Json::array();
  for (const auto& r : g.rows) {
    paths.push_back(r.where);
  }
  j["projects"] = paths;
  j["agreements"] = agreements_json(g.overdue_agreements, g.unconfirmed_agreements,
                                    g.disputed_agreements);
  j["risks"] = risks_json(g.risks);
  j["oldest_status_letter"] = date_or_null(g.oldest_status_letter);
  j["project_without_status_letter"] = g.project_without_letter;
  j["nps"] = nps_figure_json(nps_figure(g.nps));
  j["sla"] = sla_json(g.reply_breaches, g.status_breaches);
  return j;
}

}  // namespace pm
