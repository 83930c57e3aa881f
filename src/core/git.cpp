#include "pm/git.hpp"

#include <cstdlib>
#include <fstream>
#include <iterator>

#include <fmt/format.h>
#include <zlib.h>

#include "pm/error.hpp"
#include "pm/process.hpp"

namespace fs = std::filesystem;

namespace pm {

namespace {

std::string chomp(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) {
    text.pop_back();
  }
  return text;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) {
      lines.push_back(text.substr(start));
      break;
    }
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

bool blank(const std::string& line) { return line.find_first_not_of(" \t\r") == std::string::npos; }

}  // namespace

std::vector<Trailer> parse_trailers(const std::string& message) {
  std::vector<std::string> lines = lines_of(chomp(message));
  // Drop comment lines (git strips them before the hook sees the message, but --from-commit
  // may read a message written with a cleanup mode that keeps them).
  std::size_t last_start = lines.size();
  while (last_start > 0 && !blank(lines[last_start - 1])) {
    --last_start;
  }
  if (last_start == 0) {
    return {};  // one paragraph: the subject (and its body), never trailers
  }
  std::vector<Trailer> out;
  for (std::size_t i = last_start; i < lines.size(); ++i) {
    const std::string& line = lines[i];
    if ((line[0] == ' ' || line[0] == '\t') && !out.empty()) {
      auto start = line.find_first_not_of(" \t");
      out.back().value += ' ';
      out.back().value += chomp(line.substr(start));
      continue;
    }
    auto colon = line.find(':');
    if (colon == std::string::npos || colon == 0) {
      continue;
    }
    std::string key = line.substr(0, colon);
    if (key.find_first_of(" \t") != std::string::npos) {
      continue;
    }
    auto start = line.find_first_not_of(" \t", colon + 1);
    std::string value = start == std::string::npos ? "" : chomp(line.substr(start));
    out.push_back({key, value});
  }
  return out;
}

Commit read_commit(const fs::path& repo, const std::string& rev) {
  ProcessResult r = run_process(
      {"git", "log", "-1", "--no-show-signature", "--format=%H%x00%an%x00%aI%x00%s%x00%B", rev,
       "--"},
      repo);
  auto fields = std::vector<std::string>{};
  std::size_t start = 0;
  for (int i = 0; i < 4 && r.code == 0; ++i) {
    std::size_t end = r.out.find('\0', start);
    if (end == std::string::npos) {
      break;
    }
    fields.push_back(r.out.substr(start, end - start));
    start = end + 1;
  }
  if (r.code != 0 || fields.size() != 4) {
    throw Error(fmt::format("cannot read commit '{}' in {}: is it a git repository, and does the "
                            "commit exist?",
                            rev, repo.string()));
  }
  Commit c;
  c.id = fields[0];
  c.author = fields[1];
  c.date = parse_instant(fields[2], "commit date");
  c.subject = fields[3];
  c.message = r.out.substr(start);
  return c;
}

std::string head_reflog_subject(const fs::path& repo) {
  ProcessResult r = run_process({"git", "log", "-g", "-1", "--format=%gs", "HEAD"}, repo);
  return r.code == 0 ? chomp(r.out) : std::string();
}


