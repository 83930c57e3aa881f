// Git hooks end to end: real repositories, real commits, amends and rebases.
#include <catch2/catch.hpp>
#include <fstream>
#include <nlohmann/json.hpp>

#include <SQLiteCpp/SQLiteCpp.h>

#include "git_repo.hpp"
#include "harness.hpp"

using namespace pm::test;
using nlohmann::json;
namespace fs = std::filesystem;

TEST_CASE("trailers in commits land in the ledger once, with commit, author and source", "[hook]") {
  Repo repo;
  repo.commit("Add the catalogue\n\nAgreed: launch on 12 December\nDecision: use PostgreSQL\n",
              "a.txt");
  std::string first = repo.head();
  repo.commit("Plain commit without trailers\n", "b.txt");
  repo.commit("Русский коммит\n\nСогласовано: тексты до 1 декабря\nРешение: оставить дизайн\n",
              "c.txt");
  json e = repo.entries();
  REQUIRE(e.size() == 4);
  CHECK(e[0]["kind"] == "agreement");
  CHECK(e[0]["text"] == "launch on 12 December");
  CHECK(e[0]["source"] == "hook");
  CHECK(e[0]["author"] == "Dev One");
  CHECK(e[0]["data"]["commit"] == first);
  CHECK(e[1]["kind"] == "decision");
  CHECK(e[2]["kind"] == "agreement");
  CHECK(e[2]["text"] == "тексты до 1 декабря");
  CHECK(e[3]["text"] == "оставить дизайн");
  json agreements = json::parse(repo.project.pm({"agreements", "--json"}).out)["agreements"];
  CHECK(agreements.size() == 2);
}

TEST_CASE("an amended commit is logged once, under its new id", "[hook]") {
  Repo repo;
  repo.commit("Pick the stack\n\nDecision: use PostgreSQL\n", "a.txt");
  repo.git("git commit -q --amend -m 'Pick the stack (reworded)' -m 'Decision: use PostgreSQL'");
  std::string amended = repo.head();
  json e = repo.entries();
  REQUIRE(e.size() == 1);
  CHECK(e[0]["data"]["commit"] == amended);
  CHECK(e[0]["ref"] == 1);  // supersedes the entry of the commit it replaced
}

TEST_CASE("a rebase of three commits logs each decision once with the new ids", "[hook]") {
  Repo repo;
  repo.commit("base\n", "base.txt");
  for (int i = 1; i <= 3; ++i) {
    repo.commit("step " + std::to_string(i) + "\n\nDecision: d" + std::to_string(i) + "\n",
                "f" + std::to_string(i) + ".txt");
  }
  // Rewrite all three (new committer, so new ids), as a real rebase does.
  repo.git("GIT_COMMITTER_DATE='2030-01-01T00:00:00Z' git rebase -q --force-rebase HEAD~3");
  Result ids = repo.git("git log --format=%H -3 --reverse");
  json e = repo.entries();
  REQUIRE(e.size() == 3);
  std::string expected = ids.out;
  std::string got;
  for (const auto& entry : e) {
    got += entry["data"]["commit"].get<std::string>() + "\n";
  }
  CHECK(got == expected);
  CHECK(e[2]["text"] == "d3");
}

TEST_CASE("an existing hook keeps working, and comes back on uninstall", "[hook]") {
  Repo repo(false);
  fs::path hook = repo.dir / ".git/hooks/post-commit";
  std::ofstream(hook) << "#!/bin/sh\necho ran >> \"$(git rev-parse --show-toplevel)/existing.log\"\n";
  fs::permissions(hook, fs::perms::owner_all);
  Result install = repo.project.pm({"hook", "install"});
  REQUIRE(install.code == 0);
  CHECK(install.err.find("keeps working") != std::string::npos);
  repo.commit("x\n\nDecision: keep both hooks\n", "a.txt");
  CHECK(read(repo.dir / "existing.log") == "ran\n");
  CHECK(repo.entries().size() == 1);
  REQUIRE(repo.project.pm({"hook", "uninstall"}).code == 0);
  CHECK(read(hook).find("echo ran") != std::string::npos);
  repo.commit("y\n\nDecision: not logged any more\n", "b.txt");
  CHECK(read(repo.dir / "existing.log") == "ran\nran\n");
  CHECK(repo.entries().size() == 1);
}

