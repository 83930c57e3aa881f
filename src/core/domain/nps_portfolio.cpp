// NPS across projects: each project read through the portfolio's list of projects
// (portfolio.hpp), one at a time, read-only, and the counts merged.
#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

#include "pm/domain/nps.hpp"
#include "pm/domain/portfolio.hpp"
#include "pm/util/error.hpp"
#include "pm/util/text.hpp"

namespace fs = std::filesystem;

namespace pm {

namespace {

/// The manager's key of an answer's `manager` column: the project's manager email (lower
/// case) when the answer names the project's manager and project.yaml gives an email;
/// otherwise the name as the answer wrote it.
std::string answer_manager_key(const std::string& name, const ProjectConfig& config) {
  const std::string email = manager_key(config.manager.email);
  if (!email.empty() && !trimmed(name).empty() &&
      fold_case(trimmed(name)) == fold_case(trimmed(config.manager.name))) {
    return email;
  }
  return name;
}

}  // namespace

NpsPortfolio read_nps_portfolio(const std::vector<fs::path>& roots, NpsBy by,
                                const NpsPeriod& period) {
  return read_nps_portfolio(directory_projects(roots), by, period);
}

NpsPortfolio read_nps_portfolio(const std::vector<PortfolioProject>& list, NpsBy by,
                                const NpsPeriod& period) {
  NpsPortfolio out;
  NpsBy per_project = by == NpsBy::project ? NpsBy::total : by;
  // By manager: per email, how many projects name the manager each way, in order first seen.
  std::map<std::string, std::vector<std::pair<std::string, int>>> spellings;
  std::vector<PortfolioSkipped> skipped;
  std::vector<PortfolioSkipped> warnings;
  each_portfolio_project(
      list,
      [&](const PortfolioProject& p, const ProjectConfig& config, Ledger& ledger,
          const Calendar&) {
        NpsProject project{fs::path(p.where), config.name, {}};
        auto totals = nps_groups(ledger, NpsBy::total, period);
        project.counts = totals.front().counts;
        if (per_project == NpsBy::manager) {
          std::vector<NpsGroup> groups = nps_groups(ledger, NpsBy::manager, period);
          for (auto& g : groups) {
            g.key = answer_manager_key(g.key, config);
          }
          const std::string email = manager_key(config.manager.email);
          if (!email.empty()) {
            auto& names = spellings[email];
            const std::string name = trimmed(config.manager.name);
            auto it = std::find_if(names.begin(), names.end(),
                                   [&](const auto& n) { return n.first == name; });
            if (it == names.end()) {
              names.emplace_back(name, 1);
            } else {
              ++it->second;
            }
          }
          merge_nps_groups(out.groups, groups);  // sums groups whose keys now agree
        } else if (per_project != NpsBy::total) {
          merge_nps_groups(out.groups, nps_groups(ledger, per_project, period));
        } else if (by == NpsBy::total) {
          merge_nps_groups(out.groups, totals);
        }
        out.projects.push_back(std::move(project));
      },
      skipped, &warnings);
  for (auto& s : skipped) {
    out.skipped.push_back(NpsSkipped{fs::path(s.where), std::move(s.reason)});
  }
  for (auto& w : warnings) {
    out.warnings.push_back(NpsSkipped{fs::path(w.where), std::move(w.reason)});
  }
  if (by == NpsBy::manager && !spellings.empty()) {
    // An email key is shown as "Name <email>", the name the most projects use (ties: first).
    std::vector<NpsGroup> named;
    for (auto& g : out.groups) {
      auto it = spellings.find(g.key);
      if (it != spellings.end()) {
        const auto& names = it->second;
        auto best = names.begin();
        for (auto n = names.begin(); n != names.end(); ++n) {
          best = n->second > best->second ? n : best;
        }
        g.key = fmt::format("{} <{}>", best->first, it->first);
      }
      named.push_back(g);
    }
    out.groups.clear();
    merge_nps_groups(out.groups, named);
  }
  if (by == NpsBy::project) {
    // One group per project, named as the project calls itself; the path tells apart two
    // projects of the same name.
    std::map<std::string, int> names;
    for (const auto& p : out.projects) {
      ++names[p.name];
    }
    std::vector<NpsGroup> groups;
    for (const auto& p : out.projects) {
      std::string key = names[p.name] > 1 ? fmt::format("{} ({})", p.name, p.root.string())
                                          : p.name;
      groups.push_back(NpsGroup{key, p.counts});
    }
    merge_nps_groups(out.groups, groups);
  }
  if (by == NpsBy::total && out.groups.empty()) {
    out.groups.push_back(NpsGroup{});
  }
  return out;
}

}  // namespace pm
