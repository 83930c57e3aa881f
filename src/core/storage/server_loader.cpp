// Opens the ledger server's module (pm-postgresql.so) with dlopen: why, in server.hpp.
#include <dlfcn.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <system_error>
#include <vector>

#include <fmt/format.h>

#include "pm/storage/server.hpp"
#include "pm/util/error.hpp"

namespace fs = std::filesystem;

namespace pm {
namespace {

constexpr const char* k_module = "pm-postgresql.so";

/// Where the module may be: PM_MODULE_DIR, next to the running pm, its ../lib/pm.
std::vector<fs::path> module_candidates() {
  std::vector<fs::path> out;
  if (const char* dir = std::getenv("PM_MODULE_DIR"); dir != nullptr && *dir != '\0') {
    out.push_back(fs::path(dir) / k_module);
  }
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    out.push_back(exe.parent_path() / k_module);
    out.push_back(exe.parent_path().parent_path() / "lib" / "pm" / k_module);
  }
  return out;
}

std::string dl_error() {
  const char* text = dlerror();
  std::string line = text != nullptr ? text : "unknown error";
  if (auto end = line.find('\n'); end != std::string::npos) {
    line.erase(end);
  }
  return line;
}

ServerConnectFn load() {
  std::string tried;
  for (const auto& candidate : module_candidates()) {
    std::error_code ec;
    if (!fs::exists(candidate, ec)) {
      tried += (tried.empty() ? "" : ", ") + candidate.string();
      continue;
    }
    // Never closed: libpq keeps state for the process (SSL, Kerberos).
    void* handle = dlopen(candidate.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (handle == nullptr) {
      throw Error(fmt::format("cannot load the ledger server's module {}: {}; install libpqxx "
                              "(apt-get install libpqxx-6.4)",
                              candidate.string(), dl_error()));
    }
    auto version = reinterpret_cast<int (*)()>(dlsym(handle, "pm_server_interface"));
    auto connect = reinterpret_cast<ServerConnectFn>(dlsym(handle, "pm_server_connect"));
    if (version == nullptr || connect == nullptr || version() != k_server_interface) {
      throw Error(fmt::format("{} was built for another pm; install the module of this pm",
                              candidate.string()));
    }
    return connect;
  }
  throw Error(fmt::format("this pm has no ledger server module ({} not found: {}); build it "
                          "with libpqxx-dev installed, or set PM_MODULE_DIR to its directory",
                          k_module, tried.empty() ? std::string("nowhere to look") : tried));
}

}  // namespace

std::unique_ptr<Server> connect_server(const std::string& url) {
  static const ServerConnectFn connect = load();
  ServerFailure failure = ServerFailure::none;
  std::string error;
  Server* server = connect(url.c_str(), &failure, &error);
  if (server == nullptr) {
    throw Error(fmt::format("cannot connect to the ledger server: {}", error),
                failure == ServerFailure::unreachable ? Exit::unreachable : Exit::error);
  }
  return std::unique_ptr<Server>(server);
}

void throw_server_error(const Server& server, const std::string& where, const std::string& doing) {
  switch (server.failure()) {
    case ServerFailure::unreachable:
      throw Error(fmt::format("could not {} {}: the server stopped answering ({}); nothing was "
                              "written; try again when it is back",
                              doing, where, server.error()),
                  Exit::unreachable);
    case ServerFailure::in_doubt:
      throw Error(fmt::format("could not {} {}: the connection was lost while committing ({}); "
                              "the server may or may not have recorded it: 'pm log' shows which "
                              "once it answers",
                              doing, where, server.error()),
                  Exit::unreachable);
    case ServerFailure::conflict:
      throw Error(fmt::format("could not {} {}: {}", doing, where, server.error()));
    case ServerFailure::denied:
      throw Error(fmt::format("could not {} {}: the server refused it ({}); pm's role needs "
                              "SELECT and INSERT on pm's tables (docs/server.md)",
                              doing, where, server.error()));
    default:
      throw Error(fmt::format("could not {} {}: {}", doing, where, server.error()));
  }
}

}  // namespace pm
