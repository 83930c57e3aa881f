#include "pm/git/commits.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <random>
#include <cerrno>
#include <csignal>
#include <sys/stat.h>
#include <unistd.h>

#include <SQLiteCpp/SQLiteCpp.h>
#include <fmt/format.h>

#include "pm/util/error.hpp"
#include "pm/domain/project.hpp"
#include "pm/util/atomic_file.hpp"
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
  std::string commit;
  bool withdrawal = false;  ///< it withdraws the entry it refers to (is_withdrawal)
};

/// The hook entries of `commit`: the current ones (not superseded), or all of them.
std::vector<Logged> logged_for(Ledger& ledger, const std::string& commit, bool all = false) {
  SQLite::Statement stmt(
      ledger.db(),
      std::string("SELECT e.id, e.kind, e.text, json_extract(e.data, '$.withdrawn') IS NOT NULL "
                  "FROM entries e WHERE e.source = 'hook' "
                  "AND json_extract(e.data, '$.commit') = ? ") +
          (all ? "" : "AND NOT EXISTS (SELECT 1 FROM entries n WHERE n.ref = e.id "
                      "AND n.kind = e.kind) ") +
          "ORDER BY e.id");
  stmt.bind(1, commit);
  std::vector<Logged> out;
  while (stmt.executeStep()) {
    out.push_back({stmt.getColumn(0).getInt64(), stmt.getColumn(1).getString(),
                   stmt.getColumn(2).getString(), commit, stmt.getColumn(3).getInt() != 0});
  }
  return out;
}

/// The entry that withdraws `logged`: a trailer `commit` no longer carries.
Entry withdrawal_of(const Logged& logged, const Commit& commit, Instant now) {
  Entry w;
  w.kind = logged.kind;
  w.text = logged.text;
  w.ref = logged.id;
  w.recorded_at = now;
  w.effective_at = now;  // withdrawn when the commit was rewritten, not when it was written
  w.author = commit.author;
  w.source = "hook";
  w.data["commit"] = commit.id;
  w.data["rewrites"] = logged.commit;
  w.data["withdrawn"] = true;
  return w;
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
  // Grouped by new commit, so a squash (several old commits, one new) is matched as a whole.
  std::vector<std::pair<Commit, std::vector<std::string>>> groups;
  for (const auto& rewrite : rewrites) {
    const std::string& old_id = rewrite.first;
    const Commit& commit = rewrite.second;
    if (old_id == commit.id) {
      continue;  // a rebase that kept the commit as it was
    }
    auto it = std::find_if(groups.begin(), groups.end(),
                           [&](const auto& g) { return g.first.id == commit.id; });
    if (it == groups.end()) {
      groups.push_back({commit, {}});
      it = std::prev(groups.end());
    }
    if (!old_id.empty()) {
      it->second.push_back(old_id);
    }
  }
  std::vector<EntryId> ids;
  try {
    // What is logged already is read in the transaction that appends: two pm draining the
    // same spooled event, or a drain and the hook, never log a trailer twice.
    WriteTransaction tx(ledger);
    std::vector<Entry> pending;
    for (const auto& [commit, old_ids] : groups) {
      // Logged for this very commit before, even if superseded since: never logged twice.
      std::vector<Logged> already;
      for (auto& l : logged_for(ledger, commit.id, true)) {
        if (!l.withdrawal) {
          already.push_back(std::move(l));
        }
      }
      std::vector<Logged> before;
      for (const auto& old_id : old_ids) {
        for (auto& l : logged_for(ledger, old_id)) {
          before.push_back(std::move(l));
        }
      }
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
          e.data["rewrites"] = it->commit;
          before.erase(it);
        }
        pending.push_back(std::move(e));
      }
      // What the old commits carried and the new one does not: the rewrite removed it.
      for (const Logged& gone : before) {
        if (!gone.withdrawal) {
          pending.push_back(withdrawal_of(gone, commit, now));
        }
      }
    }
    if (!pending.empty()) {
      ids = ledger.append_all(pending);
    }
    tx.commit();
  } catch (const std::exception& e) {
    rethrow_sqlite(e, ledger.path(), "write to");
  }
  return ids;
}

namespace {

/// The mode of a spool file: the owner's, and the group's too when .pm/ is shared (the hook
/// reads no project.yaml, so it asks the directory).
unsigned spool_file_mode(const fs::path& pm_dir) {
  struct stat st {};
  if (::stat(pm_dir.c_str(), &st) == 0 && (st.st_mode & S_IWGRP) != 0) {
    return 0640;
  }
  return k_private_file_mode;
}

/// The pid a claim's name ends with ("NAME.json.PID"), or 0.
pid_t claimer(const std::string& name) {
  auto dot = name.rfind('.');
  if (dot == std::string::npos || dot + 1 == name.size() ||
      !name.substr(0, dot).ends_with(".json")) {
    return 0;
  }
  pid_t pid = 0;
  for (std::size_t i = dot + 1; i < name.size(); ++i) {
    if (name[i] < '0' || name[i] > '9' || pid > 100000000) {
      return 0;
    }
    pid = pid * 10 + (name[i] - '0');
  }
  return pid;
}

/// True while process `pid` runs (another pm draining: its claims are its own).
bool running(pid_t pid) {
  return pid > 0 && pid != ::getpid() && (::kill(pid, 0) == 0 || errno == EPERM);
}

struct Claim {
  std::string name;  ///< the spooled file's own name, NAME.json
  fs::path path;     ///< claimed/NAME.json.PID
};

HookEvent parse_event(const std::string& text) {
  Json j = Json::parse(text);
  HookEvent event;
  event.hook = j.at("hook").get<std::string>();
  for (const auto& item : j.at("commits")) {
    event.commits.emplace_back(item.at("old").get<std::string>(),
                               commit_from_json(item.at("commit")));
  }
  if (event.commits.empty()) {
    throw Error("it names no commit");
  }
  return event;
}

}  // namespace

