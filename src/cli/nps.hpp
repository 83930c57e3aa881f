#pragma once
// pm nps: what the report (nps_report.cpp) shares with the subcommands (nps.cpp).
#include <string>
#include <vector>

#include "cli/cli.hpp"

namespace pm::cli {

struct NpsReportOptions {
  std::string by;  ///< client, manager, month, quarter, project; empty: the total
  std::string since;
  std::string until;
  bool json = false;
  std::string format;  ///< --format text|json|html; json is the same as --json
  bool portfolio = false;
  std::vector<std::string> projects;  ///< --project DIR: these instead of the registry
  bool chart = false;                 ///< the trend chart even when stdout is not a terminal
};

/// `pm nps` itself: the figures of this project, or of a portfolio.
void run_nps_report(const Globals& globals, const NpsReportOptions& options);

}  // namespace pm::cli
