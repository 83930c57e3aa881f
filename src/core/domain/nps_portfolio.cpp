// NPS across projects: each ledger read on its own, read-only, and the counts merged.
#include <map>
#include <set>

#include <fmt/format.h>

#include "pm/util/error.hpp"
#include "pm/domain/nps.hpp"
#include "pm/domain/project.hpp"

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

}  // namespace

NpsPortfolio read_nps_portfolio(const std::vector<fs::path>& roots, NpsBy by,
                                const NpsPeriod& period) {
  NpsPortfolio out;
  std::set<fs::path> seen;
  NpsBy per_project = by == NpsBy::project ? NpsBy::total : by;
  for (const auto& given : roots) {
    fs::path root = normal_root(given);
    if (!seen.insert(root).second) {
      continue;
    }
    try {
      ProjectPaths paths{root};
      std::error_code ec;
      if (!fs::is_directory(paths.dir(), ec)) {
        throw Error(fs::exists(root, ec) ? "no pm project there (no .pm/ directory)"
                                         : "the directory does not exist");
      }
      ProjectConfig config = load_config(paths.config());
      Ledger ledger(paths.ledger().string(), Ledger::Mode::read_only);
      NpsProject project{root, config.name, {}};
      auto totals = nps_groups(ledger, NpsBy::total, period);
      project.counts = totals.front().counts;
      if (per_project != NpsBy::total) {
        merge_nps_groups(out.groups, nps_groups(ledger, per_project, period));
      } else if (by == NpsBy::total) {
        merge_nps_groups(out.groups, totals);
      }
      out.projects.push_back(std::move(project));
    } catch (const std::exception& e) {
      out.skipped.push_back(NpsSkipped{root, e.what()});
    }
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
