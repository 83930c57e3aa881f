#pragma once
// The projects of a ledger server as portfolio projects (portfolio.hpp): every project the
// server holds, each read from a replica kept in the user's cache and brought up to date only
// when its head moved, so a portfolio of a whole agency costs one query to the server plus
// what its projects' own ledgers cost (docs/portfolio.md, docs/server.md).
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "pm/domain/portfolio.hpp"

namespace pm {

/// Where the replicas of projects that are not checked out on this machine live:
/// $XDG_CACHE_HOME/pm/servers, or ~/.cache/pm/servers.
std::filesystem::path server_cache_dir();

/// Every project on the server `url`, except those whose key is in `skip_keys` (checked out
/// here, and read from their own directory). Throws pm::Error when the server cannot be
/// reached.
std::vector<PortfolioProject> server_projects(const std::string& url,
                                              const std::set<std::string>& skip_keys);

/// The servers the projects in `roots` keep their ledgers on (`ledger:` in their
/// project.yaml), each once, and the keys of those projects; unreadable ones are left out.
void servers_of(const std::vector<std::filesystem::path>& roots, std::set<std::string>& urls,
                std::set<std::string>& keys);

}  // namespace pm
