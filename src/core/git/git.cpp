#include "pm/git/git.hpp"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iterator>

#include <fmt/format.h>
#include <zlib.h>

#include "pm/util/error.hpp"
#include "pm/util/process.hpp"

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
      if (!out.back().value.empty()) {  // "Key:" with its value on the next line, as git reads it
        out.back().value += ' ';
      }
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

/// The id HEAD points at, when a loose ref (or a detached HEAD) says it.
std::optional<std::string> head_id(const fs::path& git_dir, const fs::path& common) {
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
  return id;
}

/// A loose commit object, inflated: "commit SIZE\0headers\n\nmessage".
std::optional<std::string> loose_commit(const fs::path& common, const std::string& id) {
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
  return raw;
}

/// Git's whitespace (its own isspace).
bool git_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

/// Length of the line at `at` with its newline (git's get_one_line).
std::size_t one_line(const std::string& text, std::size_t at) {
  std::size_t eol = text.find('\n', at);
  return eol == std::string::npos ? text.size() - at : eol - at + 1;
}

/// The line's length without trailing whitespace; 0 for a blank line (git's is_blank_line).
std::size_t unblank_length(const std::string& text, std::size_t at, std::size_t length) {
  while (length > 0 && git_space(text[at + length - 1])) {
    --length;
  }
  return length;
}

/// %s: the first paragraph after any blank lines, its lines joined by spaces.
std::string subject_of(const std::string& message) {
  std::size_t at = 0;
  while (at < message.size()) {
    std::size_t length = one_line(message, at);
    if (unblank_length(message, at, length) != 0) {
      break;
    }
    at += length;
  }
  std::string subject;
  while (at < message.size()) {
    std::size_t length = one_line(message, at);
    std::size_t kept = unblank_length(message, at, length);
    if (kept == 0) {
      break;
    }
    if (!subject.empty()) {
      subject += ' ';
    }
    subject.append(message, at, kept);
    at += length;
  }
  return subject;
}

/// A commit as `git log --format=%H%x00%an%x00%aI%x00%s%x00%B` gives it (read_commit), from
/// its raw object; nullopt for what this reader leaves to git.
std::optional<Commit> parse_commit(const std::string& id, const std::string& raw) {
  std::size_t body = raw.find('\0');
  if (body == std::string::npos) {
    return std::nullopt;
  }
  std::size_t end_of_headers = raw.find("\n\n", body);
  if (end_of_headers == std::string::npos) {
    return std::nullopt;
  }
  Commit c;
  c.id = id;
  bool have_author = false;
  // Headers, one a line (a continuation starts with a space): another encoding is git's job.
  std::size_t at = body + 1;
  while (at < end_of_headers) {
    std::size_t eol = raw.find('\n', at);
    if (raw.compare(at, 9, "encoding ") == 0) {
      return std::nullopt;
    }
    if (raw.compare(at, 7, "author ") == 0 && !have_author) {
      // "author Name <email> 1700000000 +0100": the name ends before the first '<', the date
      // follows the last '>' (git's split_ident_line).
      std::string ident = raw.substr(at + 7, eol - at - 7);
      std::size_t lt = ident.find('<');
      std::size_t gt = ident.rfind('>');
      if (lt == std::string::npos || gt == std::string::npos || gt < lt) {
        return std::nullopt;
      }
      std::size_t name_end = lt;
      while (name_end > 0 && git_space(ident[name_end - 1])) {
        --name_end;
      }
      c.author = ident.substr(0, name_end);
      std::size_t digits = ident.find_first_not_of(' ', gt + 1);
      std::size_t digits_end = ident.find_first_not_of("0123456789", digits);
      if (digits == std::string::npos || digits_end == digits || digits_end - digits > 11 ||
          digits_end == std::string::npos || ident[digits_end] != ' ') {
        return std::nullopt;
      }
      c.date = Instant{std::chrono::seconds{std::stoll(ident.substr(digits, digits_end - digits))}};
      have_author = true;
    }
    at = eol + 1;
  }
  if (!have_author) {
    return std::nullopt;
  }
  std::string message = raw.substr(end_of_headers + 2);
  c.subject = subject_of(message);
  c.message = message + "\n";  // git log ends each commit's format with a newline
  return c;
}

}  // namespace

std::optional<Commit> read_loose_commit(const fs::path& repo, const std::string& id) {
  auto dirs = git_dirs(repo);
  if (!dirs || !is_hex_id(id)) {
    return std::nullopt;
  }
  auto raw = loose_commit(dirs->second, id);
  return raw ? parse_commit(id, *raw) : std::nullopt;
}

std::optional<Commit> read_head_commit(const fs::path& repo) {
  auto dirs = git_dirs(repo);
  if (!dirs) {
    return std::nullopt;
  }
  auto id = head_id(dirs->first, dirs->second);
  if (!id) {
    return std::nullopt;
  }
  auto raw = loose_commit(dirs->second, *id);
  return raw ? parse_commit(*id, *raw) : std::nullopt;
}

std::optional<std::string> read_head_message(const fs::path& repo) {
  auto commit = read_head_commit(repo);
  if (!commit) {
    return std::nullopt;
  }
  commit->message.pop_back();  // the raw message, without git log's newline
  return commit->message;
}

std::string head_reflog_subject(const fs::path& repo) {
  // The last line of logs/HEAD is "old new ident\tsubject"; git log -g when it is unusual.
  if (auto dirs = git_dirs(repo)) {
    std::ifstream in(dirs->first / "logs" / "HEAD", std::ios::binary | std::ios::ate);
    if (!in) {
      return "";  // no reflog: git log -g has nothing to say either
    }
    std::streamoff size = in.tellg();
    std::streamoff from = std::max<std::streamoff>(0, size - 65536);
    std::string tail(static_cast<std::size_t>(size - from), '\0');
    in.seekg(from);
    if (in.read(tail.data(), static_cast<std::streamsize>(tail.size()))) {
      if (!tail.empty() && tail.back() == '\n') {
        tail.pop_back();
      }
      std::size_t start = tail.rfind('\n');
      if (start != std::string::npos || from == 0) {
        std::string line = tail.substr(start == std::string::npos ? 0 : start + 1);
        std::size_t tab = line.find('\t');
        return tab == std::string::npos ? "" : chomp(line.substr(tab + 1));
      }
    }
  }
  ProcessResult r = run_process({"git", "log", "-g", "-1", "--format=%gs", "HEAD"}, repo);
  return r.code == 0 ? chomp(r.out) : std::string();
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