TEST_CASE("hooks go where core.hooksPath says", "[hook]") {
  Repo repo(false);
  repo.git("git config core.hooksPath .githooks");
  REQUIRE(repo.project.pm({"hook", "install"}).code == 0);
  CHECK(fs::exists(repo.dir / ".githooks/post-commit"));
  CHECK_FALSE(fs::exists(repo.dir / ".git/hooks/post-commit"));
  repo.commit("x\n\nAgreed: hooks path works\n", "a.txt");
  CHECK(repo.entries().size() == 1);
}

TEST_CASE("a locked ledger during a commit: the decision waits in the spool", "[hook]") {
  Repo repo;
  {
    SQLite::Database lock((repo.dir / ".pm/ledger.db").string(), SQLite::OPEN_READWRITE);
    lock.exec("BEGIN IMMEDIATE");
    repo.commit("x\n\nDecision: written later\n", "a.txt");  // must still succeed
    CHECK_FALSE(fs::is_empty(repo.dir / ".pm/spool"));
    lock.exec("ROLLBACK");
  }
  CHECK(repo.project.entry_count() == 0);
  json e = repo.entries();  // the next pm run writes it
  REQUIRE(e.size() == 1);
  CHECK(e[0]["text"] == "written later");
  CHECK(fs::is_empty(repo.dir / ".pm/spool"));
  CHECK(repo.entries().size() == 1);
}

TEST_CASE("log-agreement --from-commit logs an older commit's trailers once", "[hook]") {
  Repo repo(false);
  repo.commit("old\n\nAgreed: from the past\nChange: add a blog section\n", "a.txt");
  Result r = repo.project.pm({"log-agreement", "--from-commit", "HEAD"});
  REQUIRE(r.code == 0);
  CHECK(r.out == "1\n2\n");
  Result again = repo.project.pm({"log-agreement", "--from-commit", "HEAD"});
  CHECK(again.code == 0);
  CHECK(again.out.empty());
  CHECK(repo.project.entry_count() == 2);
  Result bad = repo.project.pm({"log-agreement", "--from-commit", "nonexistent"});
  CHECK(bad.code == 1);
  CHECK(bad.err.find("cannot read commit 'nonexistent'") != std::string::npos);
}

TEST_CASE("hook install outside a git repository is a clear error", "[hook]") {
  Project p;
  Result r = p.pm({"hook", "install"});
  CHECK(r.code == 1);
  CHECK(r.err.find("is not inside a git repository") != std::string::npos);
}

TEST_CASE("a Change: trailer becomes a proposal that pm change lists once, even amended",
          "[hook]") {
  Repo repo;
  repo.commit("Add a blog\n\nChange: add a blog section\n", "a.txt");
  repo.git("git commit -q --amend -m 'Add a blog (amended)' -m 'Change: add a blog section'");
  json changes = json::parse(repo.project.pm({"change", "list", "--json"}).out)["changes"];
  REQUIRE(changes.size() == 1);
  CHECK(changes[0]["text"] == "add a blog section");
  CHECK(changes[0]["status"] == "proposed");
  CHECK(changes[0]["reason"] == "Add a blog (amended)");
}

TEST_CASE("installing again changes nothing, and an older pm's hooks are upgraded in place",
          "[hook]") {
  Repo repo;
  fs::path hooks = repo.dir / ".git/hooks";
  std::string post_commit = read(hooks / "post-commit");
  std::string post_rewrite = read(hooks / "post-rewrite");
  // sh runs it (so it can fall back to the pm on PATH) and becomes pm at once.
  CHECK(post_commit.rfind("#!/bin/sh\n", 0) == 0);
  CHECK(post_commit.find("\npm='" + fs::canonical(PM_BINARY).string() + "'\n") !=
        std::string::npos);
  CHECK(post_commit.find("exec \"$pm\" --quiet hook run post-commit") != std::string::npos);
  REQUIRE(repo.project.pm({"hook", "install"}).code == 0);
  CHECK(read(hooks / "post-commit") == post_commit);
  CHECK(read(hooks / "post-rewrite") == post_rewrite);
  CHECK_FALSE(fs::exists(hooks / "post-commit.pm-chained"));

  // The hooks pm installed before they exec'd pm: pm's marker, so replaced, not chained.
  std::string marker = "# pm-hook: installed by 'pm hook install'\n";
  std::string dir = (repo.dir).string();
  for (std::string hook : {"post-commit", "post-rewrite"}) {
    std::ofstream(hooks / hook) << "#!/bin/sh\n" << marker << "pm=pm\nstatus=0\nPM_DIR='" << dir
                                << "' \"$pm\" --quiet hook run " << hook
                                << " \"$@\" </dev/null >/dev/null 2>>/dev/null || true\n"
                                   "exit $status\n";
  }
  REQUIRE(repo.project.pm({"hook", "install"}).code == 0);
  CHECK(read(hooks / "post-commit") == post_commit);
  CHECK(read(hooks / "post-rewrite") == post_rewrite);
  CHECK_FALSE(fs::exists(hooks / "post-commit.pm-chained"));
  CHECK_FALSE(fs::exists(hooks / "post-rewrite.pm-chained"));
  repo.commit("x\n\nAgreed: after the upgrade\n", "a.txt");
  repo.git("git commit -q --amend -m 'x, amended' -m 'Agreed: after the upgrade'");
  json e = repo.entries();
  REQUIRE(e.size() == 1);
  CHECK(e[0]["data"]["commit"] == repo.head());
}

