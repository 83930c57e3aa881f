// pm ledger: where the project's ledger is kept. `status` says; `move` copies a local ledger
// to a server and switches the project to it; `join` makes a project directory for a project
// already on a server (docs/server.md).
#include <cstdio>
#include <filesystem>
#include <random>

#include <SQLiteCpp/SQLiteCpp.h>
#include <fmt/format.h>

#include "cli/cli.hpp"
#include "pm/domain/project_ledger.hpp"
#include "pm/domain/registry.hpp"
#include "pm/storage/chain.hpp"
#include "pm/storage/integrity.hpp"
#include "pm/util/error.hpp"

namespace fs = std::filesystem;

namespace pm::cli {
namespace {

struct LedgerOptions {
  std::string url;
  std::string key;
  std::string dir;
  bool json = false;
};

void run_status(const Globals& globals, const LedgerOptions& options) {
  Session session = open_session(globals);
  std::optional<ServerLocation> at = project_server(session.config);
  auto ledger = session.open_ledger(true);
  LedgerHead head = ledger->head();
  const std::string head_text = head.id == 0 ? "none" : fmt::format("{}:{}", head.id, head.hash);
  if (options.json) {
    Json out{{"version", 1},
             {"engine", at ? "postgresql" : "sqlite"},
             {"server", at ? Json(at->where()) : Json(nullptr)},
             {"key", at ? Json(at->key) : Json(nullptr)},
             {"file", ledger->path()},
             {"entries", head.id},
             {"head", head_text}};
    emit(dump_json(out, 2) + "\n", "");
    return;
  }
  if (at) {
    std::printf("ledger: on the server %s (key %s)\ncopy on this machine: %s\n",
                at->where().c_str(), at->key.c_str(), ledger->path().c_str());
  } else {
    std::printf("ledger: %s (this machine only; 'pm ledger move postgresql://…' shares it)\n",
                ledger->path().c_str());
  }
  std::printf("entries: %lld\nhead: %s\n", static_cast<long long>(head.id), head_text.c_str());
}

/// Adds `ledger: TEXT` to project.yaml, keeping the rest of the file as written.
void point_config_at(const ProjectPaths& paths, const ProjectConfig& config,
                     const ServerLocation& at) {
  std::string yaml = read_file(paths.config());
  if (!yaml.empty() && yaml.back() != '\n') {
    yaml += '\n';
  }
  yaml += fmt::format("# The ledger is kept on a server; .pm/ledger.db is this machine's copy "
                      "(docs/server.md).\nledger: {}\n",
                      at.text());
  write_file_atomic(paths.config(), yaml, project_file_mode(config));
}

void run_move(const Globals& globals, const LedgerOptions& options) {
  Session session = open_session(globals);
  if (!session.config.ledger.empty()) {
    throw Error(fmt::format("the project's ledger is already on a server ({}); 'pm ledger "
                            "status' says where",
                            session.config.ledger));
  }
  check_server_url(options.url, "the server's URL");
  if (!options.key.empty() && !is_project_key(options.key)) {
    throw Error(fmt::format("--key {}: a project key is 1 to 63 of a-z, 0-9 and '-'",
                            options.key),
                Exit::usage);
  }
  ServerLocation at{options.url,
                    options.key.empty() ? new_project_key(session.config.name) : options.key};
  auto ledger = session.open_ledger();
  // Nobody appends while the ledger is copied: this write transaction holds the file's lock
  // until project.yaml names the server.
  WriteTransaction hold(*ledger);
  VerifyResult chain = verify_chain(ledger->db());
  if (!chain.ok) {
    throw Error(fmt::format("ledger {} failed verification ({}): a damaged ledger is not "
                            "moved; 'pm verify' says more",
                            ledger->path(), chain.problem),
                Exit::integrity);
  }
  LedgerHead head = ledger->head();
  auto server = connect_server(at.url);
  std::vector<ServerProject> projects;
  if (!server->projects(projects)) {
    throw_server_error(*server, at.where(), "read the projects of");
  }
  for (const auto& p : projects) {
    if (head.id > 0 && p.head_id >= head.id && p.head_hash == head.hash) {
      throw Error(fmt::format("the server already holds this ledger, as project '{}'; join it "
                              "with 'pm ledger join {}#{}' instead",
                              p.key, at.url, p.key));
    }
  }
  ProjectConfig moved = session.config;
  moved.ledger = at.text();
  push_all(*ledger, *server, at, read_file(session.paths.config()));
  // Proved by the chain: the server's copy, read back, ends in the same head.
  auto record = server_ledger_copy(at);
  if (std::string problem = check_anchor(record->db(), chain_head(ledger->db()), false);
      !problem.empty() || record->head().answer_id != head.answer_id) {
    throw Error(fmt::format("the copy on {} does not read back as this ledger ({}); the project "
                            "stays local",
                            at.where(), problem.empty() ? "NPS answers differ" : problem),
                Exit::integrity);
  }
  point_config_at(session.paths, session.config, at);
  hold.commit();
  note(globals, fmt::format("Moved {} entries{} to {}; verified against the chain (head {}). The "
                            "project now reads and writes there; .pm/ledger.db is this "
                            "machine's copy. Others join with: pm ledger join {}",
                            head.id,
                            head.answer_id > 0 ? fmt::format(" and {} NPS answers", head.answer_id)
                                               : std::string(),
                            at.where(), head.id == 0 ? "none" : std::to_string(head.id),
                            at.text()));
}

void run_join(const Globals& globals, const LedgerOptions& options) {
  ServerLocation at = parse_server_location(options.url, "the project's location");
  fs::path root = options.dir.empty() ? start_directory(globals) : options.dir;
  ensure_no_project(root);
  auto server = connect_server(at.url);
  bool found = false;
  ServerProject project;
  if (!server->project(at.key, project, found)) {
    throw_server_error(*server, at.where(), "read the project from");
  }
  if (!found) {
    throw Error(fmt::format("the server {} holds no project '{}'; 'pm portfolio' lists the "
                            "projects it holds",
                            at.where(), at.key));
  }
  // The project's settings as the server last had them, read like any project.yaml.
  fs::create_directories(root);
  fs::path probe = root / fmt::format(".pm-join-{:08x}.yaml", std::random_device()());
  ProjectConfig config;
  try {
    write_file_atomic(probe, project.config, 0600);
    config = load_config(probe);
  } catch (...) {
    std::error_code ec;
    fs::remove(probe, ec);
    throw;
  }
  fs::remove(probe);
  config.ledger = at.text();
  ProjectPaths paths = init_project(root, config);
  std::vector<std::string> warnings;
  auto ledger = open_project_ledger(paths, config, Ledger::Mode::read_only, warnings);
  try {
    register_project(registry_path(), paths.root);
  } catch (const std::exception&) {
    // The portfolio finds it on the server anyway.
  }
  note(globals, fmt::format("Joined project '{}' ({}) in {}: {} entries", config.name,
                            at.where(), paths.root.string(), ledger->head().id));
}

}  // namespace

void setup_ledger(CLI::App& app, const Globals& globals) {
  auto options = std::make_shared<LedgerOptions>();
  CLI::App* cmd = app.add_subcommand(
      "ledger", "Where the ledger is kept: status, move to a server, join a project on one");
  cmd->require_subcommand(1);
  CLI::App* status = cmd->add_subcommand("status", "Say where the ledger is and its head");
  status->add_flag("--json", options->json, "As JSON");
  status->callback([options, &globals] { run_status(globals, *options); });

  CLI::App* move = cmd->add_subcommand(
      "move", "Copy the ledger to a server (postgresql://HOST/DATABASE), verified by the chain, "
              "and keep it there from now on");
  move->add_option("url", options->url, "The server, postgresql://HOST/DATABASE")
      ->required()
      ->option_text("URL");
  move->add_option("--key", options->key,
                   "The project's key on the server (default: its name and 6 random digits)");
  move->callback([options, &globals] { run_move(globals, *options); });

  CLI::App* join = cmd->add_subcommand(
      "join", "Make a project directory for a project on a server: URL#KEY [DIR]");
  join->add_option("location", options->url, "postgresql://HOST/DATABASE#KEY")
      ->required()
      ->option_text("URL#KEY");
  join->add_option("dir", options->dir, "Directory of the project (default: the current one)")
      ->option_text("DIR");
  join->callback([options, &globals] { run_join(globals, *options); });
}

}  // namespace pm::cli
