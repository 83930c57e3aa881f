// pm hook sync: commits pulled from others, and commits made without the hook, are logged
// once; the post-merge hook and pm report run it.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "git_repo.hpp"
#include "harness.hpp"

using namespace pm::test;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

/// A bare origin next to the repository, and a teammate's clone of it (no pm there).
struct Team {
  Repo repo;
  fs::path origin = repo.project.root() / "origin.git";
  fs::path clone = repo.project.root() / "clone";

  Team() {
    repo.commit("base\n", "base.txt");
    repo.git("git init -q --bare ../origin.git && git remote add origin ../origin.git"
             " && git push -q -u origin HEAD 2>&1");
    repo.git("git clone -q ../origin.git ../clone && cd ../clone && git config user.name "
             "'Dev Two' && git config user.email two@example.com && git config "
             "commit.gpgsign false");
  }
  /// The teammate commits `message` and pushes it.
  void push(const std::string& message, const std::string& file) const {
    std::string script = "cd ../clone && printf '%s' \"$MSG\" > ../msg2.txt && echo " + file +
                         " > " + file + " && git add " + file +
                         " && git commit -q -F ../msg2.txt && git push -q 2>&1";
    auto env = repo.project.env;
    env["MSG"] = message;
    Result r = sh(script, repo.dir, env);
    INFO(r.err);
    REQUIRE(r.code == 0);
  }
  std::string ids(const std::string& range) const {
    return repo.git("git log --reverse --format=%H " + range).out;
  }
};

std::string commits_of(const json& entries) {
  std::string out;
  for (const auto& e : entries) {
    out += e["data"]["commit"].get<std::string>() + "\n";
  }
  return out;
}

}  // namespace

TEST_CASE("commits pulled from a teammate are logged once, by the pull's hook",
          "[hook][sync]") {
  Team team;
  team.push("Their first\n\nAgreed: texts by 1 December\n", "t1.txt");
  team.push("Their second\n\nDecision: keep the old search\n", "t2.txt");
  team.repo.git("git pull -q --no-rebase --no-edit 2>&1");
  json e = team.repo.entries();
  REQUIRE(e.size() == 2);
  CHECK(e[0]["text"] == "texts by 1 December");
  CHECK(e[0]["author"] == "Dev Two");
  CHECK(e[1]["text"] == "keep the old search");
  CHECK(commits_of(e) == team.ids("HEAD~2..HEAD"));
  // Nothing new: a sync adds nothing, and neither does a report.
  Result sync = team.repo.project.pm({"hook", "sync"});
  REQUIRE(sync.code == 0);
  CHECK(sync.out.empty());
  CHECK(sync.err.find("Nothing new to log") != std::string::npos);
  REQUIRE(team.repo.project.pm({"report"}).code == 0);
  CHECK(team.repo.project.entry_count() == 2);
}

TEST_CASE("pm hook sync logs what no hook saw, exactly once", "[hook][sync]") {
  Team team;
  team.repo.commit("Ours, hooked\n\nAgreed: ours\n", "o1.txt");
  team.push("Theirs\n\nDecision: theirs\n", "t1.txt");
  // A pull with hooks switched off, and a commit of ours made the same way.
  team.repo.git("git -c core.hooksPath=/dev/null pull -q --no-rebase --no-edit 2>&1");
  team.repo.git("echo x > o2.txt && git add o2.txt && git -c core.hooksPath=/dev/null commit -q"
                " -m 'Ours, unhooked' -m 'Change: add a blog'");
  CHECK(team.repo.project.entry_count() == 1);
  Result sync = team.repo.project.pm({"hook", "sync"});
  REQUIRE(sync.code == 0);
  CHECK(sync.out == "2\n3\n");
  json e = team.repo.entries();
  REQUIRE(e.size() == 3);
  CHECK(e[1]["text"] == "theirs");
  CHECK(e[2]["text"] == "add a blog");
  Result again = team.repo.project.pm({"hook", "sync"});
  REQUIRE(again.code == 0);
  CHECK(again.out.empty());
  CHECK(team.repo.project.entry_count() == 3);

  // pm report syncs first when HEAD moved, so the week's report has every decision.
  team.push("Theirs again\n\nAgreed: their second\n", "t2.txt");
  team.repo.git("git -c core.hooksPath=/dev/null pull -q --no-rebase --no-edit 2>&1");
  Result report = team.repo.project.pm({"report", "--format", "json"});
  REQUIRE(report.code == 0);
  CHECK(report.err.find("Logged 1 entry from new commits first") != std::string::npos);
  CHECK(team.repo.project.entry_count() == 4);
  CHECK(team.repo.project.pm({"hook", "sync"}).out.empty());
  CHECK(team.repo.project.pm({"verify"}).code == 0);
}

TEST_CASE("pm report outside a synced repository does not touch git", "[hook][sync]") {
  Repo repo(false);  // no hooks: no mark, no sync
  repo.git("git -c core.hooksPath=/dev/null commit -q --allow-empty -m x -m 'Agreed: by hand'");
  REQUIRE(repo.project.pm({"report"}).code == 0);
  CHECK(repo.project.entry_count() == 0);
  CHECK_FALSE(fs::exists(repo.dir / ".pm/hook-sync"));
  Result outside = Project().pm({"hook", "sync"});
  CHECK(outside.code == 1);
  CHECK(outside.err.find("is not inside a git repository") != std::string::npos);
}

TEST_CASE("uninstall stops the syncing too", "[hook][sync]") {
  Repo repo;
  CHECK(fs::exists(repo.dir / ".pm/hook-sync"));
  REQUIRE(repo.project.pm({"hook", "uninstall"}).code == 0);
  CHECK_FALSE(fs::exists(repo.dir / ".pm/hook-sync"));
  repo.commit("x\n\nAgreed: not logged\n", "a.txt");
  REQUIRE(repo.project.pm({"report"}).code == 0);
  CHECK(repo.project.entry_count() == 0);
}
