// The git hook is safe to install: paths quoted whatever they hold, a user's hook never lost,
// both hooks or none, and a pm that moved away does not cost a decision.
#include <catch2/catch.hpp>
#include <fstream>
#include <nlohmann/json.hpp>

#include "git_repo.hpp"
#include "harness.hpp"

using namespace pm::test;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

const char* k_user_hook = "#!/bin/sh\necho ran >> \"$(git rev-parse --show-toplevel)/user.log\"\n";

void write_hook(const fs::path& file, const std::string& script) {
  std::ofstream(file) << script;
  fs::permissions(file, fs::perms::owner_all);
}

/// The names in `dir`, sorted, one a line.
std::string listing(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& item : fs::directory_iterator(dir)) {
    std::string name = item.path().filename().string();
    if (name.find(".sample") == std::string::npos) {
      names.push_back(name);
    }
  }
  std::sort(names.begin(), names.end());
  std::string out;
  for (const auto& name : names) {
    out += name + "\n";
  }
  return out;
}

}  // namespace

TEST_CASE("a project directory named with a newline, quotes and $(...) is only ever a word",
          "[hook][quoting]") {
  TempDir tmp;
  fs::path dir = tmp / "it's \"a\"\n$(touch pwned)\n`touch pwned2`; touch pwned3";
  fs::create_directories(dir);
  auto env = test_env(tmp.path());
  REQUIRE(sh("git init -q && git config user.name 'Dev One' && git config user.email d@x.y"
             " && git config commit.gpgsign false",
             dir, env)
              .code == 0);
  REQUIRE(run({"init", "--name", "Quotes", "--client", "ACME", "--manager", "Anna", "--email",
               "anna@example.com"},
              dir, env)
              .code == 0);
  // A user's hook: pm chains it, so every hook is an sh script naming the project.
  write_hook(dir / ".git/hooks/post-commit", k_user_hook);
  Result install = run({"hook", "install"}, dir, env);
  REQUIRE(install.code == 0);
  for (std::string hook : {"post-commit", "post-rewrite", "post-merge"}) {
    INFO(hook);
    CHECK(sh("sh -n .git/hooks/" + hook, dir, env).code == 0);
  }
  Result commit = sh("git commit -q --allow-empty -m x -m 'Agreed: quoted paths work'", dir, env);
  REQUIRE(commit.code == 0);
  commit = sh("git commit -q --amend --allow-empty -m y -m 'Agreed: quoted paths work'", dir, env);
  REQUIRE(commit.code == 0);
  for (const fs::path& where : {dir, tmp.path(), fs::current_path()}) {
    for (std::string name : {"pwned", "pwned2", "pwned3"}) {
      INFO(where / name);
      CHECK_FALSE(fs::exists(where / name));
    }
  }
  CHECK(read(dir / "user.log") == "ran\nran\n");
  Result log = run({"log", "--json"}, dir, env);
  REQUIRE(log.code == 0);
  json e = json::parse(log.out)["entries"];
  REQUIRE(e.size() == 1);
  CHECK(e[0]["text"] == "quoted paths work");
  CHECK(read(dir / ".pm/hook.log").empty());
}

TEST_CASE("install --force twice keeps the original hook, and uninstall restores it",
          "[hook][backup]") {
  Repo repo(false);
  fs::path hooks = repo.dir / ".git/hooks";
  write_hook(hooks / "post-commit", k_user_hook);
  REQUIRE(repo.project.pm({"hook", "install", "--force"}).code == 0);
  REQUIRE(repo.project.pm({"hook", "install", "--force"}).code == 0);
  CHECK(read(hooks / "post-commit.pm-backup.1") == k_user_hook);
  CHECK(listing(hooks) == "post-commit\npost-commit.pm-backup.1\npost-merge\npost-rewrite\n");
  repo.commit("x\n\nDecision: only pm runs\n", "a.txt");
  CHECK_FALSE(fs::exists(repo.dir / "user.log"));
  CHECK(repo.entries().size() == 1);

  Result uninstall = repo.project.pm({"hook", "uninstall"});
  REQUIRE(uninstall.code == 0);
  CHECK(uninstall.err.find("Restored your own post-commit hook (from post-commit.pm-backup.1)") !=
        std::string::npos);
  CHECK(read(hooks / "post-commit") == k_user_hook);
  CHECK(listing(hooks) == "post-commit\n");

  // Backups are numbered: a second hook of the user's never replaces the first one's copy.
  REQUIRE(repo.project.pm({"hook", "install", "--force"}).code == 0);
  std::string other = "#!/bin/sh\necho other\n";
  write_hook(hooks / "post-commit", other);  // another tool took the hook over
  REQUIRE(repo.project.pm({"hook", "install", "--force"}).code == 0);
  CHECK(read(hooks / "post-commit.pm-backup.1") == k_user_hook);
  CHECK(read(hooks / "post-commit.pm-backup.2") == other);
  REQUIRE(repo.project.pm({"hook", "uninstall"}).code == 0);
  CHECK(read(hooks / "post-commit") == other);  // the one pm replaced last
  CHECK(read(hooks / "post-commit.pm-backup.1") == k_user_hook);
}

