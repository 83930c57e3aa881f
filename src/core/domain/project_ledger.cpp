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

std::unique_ptr<Ledger> open_project_ledger(const ProjectPaths& paths, const ProjectConfig& config,
                                            Ledger::Mode mode, std::vector<std::string>& warnings,
                                            int busy_timeout_ms) {
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
  // The replica: .pm/ledger.db, made on the first command of a machine that joined.
  auto replica = std::make_unique<Ledger>(
      file, fs::exists(file) ? Ledger::Mode::read_write : Ledger::Mode::create, busy_timeout_ms,
      ledger_file_mode(config));
  LedgerHead head = replica->head();
  if (head.id != project.head_id || head.answer_id != project.answers) {
    pull(*replica, *server, *at);
  }
  if (mode == Ledger::Mode::read_only) {
    replica.reset();
    return std::make_unique<Ledger>(file, mode, busy_timeout_ms);
  }
  std::string yaml = read_file(paths.config());
  if (yaml != project.config && !server->record_config(at->key, yaml)) {
    throw_server_error(*server, at->where(), "record project.yaml on");
  }
  attach_server(*replica, std::move(server), *at);
  return replica;
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
