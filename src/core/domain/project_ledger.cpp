// Opening a project's ledger, local or on a server (project_ledger.hpp).
#include "pm/domain/project_ledger.hpp"

#include <cstdlib>
#include <filesystem>

#include <fmt/format.h>

#include "pm/util/error.hpp"

namespace fs = std::filesystem;

namespace pm {

std::optional<std::string> default_server_url() {
  const char* env = std::getenv("PM_LEDGER_URL");
  if (env == nullptr || *env == '\0') {
    return std::nullopt;
  }
  check_server_url(env, "PM_LEDGER_URL");
  return std::string(env);
}

std::optional<ServerLocation> project_server(const ProjectConfig& config) {
  if (config.ledger.empty()) {
    return std::nullopt;
  }
  ServerLocation at = parse_server_location(config.ledger, "project.yaml's 'ledger'");
  if (auto url = default_server_url()) {
    at.url = *url;
  }
  return at;
}

namespace {

/// The replica, brought up to date from `server` (open_project_ledger).
std::unique_ptr<Ledger> open_replica(const ProjectPaths& paths, const ProjectConfig& config,
                                     Ledger::Mode mode, int busy_timeout_ms, bool record_config,
                                     const ServerLocation& at_server,
                                     std::unique_ptr<Server> server) {
  const std::string file = paths.ledger().string();
  const ServerLocation* at = &at_server;
  // The replica: .pm/ledger.db, made on the first command of a machine that joined.
  auto replica = std::make_unique<Ledger>(
      file, fs::exists(file) ? Ledger::Mode::read_write : Ledger::Mode::create, busy_timeout_ms,
      ledger_file_mode(config));
  // The replica's head first, then the server's: a write reaches the server before the
  // replica, so read in this order the server is never behind unless the replica was written
  // behind pm's back.
  LedgerHead head = replica->head();
  bool found = false;
  ServerProject project;
  if (!server->project(at->key, project, found)) {
    throw_server_error(*server, at->where(), "read the project from");
  }
  if (!found) {
    throw Error(fmt::format("the server {} holds no project '{}'; check 'ledger:' in {}, or move "
                            "this project's ledger there with 'pm ledger move'",
                            at->where(), at->key, paths.config().string()));
  }
  if (head.id > project.head_id || head.answer_id > project.answers) {
    throw Error(fmt::format("this machine's copy of the ledger, {}, holds entries the server {} "
                            "lacks ({} against {}): it was written outside pm; run 'pm verify', "
                            "and move the file aside to read the server's afresh",
                            file, at->where(), head.id, project.head_id),
                Exit::integrity);
  }
  if (head.id != project.head_id || head.answer_id != project.answers) {
    pull(*replica, *server, *at);
  }
  if (mode == Ledger::Mode::read_only) {
    replica.reset();
    return std::make_unique<Ledger>(file, mode, busy_timeout_ms);
  }
  if (record_config) {
    std::string yaml = read_file(paths.config());
    if (yaml != project.config && !server->record_config(at->key, yaml)) {
      throw_server_error(*server, at->where(), "record project.yaml on");
    }
  }
  attach_server(*replica, std::move(server), *at);
  return replica;
}

}  // namespace

std::unique_ptr<Ledger> open_project_ledger(const ProjectPaths& paths, const ProjectConfig& config,
                                            Ledger::Mode mode, std::vector<std::string>& warnings,
                                            int busy_timeout_ms, bool record_config) {
  const std::string file = paths.ledger().string();
  std::optional<ServerLocation> at = project_server(config);
  if (!at) {
    return std::make_unique<Ledger>(file, mode, busy_timeout_ms, ledger_file_mode(config));
  }
  std::unique_ptr<Server> server;
  try {
    server = connect_server(at->url);
  } catch (const Error& e) {
    if (mode != Ledger::Mode::read_only || e.code() != Exit::unreachable || !fs::exists(file)) {
      throw Error(fmt::format("{} (the ledger of this project is on {})", e.what(), at->where()),
                  e.code());
    }
    warnings.push_back(fmt::format("{}; showing this machine's copy of the ledger as it was",
                                   e.what()));
    return std::make_unique<Ledger>(file, mode, busy_timeout_ms);
  }
  try {
    return open_replica(paths, config, mode, busy_timeout_ms, record_config, *at,
                        std::move(server));
  } catch (const Error&) {
    throw;
  } catch (const std::exception& e) {
    rethrow_sqlite(e, file, "read");
  }
}

std::string ledger_line(const std::string& yaml) {
  std::size_t at = 0;
  while (at < yaml.size()) {
    std::size_t end = yaml.find('\n', at);
    if (end == std::string::npos) {
      end = yaml.size();
    }
    std::string line = yaml.substr(at, end - at);
    if (line.rfind("ledger:", 0) == 0) {
      std::string value = line.substr(7);
      auto b = value.find_first_not_of(" \t\"'");
      auto e = value.find_last_not_of(" \t\r\"'");
      return b == std::string::npos ? "" : value.substr(b, e - b + 1);
    }
    at = end + 1;
  }
  return "";
}

std::unique_ptr<Ledger> server_ledger_copy(const ServerLocation& at) {
  std::unique_ptr<Server> server = connect_server(at.url);
  bool found = false;
  ServerProject project;
  if (!server->project(at.key, project, found)) {
    throw_server_error(*server, at.where(), "read the project from");
  }
  if (!found) {
    throw Error(fmt::format("the server {} holds no project '{}'", at.where(), at.key));
  }
  auto copy = std::make_unique<Ledger>(":memory:", Ledger::Mode::create);
  copy_from_server(*server, at, *copy);
  return copy;
}

}  // namespace pm
