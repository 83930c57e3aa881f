#include "pm/util/git_config.hpp"
#include "pm/util/process.hpp"
#include "pm/util/text.hpp"

#include <cctype>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace fs = std::filesystem;

namespace pm {

namespace {

std::string trim(const std::string& text) {
  std::size_t start = text.find_first_not_of(" \t\r");
  if (start == std::string::npos) {
    return "";
  }
  std::size_t end = text.find_last_not_of(" \t\r");
  return text.substr(start, end - start + 1);
}

/// A value as git reads it: quotes removed, escapes applied, a comment cut off; nullopt for
/// what this reader leaves to git (a continued line, an unknown escape).
std::optional<std::string> parse_value(const std::string& raw) {
  std::string out;
  std::string pending_space;
  bool quoted = false;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    char c = raw[i];
    if (!quoted && (c == '#' || c == ';')) {
      break;
    }
    if (!quoted && (c == ' ' || c == '\t' || c == '\r')) {
      if (!out.empty()) {
        pending_space += c;
      }
      continue;
    }
    out += pending_space;
    pending_space.clear();
    if (c == '"') {
      quoted = !quoted;
    } else if (c == '\\') {
      if (i + 1 >= raw.size()) {
        return std::nullopt;  // continued on the next line
      }
      char next = raw[++i];
      switch (next) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case 'n': out += '\n'; break;
        case 't': out += '\t'; break;
        case 'b': if (!out.empty()) { out.pop_back(); } break;
        default: return std::nullopt;
      }
    } else {
      out += c;
    }
  }
  if (quoted) {
    return std::nullopt;
  }
  return out;
}

enum class Scan { ok, unknown };

/// Reads `file` (missing is fine), updating `value` with each `section.key` it sets.
Scan scan_file(const fs::path& file, const std::string& section, const std::string& key,
               std::string& value) {
  std::ifstream in(file);
  if (!in) {
    return Scan::ok;
  }
  std::string line;
  bool in_section = false;
  while (std::getline(in, line)) {
    std::string text = trim(line);
    if (text.empty() || text[0] == '#' || text[0] == ';') {
      continue;
    }
    if (text[0] == '[') {
      std::size_t close = text.find(']');
      if (close == std::string::npos) {
        return Scan::unknown;
      }
      std::string header = trim(text.substr(1, close - 1));
      std::string name = ascii_lower(header.substr(0, header.find_first_of(" \t\".")));
      if (name == "include" || name == "includeif") {
        return Scan::unknown;
      }
      // A subsection ([user "x"], [user.x]) is another section.
      in_section = name == section && header.size() == name.size();
      text = trim(text.substr(close + 1));
      if (text.empty() || text[0] == '#' || text[0] == ';') {
        continue;
      }
    }
    std::size_t eq = text.find('=');
    std::string name = ascii_lower(trim(text.substr(0, eq)));
    if (name == "worktreeconfig") {
      return Scan::unknown;  // extensions.worktreeConfig: another file git reads
    }
    if (!in_section || name != key) {
      continue;
    }
    if (eq == std::string::npos) {
      value = "true";  // a key alone is a boolean true
      continue;
    }
    auto parsed = parse_value(text.substr(eq + 1));
    if (!parsed) {
      return Scan::unknown;
    }
    value = *parsed;
  }
  return Scan::ok;
}

/// The repository's config file for a start directory, "" outside any repository, nullopt
/// when only git can tell.
std::optional<fs::path> repo_config(const fs::path& cwd) {
  std::error_code ec;
  fs::path dir = fs::absolute(cwd, ec);
  if (ec) {
    return std::nullopt;
  }
  for (;;) {
    fs::path dot_git = dir / ".git";
    struct stat st {};
    if (::stat(dot_git.c_str(), &st) == 0) {
      // git refuses repositories of other owners (safe.directory); leave that to it.
      if (st.st_uid != ::geteuid()) {
        return std::nullopt;
      }
      fs::path git_dir = dot_git;
      if (S_ISREG(st.st_mode)) {
        std::ifstream in(dot_git);
        std::string line;
        std::getline(in, line);
        if (line.rfind("gitdir:", 0) != 0) {
          return std::nullopt;
        }
        git_dir = fs::path(trim(line.substr(7)));
        if (git_dir.is_relative()) {
          git_dir = dir / git_dir;
        }
      }
      fs::path common = git_dir;
      std::ifstream commondir(git_dir / "commondir");
      if (std::string line; commondir && std::getline(commondir, line)) {
        common = fs::path(trim(line));
        if (common.is_relative()) {
          common = git_dir / common;
        }
      }
      return common / "config";
    }
    if (!dir.has_parent_path() || dir.parent_path() == dir) {
      return fs::path();
    }
    dir = dir.parent_path();
  }
}

}  // namespace

std::optional<std::string> read_git_config(const std::string& section, const std::string& key,
                                           const fs::path& cwd) {
  for (const char* name : {"GIT_CONFIG", "GIT_CONFIG_GLOBAL", "GIT_CONFIG_SYSTEM",
                           "GIT_CONFIG_COUNT", "GIT_CONFIG_PARAMETERS", "GIT_DIR",
                           "GIT_CEILING_DIRECTORIES", "GIT_DISCOVERY_ACROSS_FILESYSTEM"}) {
    if (const char* value = std::getenv(name); value != nullptr && *value != '\0') {
      return std::nullopt;
    }
  }
  std::vector<fs::path> files;
  if (const char* nosystem = std::getenv("GIT_CONFIG_NOSYSTEM"); nosystem == nullptr) {
    files.emplace_back("/etc/gitconfig");
  }
  const char* home = std::getenv("HOME");
  const char* xdg = std::getenv("XDG_CONFIG_HOME");
  if (xdg != nullptr && *xdg != '\0') {
    files.push_back(fs::path(xdg) / "git" / "config");
  } else if (home != nullptr && *home != '\0') {
    files.push_back(fs::path(home) / ".config" / "git" / "config");
  }
  if (home != nullptr && *home != '\0') {
    files.push_back(fs::path(home) / ".gitconfig");
  }
  auto local = repo_config(cwd);
  if (!local) {
    return std::nullopt;
  }
  if (!local->empty()) {
    files.push_back(*local);
  }
  std::string value;
  for (const auto& file : files) {
    if (scan_file(file, ascii_lower(section), ascii_lower(key), value) == Scan::unknown) {
      return std::nullopt;
    }
  }
  return value;
}

std::string git_config_value(const std::string& section, const std::string& key,
                             const fs::path& cwd) {
  if (auto value = read_git_config(section, key, cwd)) {
    return trimmed(*value);
  }
  ProcessResult git = run_process({"git", "config", "--get", section + "." + key}, cwd);
  return git.code == 0 ? trimmed(git.out) : "";
}

}  // namespace pm
