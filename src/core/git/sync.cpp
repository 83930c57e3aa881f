#include "pm/git/sync.hpp"

#include <fmt/format.h>

#include "pm/domain/project.hpp"
#include "pm/git/commits.hpp"
#include "pm/util/error.hpp"
#include "pm/util/json.hpp"
#include "pm/util/process.hpp"

namespace fs = std::filesystem;

namespace pm {

namespace {

const char* k_mark_file = "hook-sync";

std::string chomp(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) {
    text.pop_back();
  }
  return text;
}

}  // namespace

std::optional<SyncMark> read_sync_mark(const fs::path& pm_dir) {
  std::error_code ec;
  if (!fs::is_regular_file(pm_dir / k_mark_file, ec)) {
    return std::nullopt;
  }
  Json j = Json::parse(read_file(pm_dir / k_mark_file), nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("repo") || !j["repo"].is_string()) {
    return std::nullopt;  // unreadable: as if never synced; a sync writes it again
  }
  SyncMark mark;
  mark.repo = j["repo"].get<std::string>();
  mark.head = j.value("head", "");
  return mark;
}

void write_sync_mark(const fs::path& pm_dir, const SyncMark& mark) {
  Json j{{"repo", mark.repo.string()}, {"head", mark.head}};
  write_file_atomic(pm_dir / k_mark_file, j.dump() + "\n");
}

void remove_sync_mark(const fs::path& pm_dir) {
  std::error_code ec;
  fs::remove(pm_dir / k_mark_file, ec);
}

std::string head_commit_id(const fs::path& repo) {
  if (std::optional<Commit> head = read_head_commit(repo)) {
    return head->id;
  }
  ProcessResult r = run_process({"git", "rev-parse", "--verify", "-q", "HEAD^{commit}"}, repo);
  return r.code == 0 ? chomp(r.out) : std::string();
}

std::vector<Commit> commits_since(const fs::path& repo, const std::string& since) {
  // One git process for all of them: five NUL-ended fields a commit (-z ends each with NUL).
  std::vector<std::string> argv = {
      "git", "log", "--reverse", "--date-order", "-z", "--no-show-signature",
      "--format=%H%x00%an%x00%aI%x00%s%x00%B", "HEAD"};
  if (!since.empty()) {
    argv.push_back("^" + since);
  }
  argv.push_back("--");
  ProcessResult r = run_process(argv, repo);
  if (r.code != 0 && !since.empty()) {
    return commits_since(repo, "");  // the mark's commit is gone (gc'd history): read it all
  }
  if (r.code != 0) {
    if (head_commit_id(repo).empty()) {
      return {};  // no commit yet
    }
    throw Error(fmt::format("cannot read the commits of {} with git log; is git installed?",
                            repo.string()));
  }
  std::vector<std::string> fields;
  std::size_t start = 0;
  while (start < r.out.size()) {
    std::size_t end = r.out.find('\0', start);
    if (end == std::string::npos) {
      end = r.out.size();
    }
    fields.push_back(r.out.substr(start, end - start));
    start = end + 1;
  }
  std::vector<Commit> out;
  for (std::size_t i = 0; i + 5 <= fields.size(); i += 5) {
    Commit c;
    c.id = fields[i];
    c.author = fields[i + 1];
    c.date = parse_instant(fields[i + 2], "commit date");
    c.subject = fields[i + 3];
    c.message = fields[i + 4];
    out.push_back(std::move(c));
  }
  return out;
}

SyncPlan plan_sync(const fs::path& repo, const fs::path& pm_dir) {
  std::optional<SyncMark> mark = read_sync_mark(pm_dir);
  SyncPlan plan;
  plan.head = head_commit_id(repo);
  if (plan.head.empty() || (mark && mark->head == plan.head)) {
    return plan;  // nothing new: the common case, and no git process
  }
  plan.moved = true;
  for (Commit& c : commits_since(repo, mark ? mark->head : "")) {
    ++plan.read;
    if (!entries_from_commit(c, Instant{}).empty()) {
      plan.commits.push_back(std::move(c));
    }
  }
  return plan;
}

std::vector<EntryId> apply_sync(Ledger& ledger, const SyncPlan& plan, const fs::path& repo,
                                const fs::path& pm_dir, Instant now) {
  std::vector<std::pair<std::string, Commit>> commits;
  for (const Commit& c : plan.commits) {
    commits.emplace_back("", c);
  }
  // One transaction; log_rewrite skips what the ledger holds for a commit already.
  std::vector<EntryId> added = log_rewrite(ledger, commits, now);
  write_sync_mark(pm_dir, {fs::absolute(repo), plan.head});
  return added;
}

}  // namespace pm
