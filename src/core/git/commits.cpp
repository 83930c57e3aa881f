#include "pm/git/commits.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <random>
#include <unistd.h>

#include <SQLiteCpp/SQLiteCpp.h>
#include <fmt/format.h>

#include "pm/util/error.hpp"
#include "pm/domain/project.hpp"
#include "pm/util/check.hpp"
#include "pm/util/text.hpp"

namespace fs = std::filesystem;

namespace pm {

const std::vector<TrailerKind>& trailer_kinds() {
  static const std::vector<TrailerKind> k_kinds = {
      {"Agreed", "agreement"},       {"Decision", "decision"}, {"Change", "change"},
      {"Согласовано", "agreement"}, {"Решение", "decision"},  {"Изменение", "change"},
  };
  return k_kinds;
}

namespace {

const char* kind_of(const std::string& key) {
  for (const auto& k : trailer_kinds()) {
    if (ascii_lower(key) == ascii_lower(k.key)) {
      return k.kind;
    }
  }
  return nullptr;
}

struct Logged {
  EntryId id;
  std::string kind;
  std::string text;
};

/// The current (not superseded) hook entries of `commit`.
std::vector<Logged> logged_for(Ledger& ledger, const std::string& commit) {
  SQLite::Statement stmt(ledger.db(),
                         "SELECT e.id, e.kind, e.text FROM entries e "
                         "WHERE e.source = 'hook' AND json_extract(e.data, '$.commit') = ? "
                         "AND NOT EXISTS (SELECT 1 FROM entries n WHERE n.ref = e.id "
                         "AND n.kind = e.kind) ORDER BY e.id");
  stmt.bind(1, commit);
  std::vector<Logged> out;
  while (stmt.executeStep()) {
    out.push_back({stmt.getColumn(0).getInt64(), stmt.getColumn(1).getString(),
                   stmt.getColumn(2).getString()});
  }
  return out;
}

Json commit_to_json(const Commit& c) {
  return Json{{"id", c.id},
              {"author", c.author},
              {"date", format_utc(c.date)},
              {"subject", c.subject},
              {"message", c.message}};
}

Commit commit_from_json(const Json& j) {
  Commit c;
  c.id = j.at("id").get<std::string>();
  c.author = j.at("author").get<std::string>();
  c.date = parse_utc(j.at("date").get<std::string>());
  c.subject = j.value("subject", "");
  c.message = j.value("message", "");
  return c;
}

}  // namespace

std::vector<Entry> entries_from_commit(const Commit& commit, Instant now) {
  std::vector<Entry> out;
  for (const auto& trailer : parse_trailers(commit.message)) {
    const char* kind = kind_of(trailer.key);
    if (kind == nullptr || trailer.value.empty()) {
      continue;
    }
    // A commit message is input like any other: checked here so the error names the commit
    // (the ledger's own check would not).
    const std::string where = fmt::format("commit {} trailer {}", commit.id.substr(0, 10),
                                          trailer.key);
    check_line(where, trailer.value);
    check_line(fmt::format("commit {} author", commit.id.substr(0, 10)), commit.author);
    Entry e;
    e.kind = kind;
    e.text = trailer.value;
    e.recorded_at = now;
    e.effective_at = commit.date;
    e.author = commit.author;
    e.source = "hook";
    e.data["commit"] = commit.id;
    e.data["trailer"] = trailer.key;
    if (e.kind == "agreement") {
      e.data["with"] = Json::array();
      e.data["tags"] = Json::array();
    }
    if (e.kind == "change") {
      // The shape pm change propose writes: no impact known from a commit message.
      e.data["reason"] = commit.subject;
      e.data["days"] = 0;
      e.data["cost"] = nullptr;
      e.data["currency"] = nullptr;
      e.data["ask"] = nullptr;
    }
    out.push_back(std::move(e));
  }
  return out;
}

std::vector<EntryId> log_commit(Ledger& ledger, const Commit& commit, Instant now) {
  return log_rewrite(ledger, {{"", commit}}, now);
}

std::vector<EntryId> log_rewrite(Ledger& ledger,
                                 const std::vector<std::pair<std::string, Commit>>& rewrites,
                                 Instant now) {
  std::vector<Entry> pending;
  try {
    for (const auto& [old_id, commit] : rewrites) {
      if (old_id == commit.id) {
        continue;  // a rebase that kept the commit as it was
      }
      auto already = logged_for(ledger, commit.id);
      auto before = old_id.empty() ? std::vector<Logged>{} : logged_for(ledger, old_id);
      for (Entry& e : entries_from_commit(commit, now)) {
        auto same = [&](const Logged& l) { return l.kind == e.kind && l.text == e.text; };
        if (auto it = std::find_if(already.begin(), already.end(), same); it != already.end()) {
          already.erase(it);  // logged for this very commit already: nothing to do
          continue;
        }
        auto it = std::find_if(before.begin(), before.end(), same);
        if (it == before.end()) {
          it = std::find_if(before.begin(), before.end(),
                            [&](const Logged& l) { return l.kind == e.kind; });
        }
        if (it != before.end()) {
          e.ref = it->id;  // the rewritten commit's entry: superseded, not repeated
          e.data["rewrites"] = old_id;
          before.erase(it);
        }
        pending.push_back(std::move(e));
      }
    }
  } catch (const SQLite::Exception& e) {
    rethrow_sqlite(e, ledger.path(), "read");
  }
  if (pending.empty()) {
    return {};
  }
  return ledger.append_all(pending);
}

void spool_event(const fs::path& pm_dir, const HookEvent& event, Instant now) {
  Json j{{"hook", event.hook}, {"commits", Json::array()}};
  for (const auto& [old_id, commit] : event.commits) {
    j["commits"].push_back({{"old", old_id}, {"commit", commit_to_json(commit)}});
  }
  fs::create_directories(pm_dir / "spool");
  std::random_device random;
  fs::path file = pm_dir / "spool" /
                  fmt::format("{}-{}-{:08x}.json", now.time_since_epoch().count(), ::getpid(),
                              random());
  write_file_atomic(file, j.dump() + "\n");
}

std::vector<EntryId> apply_event(Ledger& ledger, const HookEvent& event, Instant now) {
  return log_rewrite(ledger, event.commits, now);
}

int drain_spool(Ledger& ledger, const fs::path& pm_dir, Instant now) {
  fs::path dir = pm_dir / "spool";
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    return 0;
  }
  std::vector<fs::path> files;
  for (const auto& item : fs::directory_iterator(dir, ec)) {
    if (item.path().extension() == ".json") {
      files.push_back(item.path());
    }
  }
  std::sort(files.begin(), files.end());
  int added = 0;
  for (const auto& file : files) {
    // Claim the file first, so two draining processes never replay the same event.
    fs::path claimed = file;
    claimed += fmt::format(".{}", ::getpid());
    fs::rename(file, claimed, ec);
    if (ec) {
      continue;
    }
    Json j = Json::parse(read_file(claimed), nullptr, false);
    if (j.is_discarded() || !j.contains("commits")) {
      fs::rename(claimed, fs::path(file).replace_extension(".bad"), ec);
      continue;
    }
    HookEvent event;
    event.hook = j.value("hook", "");
    for (const auto& item : j["commits"]) {
      event.commits.emplace_back(item.value("old", ""), commit_from_json(item.at("commit")));
    }
    try {
      added += static_cast<int>(apply_event(ledger, event, now).size());
      fs::remove(claimed, ec);
    } catch (const Error&) {
      fs::rename(claimed, file, ec);  // still busy: leave it for the next run
      throw;
    }
  }
  return added;
}

}  // namespace pm
