#include "pm/git.hpp"

#include <fmt/format.h>

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