void spool_event(const fs::path& pm_dir, const HookEvent& event, Instant now) {
  Json j{{"hook", event.hook}, {"commits", Json::array()}};
  for (const auto& [old_id, commit] : event.commits) {
    j["commits"].push_back({{"old", old_id}, {"commit", commit_to_json(commit)}});
  }
  create_directory_like_parent(pm_dir / "spool");
  std::random_device random;
  fs::path file = pm_dir / "spool" /
                  fmt::format("{}-{}-{:08x}.json", now.time_since_epoch().count(), ::getpid(),
                              random());
  // Written whole under a hidden temporary name, then renamed: a drain sees it all or not.
  write_file_atomic(file, j.dump() + "\n", spool_file_mode(pm_dir));
}

std::vector<EntryId> apply_event(Ledger& ledger, const HookEvent& event, Instant now) {
  return log_rewrite(ledger, event.commits, now);
}

SpoolDrain drain_spool(Ledger& ledger, const fs::path& pm_dir, Instant now) {
  SpoolDrain result;
  fs::path dir = pm_dir / "spool";
  fs::path claimed = dir / "claimed";
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    return result;
  }
  create_directory_like_parent(claimed);
  std::string mine = fmt::format(".{}", ::getpid());
  // A claim is a rename into claimed/ with the claimer's pid in the name: atomic, so the file
  // is always in exactly one place, and a kill -9 at any point leaves it spooled or claimed.
  // Claims whose process is gone (and the NAME.json.PID of an older pm) are taken over.
  std::vector<Claim> claims;
  auto take = [&](const fs::path& from, const std::string& name) {
    fs::path to = claimed / (name + mine);
    if (::rename(from.c_str(), to.c_str()) == 0) {
      claims.push_back({name, to});
    }  // else another pm took it first
  };
  for (const fs::path& place : {claimed, dir}) {
    for (const auto& item : fs::directory_iterator(place, ec)) {
      std::string file = item.path().filename().string();
      pid_t pid = claimer(file);
      if (pid != 0 && !running(pid)) {
        take(item.path(), file.substr(0, file.rfind('.')));
      } else if (place == dir && item.path().extension() == ".json" && item.is_regular_file(ec)) {
        take(item.path(), file);
      }
    }
  }
  // In the order the hook spooled them (the names start with the time): a rewrite after the
  // commit it rewrites.
  std::sort(claims.begin(), claims.end(),
            [](const Claim& a, const Claim& b) { return a.name < b.name; });
  for (std::size_t i = 0; i < claims.size(); ++i) {
    const Claim& claim = claims[i];
    HookEvent event;
    try {
      event = parse_event(read_file(claim.path));
    } catch (const std::exception& e) {
      // Set aside, never in the way: one bad file must not stop every later command.
      create_directory_like_parent(dir / "bad");
      fs::path aside = dir / "bad" / claim.name;
      ::rename(claim.path.c_str(), aside.c_str());
      result.set_aside.push_back(fmt::format(
          "{} is not a spooled hook event ({}); moved to {}", (dir / claim.name).string(),
          std::string(e.what()).substr(0, std::string(e.what()).find('\n')), aside.string()));
      continue;
    }
    try {
      // Applying is idempotent (log_rewrite checks in its transaction), so a claim whose
      // claimer died after the commit and before this unlink adds nothing when retried.
      result.added += static_cast<int>(apply_event(ledger, event, now).size());
      ::unlink(claim.path.c_str());
    } catch (const Error&) {
      // Still busy: this one and the rest go back for the next run.
      for (std::size_t j = i; j < claims.size(); ++j) {
        ::rename(claims[j].path.c_str(), (dir / claims[j].name).c_str());
      }
      throw;
    }
  }
  ::rmdir(claimed.c_str());  // when empty: an empty spool is an empty directory again
  return result;
}

bool spool_pending(const fs::path& pm_dir) {
  std::error_code ec;
  for (const auto& item : fs::directory_iterator(pm_dir / "spool", ec)) {
    std::string name = item.path().filename().string();
    if (name != "bad" && !name.starts_with(".")) {
      return true;  // an event, or claimed/ (an orphaned claim)
    }
  }
  return false;
}

}  // namespace pm