TEST_CASE("install --force replaces an existing hook and keeps it aside", "[hook]") {
  Repo repo(false);
  fs::path hook = repo.dir / ".git/hooks/post-commit";
  std::ofstream(hook) << "#!/bin/sh\necho ran >> \"$(git rev-parse --show-toplevel)/existing.log\"\n";
  fs::permissions(hook, fs::perms::owner_all);
  REQUIRE(repo.project.pm({"hook", "install", "--force"}).code == 0);
  CHECK(read(repo.dir / ".git/hooks/post-commit.pm-backup.1").find("echo ran") !=
        std::string::npos);
  CHECK_FALSE(fs::exists(repo.dir / ".git/hooks/post-commit.pm-chained"));
  repo.commit("x\n\nDecision: only pm runs\n", "a.txt");
  CHECK_FALSE(fs::exists(repo.dir / "existing.log"));
  CHECK(repo.entries().size() == 1);
}

TEST_CASE("an existing post-rewrite hook still gets the rewritten commits", "[hook]") {
  Repo repo(false);
  fs::path hook = repo.dir / ".git/hooks/post-rewrite";
  std::ofstream(hook) << "#!/bin/sh\ncat >> \"$(git rev-parse --show-toplevel)/rewritten.log\"\n"
                         "exit 3\n";
  fs::permissions(hook, fs::perms::owner_all);
  REQUIRE(repo.project.pm({"hook", "install"}).code == 0);
  repo.commit("x\n\nDecision: chained rewrite\n", "a.txt");
  std::string old_id = repo.head();
  repo.git("git commit -q --amend -m 'x, amended' -m 'Decision: chained rewrite'");
  CHECK(read(repo.dir / "rewritten.log") == old_id + " " + repo.head() + "\n");
  json e = repo.entries();
  REQUIRE(e.size() == 1);
  CHECK(e[0]["data"]["commit"] == repo.head());
}

TEST_CASE("a project path with a quote and spaces reaches the hook", "[hook]") {
  TempDir tmp;
  fs::path dir = tmp / "it's a project";
  fs::create_directories(dir);
  auto env = test_env(tmp.path());
  REQUIRE(sh("git init -q && git config user.name 'Dev One' && git config user.email d@x.y"
             " && git config commit.gpgsign false",
             dir, env)
              .code == 0);
  REQUIRE(run({"init", "--name", "Quotes", "--client", "ACME", "--manager", "Anna",
               "--email", "anna@example.com"},
              dir, env)
              .code == 0);
  REQUIRE(run({"hook", "install"}, dir, env).code == 0);
  REQUIRE(sh("git commit -q --allow-empty -m x -m 'Agreed: quoted paths work'", dir, env).code == 0);
  Result log = run({"log", "--json"}, dir, env);
  REQUIRE(log.code == 0);
  json e = json::parse(log.out)["entries"];
  REQUIRE(e.size() == 1);
  CHECK(e[0]["text"] == "quoted paths work");
  // Running the script with sh does the same (here: nothing new to log).
  CHECK(sh("sh .git/hooks/post-commit", dir, env).code == 0);
  CHECK(read(dir / ".pm/hook.log").empty());
}

TEST_CASE("a pm whose path the kernel cannot take in a #! line is run by sh", "[hook]") {
  Repo repo(false);
  TempDir tmp;
  fs::path bin = tmp / "a dir with spaces";
  fs::create_directories(bin);
  fs::copy_file(PM_BINARY, bin / "pm");
  fs::permissions(bin / "pm", fs::perms::owner_all);
  std::string pm = "'" + (bin / "pm").string() + "'";
  repo.git(pm + " hook install");
  std::string script = read(repo.dir / ".git/hooks/post-commit");
  CHECK(script.rfind("#!/bin/sh\n", 0) == 0);
  repo.commit("x\n\nDecision: sh runs it\n", "a.txt");
  repo.git("git commit -q --amend -m 'x, amended' -m 'Decision: sh runs it'");
  json e = repo.entries();
  REQUIRE(e.size() == 1);
  CHECK(e[0]["data"]["commit"] == repo.head());
}