TEST_CASE("a refused install leaves every hook as it was", "[hook][backup]") {
  Repo repo(false);
  fs::path hooks = repo.dir / ".git/hooks";
  write_hook(hooks / "post-commit", k_user_hook);
  SECTION("a chained copy of post-rewrite is in the way") {
    write_hook(hooks / "post-rewrite", "#!/bin/sh\necho mine\n");
    write_hook(hooks / "post-rewrite.pm-chained", "#!/bin/sh\necho older\n");
    std::string before = listing(hooks);
    Result r = repo.project.pm({"hook", "install"});
    CHECK(r.code == 1);
    CHECK(r.err.find("post-rewrite.pm-chained; move one aside, or pass --force") !=
          std::string::npos);
    CHECK(listing(hooks) == before);
    CHECK(read(hooks / "post-rewrite") == "#!/bin/sh\necho mine\n");
  }
  SECTION("post-merge is a directory") {
    fs::create_directories(hooks / "post-merge" / "inside");
    std::string before = listing(hooks);
    Result r = repo.project.pm({"hook", "install", "--force"});
    CHECK(r.code == 1);
    CHECK(r.err.find("post-merge is not a file; move it aside") != std::string::npos);
    CHECK(listing(hooks) == before);
  }
  CHECK(read(hooks / "post-commit") == k_user_hook);
  repo.commit("x\n\nDecision: not logged\n", "a.txt");
  CHECK(read(repo.dir / "user.log") == "ran\n");
  CHECK(repo.project.entry_count() == 0);
}

TEST_CASE("when the pm that installed the hook is gone, the pm on PATH logs the commit",
          "[hook][fallback]") {
  Repo repo(false);
  TempDir tmp;
  fs::create_directories(tmp / "bin");
  fs::path moved = tmp / "bin" / "pm";
  fs::copy_file(PM_BINARY, moved);
  fs::permissions(moved, fs::perms::owner_all);
  repo.git("'" + moved.string() + "' hook install");
  CHECK(read(repo.dir / ".git/hooks/post-commit").find(moved.string()) != std::string::npos);
  fs::remove(moved);
  repo.project.env["PATH"] =
      fs::path(PM_BINARY).parent_path().string() + ":" + repo.project.env["PATH"];

  Result first = repo.git("git commit -q --allow-empty -m one -m 'Agreed: logged all the same'");
  CHECK(first.err.find("is gone; the git hook runs the pm on PATH") != std::string::npos);
  CHECK(fs::exists(repo.dir / ".pm/hook-fallback"));
  Result second = repo.git("git commit -q --allow-empty -m two -m 'Decision: and this one'");
  CHECK(second.err.empty());  // said once per repository, not at every commit
  json e = repo.entries();
  REQUIRE(e.size() == 2);
  CHECK(e[0]["text"] == "logged all the same");
  CHECK(e[1]["text"] == "and this one");
  // An amend runs post-rewrite the same way.
  repo.git("git commit -q --amend --allow-empty -m two -m 'Decision: and this one, amended'");
  e = repo.entries();
  REQUIRE(e.size() == 2);
  CHECK(e[1]["text"] == "and this one, amended");
  // Installing again names this pm, and the notice may come again one day.
  REQUIRE(repo.project.pm({"hook", "install"}).code == 0);
  CHECK_FALSE(fs::exists(repo.dir / ".pm/hook-fallback"));

  SECTION("no pm anywhere: the commit is made, and pm hook sync logs it later") {
    fs::copy_file(PM_BINARY, moved);
    fs::permissions(moved, fs::perms::owner_all);
    repo.git("'" + moved.string() + "' hook install");
    fs::remove(moved);
    repo.project.env["PATH"] = "/usr/bin:/bin";
    Result lost = repo.git("git commit -q --allow-empty -m three -m 'Agreed: later'");
    CHECK(lost.err.find("no pm on PATH either: run pm hook sync") != std::string::npos);
    Result sync = repo.project.pm({"hook", "sync"});
    REQUIRE(sync.code == 0);
    CHECK(sync.out == "4\n");
  }
}