namespace {

std::optional<std::string> first_line(const fs::path& file) {
  std::ifstream in(file);
  std::string line;
  if (!in || !std::getline(in, line)) {
    return std::nullopt;
  }
  return chomp(line);
}

/// The repository's git directory and common directory (they differ in a worktree).
std::optional<std::pair<fs::path, fs::path>> git_dirs(const fs::path& repo) {
  std::error_code ec;
  fs::path git_dir;
  if (const char* env = std::getenv("GIT_DIR"); env != nullptr && *env != '\0') {
    git_dir = fs::path(env).is_absolute() ? fs::path(env) : repo / env;
  } else {
    fs::path dir = fs::absolute(repo, ec);
    if (ec) {
      return std::nullopt;
    }
    for (;;) {
      fs::path dot_git = dir / ".git";
      if (fs::is_directory(dot_git, ec)) {
        git_dir = dot_git;
        break;
      }
      if (fs::is_regular_file(dot_git, ec)) {
        auto line = first_line(dot_git);
        if (!line || line->rfind("gitdir:", 0) != 0) {
          return std::nullopt;
        }
        std::string target = line->substr(line->find_first_not_of(' ', 7));
        git_dir = fs::path(target).is_absolute() ? fs::path(target) : dir / target;
        break;
      }
      if (dir.parent_path() == dir) {
        return std::nullopt;
      }
      dir = dir.parent_path();
    }
  }
  fs::path common = git_dir;
  if (auto line = first_line(git_dir / "commondir")) {
    common = fs::path(*line).is_absolute() ? fs::path(*line) : git_dir / *line;
  }
  return std::make_pair(git_dir, common);
}

bool is_hex_id(const std::string& id) {
  if (id.size() != 40 && id.size() != 64) {
    return false;
  }
  return id.find_first_not_of("0123456789abcdef") == std::string::npos;
}

}  // namespace

std::optional<std::string> read_head_message(const fs::path& repo) {
  auto dirs = git_dirs(repo);
  if (!dirs) {
    return std::nullopt;
  }
  const auto& [git_dir, common] = *dirs;
  auto head = first_line(git_dir / "HEAD");
  if (!head) {
    return std::nullopt;
  }
  std::string id = *head;
  if (head->rfind("ref: ", 0) == 0) {
    std::string ref = head->substr(5);
    auto value = first_line(git_dir / ref);
    if (!value) {
      value = first_line(common / ref);
    }
    if (!value) {
      return std::nullopt;  // a packed ref: git knows
    }
    id = *value;
  }
  if (!is_hex_id(id)) {
    return std::nullopt;
  }
  std::ifstream in(common / "objects" / id.substr(0, 2) / id.substr(2), std::ios::binary);
  if (!in) {
    return std::nullopt;  // packed: git knows
  }
  std::string packed((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  z_stream z{};
  if (inflateInit(&z) != Z_OK) {
    return std::nullopt;
  }
  std::string raw;
  char buffer[16384];
  z.next_in = reinterpret_cast<Bytef*>(packed.data());
  z.avail_in = static_cast<uInt>(packed.size());
  int status = Z_OK;
  while (status == Z_OK) {
    z.next_out = reinterpret_cast<Bytef*>(buffer);
    z.avail_out = sizeof buffer;
    status = inflate(&z, Z_NO_FLUSH);
    raw.append(buffer, sizeof buffer - z.avail_out);
    if (raw.size() > (16u << 20)) {
      break;
    }
  }
  inflateEnd(&z);
  if (status != Z_STREAM_END || raw.rfind("commit ", 0) != 0) {
    return std::nullopt;
  }
  std::size_t body = raw.find('\0');
  std::size_t end_of_headers = raw.find("\n\n", body);
  if (body == std::string::npos || end_of_headers == std::string::npos) {
    return std::nullopt;
  }
  // Headers, one a line (a continuation starts with a space): another encoding is git's job.
  std::size_t at = body + 1;
  while (at < end_of_headers) {
    std::size_t eol = raw.find('\n', at);
    if (raw.compare(at, 9, "encoding ") == 0) {
      return std::nullopt;
    }
    at = eol + 1;
  }
  return raw.substr(end_of_headers + 2);
}

fs::path hooks_dir(const fs::path& repo) {
  ProcessResult top = run_process({"git", "rev-parse", "--show-toplevel"}, repo);
  ProcessResult r = run_process({"git", "rev-parse", "--git-path", "hooks"}, repo);
  if (r.code != 0 || top.code != 0) {
    throw Error(fmt::format("{} is not inside a git repository; pass --repo DIR", repo.string()));
  }
  fs::path dir = chomp(r.out);
  // A relative answer is relative to the directory git ran in.
  return dir.is_absolute() ? dir : (fs::absolute(repo) / dir).lexically_normal();
}

}  // namespace pm