TEST_CASE("a mistake in project.yaml does not cost the hook a decision", "[hook]") {
  Repo repo;
  std::ofstream(repo.dir / ".pm/project.yaml", std::ios::app) << "people: [not closed\n";
  repo.commit("x\n\nDecision: logged all the same\n", "a.txt");
  CHECK(repo.project.entry_count() == 1);
  CHECK(repo.project.pm({"log"}).code != 0);  // every other command says what is wrong
}

TEST_CASE("an amend that drops a trailer withdraws what it had logged", "[hook][withdraw]") {
  Repo repo;
  repo.commit("Plan\n\nAgreed: launch on 15 December\nDecision: use PostgreSQL\n", "a.txt");
  std::string first = repo.head();
  // Reworded, and the agreement is gone: the decision moves to the new commit, the agreement
  // is withdrawn (a new entry; the old one stays, closed).
  repo.git("git commit -q --amend -m 'Plan, reworded' -m 'Decision: use PostgreSQL'");
  std::string second = repo.head();
  json agreements = json::parse(repo.project.pm({"agreements", "--json"}).out)["agreements"];
  CHECK(agreements.empty());
  json current = repo.entries();
  REQUIRE(current.size() == 1);
  CHECK(current[0]["kind"] == "decision");
  CHECK(current[0]["data"]["commit"] == second);
  json all = json::parse(repo.project.pm({"log", "--all", "--json"}).out)["entries"];
  REQUIRE(all.size() == 4);  // agreement, decision, the decision again, the withdrawal
  json withdrawal;
  for (const auto& e : all) {
    if (e["data"].contains("withdrawn")) {
      withdrawal = e;
    }
  }
  CHECK(withdrawal["kind"] == "agreement");
  CHECK(withdrawal["ref"] == 1);
  CHECK(withdrawal["text"] == "launch on 15 December");
  CHECK(withdrawal["data"]["withdrawn"] == true);
  CHECK(withdrawal["data"]["commit"] == second);
  CHECK(withdrawal["data"]["rewrites"] == first);
  Result table = repo.project.pm({"log", "--all"});
  CHECK(table.out.find("withdrawn: launch on 15 December") != std::string::npos);
  CHECK(repo.project.pm({"log"}).out.find("withdrawn") == std::string::npos);

  // An amend that drops the last trailer withdraws that too: nothing current is left.
  repo.git("git commit -q --amend -m 'Plan, no decisions'");
  CHECK(repo.entries().empty());
  CHECK(repo.project.entry_count() == 5);
  // Amending again without trailers adds nothing: a withdrawal is never withdrawn.
  repo.git("git commit -q --amend -m 'Plan, still none'");
  CHECK(repo.project.entry_count() == 5);
  // Put back, it is logged again, once.
  repo.git("git commit -q --amend -m 'Plan' -m 'Agreed: launch on 15 December'");
  agreements = json::parse(repo.project.pm({"agreements", "--json"}).out)["agreements"];
  REQUIRE(agreements.size() == 1);
  CHECK(agreements[0]["text"] == "launch on 15 December");
  CHECK(repo.entries().back()["data"]["commit"] == repo.head());
  CHECK(repo.project.pm({"verify"}).code == 0);
}

TEST_CASE("a withdrawn Change: proposal leaves pm change list and the report", "[hook][withdraw]") {
  Repo repo;
  // In the week PM_NOW is in, so the report would show it.
  repo.project.env["GIT_AUTHOR_DATE"] = "2026-11-19T10:00:00+03:00";
  repo.project.env["GIT_COMMITTER_DATE"] = "2026-11-19T10:00:00+03:00";
  repo.commit("Add a blog\n\nChange: add a blog section\n", "a.txt");
  REQUIRE(json::parse(repo.project.pm({"change", "list", "--json"}).out)["changes"].size() == 1);
  CHECK(repo.project.pm({"report", "--format", "json"}).out.find("add a blog section") !=
        std::string::npos);
  repo.project.env["GIT_COMMITTER_DATE"] = "2026-11-19T11:00:00+03:00";
  repo.git("git commit -q --amend -m 'Add a blog, not a change after all'");
  CHECK(json::parse(repo.project.pm({"change", "list", "--json"}).out)["changes"].empty());
  Result report = repo.project.pm({"report", "--format", "json"});
  REQUIRE(report.code == 0);
  CHECK(report.out.find("add a blog section") == std::string::npos);
}
