// The projects of a ledger server as portfolio projects (portfolio_server.hpp).
#include "pm/domain/portfolio_server.hpp"

#include <cstdlib>
#include <memory>

#include <fmt/format.h>

#include "pm/domain/project_calendar.hpp"
#include "pm/domain/project_ledger.hpp"
#include "pm/storage/replica.hpp"
#include "pm/util/error.hpp"
#include "pm/util/sha256.hpp"

namespace fs = std::filesystem;

namespace pm {

fs::path server_cache_dir() {
  const char* cache = std::getenv("XDG_CACHE_HOME");
  if (cache != nullptr && *cache != '\0' && fs::path(cache).is_absolute()) {
    return fs::path(cache) / "pm" / "servers";
  }
  const char* home = std::getenv("HOME");
  if (home == nullptr || *home == '\0') {
    throw Error("neither XDG_CACHE_HOME nor HOME is set, so pm has no place for its copies of "
                "the server's ledgers; set HOME");
  }
  return fs::path(home) / ".cache" / "pm" / "servers";
}

std::vector<PortfolioProject> server_projects(const std::string& url,
                                              const std::set<std::string>& skip_keys) {
  std::shared_ptr<Server> server(connect_server(url).release());
  std::vector<ServerProject> projects;
  if (!server->projects(projects)) {
    throw_server_error(*server, ServerLocation{url, ""}.where(), "read the projects of");
  }
  // One directory per server, named by its URL's digest: two servers' keys never meet.
  const fs::path dir = server_cache_dir() / sha256_hex(url).substr(0, 16);
  std::vector<PortfolioProject> out;
  for (const auto& project : projects) {
    if (skip_keys.count(project.key) != 0) {
      continue;
    }
    const ServerLocation at{url, project.key};
    PortfolioProject p;
    p.where = at.where();
    const std::string config = project.config;
    p.config = [config, where = p.where] {
      if (config.empty()) {
        throw Error("the server holds no project.yaml for it");
      }
      return parse_config(config, "project.yaml of " + where);
    };
    const std::int64_t head = project.head_id;
    const std::int64_t answers = project.answers;
    p.open = [server, at, dir, head, answers] {
      fs::create_directories(dir);
      const fs::path file = dir / (at.key + ".db");
      auto replica = std::make_unique<Ledger>(
          file.string(), fs::exists(file) ? Ledger::Mode::read_write : Ledger::Mode::create);
      LedgerHead mine = replica->head();
      if (mine.id != head || mine.answer_id != answers) {
        pull(*replica, *server, at);
      }
      return replica;
    };
    p.calendar = [dir](const ProjectConfig& config) { return project_calendar(config, dir); };
    p.warnings = [] { return std::vector<std::string>{}; };
    out.push_back(std::move(p));
  }
  return out;
}

void servers_of(const std::vector<fs::path>& roots, std::set<std::string>& urls,
                std::set<std::string>& keys) {
  for (const auto& root : roots) {
    try {
      std::string line = ledger_line(read_file(ProjectPaths{root}.config()));
      if (line.empty()) {
        continue;
      }
      ProjectConfig config;
      config.ledger = line;
      if (auto at = project_server(config)) {
        urls.insert(at->url);
        keys.insert(at->key);
      }
    } catch (const Error&) {
      // Unreadable: the portfolio reports it when it reads the project itself.
    }
  }
}

}  // namespace pm
