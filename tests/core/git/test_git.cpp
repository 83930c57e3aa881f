#include <catch2/catch.hpp>

#include "pm/git/commits.hpp"
#include "pm/git/git.hpp"
#include "pm/util/process.hpp"

#include <filesystem>
#include <unistd.h>

using namespace pm;

TEST_CASE("trailers come from the last paragraph only", "[git]") {
  auto t = parse_trailers("Subject: not a trailer\n\nBody text.\nAgreed: no, body\n\n"
                          "Agreed: launch on 12 December\nDecision: use PostgreSQL\n"
                          "  and keep MySQL for reports\nSigned-off-by: Dev <d@x.y>\n");
  REQUIRE(t.size() == 3);
  CHECK(t[0].key == "Agreed");
  CHECK(t[0].value == "launch on 12 December");
  CHECK(t[1].value == "use PostgreSQL and keep MySQL for reports");
  CHECK(t[2].key == "Signed-off-by");
  CHECK(parse_trailers("Agreed: only a subject\n").empty());
  CHECK(parse_trailers("").empty());
}

TEST_CASE("a trailer whose value starts on the next line has no leading blank", "[git]") {
  // Found by tests/fuzz/fuzz_trailers (corpus: empty-value-continuation.txt): the value was
  // " add a blog", and the hook logged the change with that blank in front. git reads it
  // as "add a blog" (git interpret-trailers --parse).
  auto t = parse_trailers("Fix\n\nChange:\n  add a blog\n\tand a feed\nAgreed: a\n  b\n");
  REQUIRE(t.size() == 2);
  CHECK(t[0].key == "Change");
  CHECK(t[0].value == "add a blog and a feed");
  CHECK(t[1].value == "a b");
  Commit c;
  c.message = "Fix\n\nDecision:\n  use PostgreSQL\n";
  auto entries = entries_from_commit(c, Instant{});
  REQUIRE(entries.size() == 1);
  CHECK(entries[0].text == "use PostgreSQL");
}

TEST_CASE("known trailers become entries, in English and Russian", "[git]") {
  Commit c;
  c.id = "abc";
  c.author = "Dev";
  c.subject = "Rework";
  c.message = "Rework\n\nagreed: lower case key\nРешение: по-русски\nChange: add a blog\n"
              "Reviewed-by: someone\nDecision:\n";
  auto entries = entries_from_commit(c, Instant{});
  REQUIRE(entries.size() == 3);
  CHECK(entries[0].kind == "agreement");
  CHECK(entries[1].kind == "decision");
  CHECK(entries[1].text == "по-русски");
  CHECK(entries[2].kind == "change");
  CHECK(entries[2].data["reason"] == "Rework");
  CHECK(entries[0].source == "hook");
  CHECK(entries[0].data["commit"] == "abc");
}

TEST_CASE("log_commit and log_rewrite never double an entry", "[git]") {
  Ledger ledger(":memory:", Ledger::Mode::create);
  Commit c;
  c.id = "old";
  c.author = "Dev";
  c.message = "x\n\nDecision: one\nDecision: two\n";
  CHECK(log_commit(ledger, c, Instant{}).size() == 2);
  CHECK(log_commit(ledger, c, Instant{}).empty());
  Commit amended = c;
  amended.id = "new";
  amended.message = "x\n\nDecision: one\nDecision: two, reworded\nDecision: three\n";
  auto ids = log_rewrite(ledger, {{"old", amended}}, Instant{});
  REQUIRE(ids.size() == 3);
  auto two = ledger.find(ids[1]);
  CHECK(two->text == "two, reworded");
  CHECK(two->ref == 2);
  CHECK_FALSE(ledger.find(ids[2])->ref);
  CHECK(log_rewrite(ledger, {{"old", amended}}, Instant{}).empty());
}

TEST_CASE("read_head_message reads loose commits as git log does, and leaves packed ones to git",
          "[git]") {
  namespace fs = std::filesystem;
  fs::path repo = fs::temp_directory_path() / ("pm-head-" + std::to_string(::getpid()));
  fs::remove_all(repo);
  auto git = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {"git", "-c", "user.name=T", "-c", "user.email=t@x.y"});
    return run_process(args, repo);
  };
  REQUIRE(run_process({"git", "init", "-q", repo.string()}).code == 0);
  auto chomped = [](std::string s) {
    while (!s.empty() && s.back() == '\n') {
      s.pop_back();
    }
    return s;
  };
  for (const char* message : {"Plain subject", "Rework\n\nBody.\n\nAgreed: launch on 12 May\n"
                                                "Decision: use PostgreSQL"}) {
    REQUIRE(git({"commit", "-q", "--allow-empty", "-m", message}).code == 0);
    auto read = read_head_message(repo);
    REQUIRE(read.has_value());
    CHECK(chomped(*read) == chomped(git({"log", "-1", "--format=%B"}).out));
  }
  REQUIRE(git({"gc", "-q"}).code == 0);  // packs the objects and refs
  CHECK_FALSE(read_head_message(repo).has_value());
  fs::remove_all(repo);
}

TEST_CASE("read_head_commit gives what read_commit (git log) gives, without git", "[git]") {
  namespace fs = std::filesystem;
  fs::path repo = fs::temp_directory_path() / ("pm-commit-" + std::to_string(::getpid()));
  fs::remove_all(repo);
  auto git = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {"git", "-c", "user.name=  Dev   One ", "-c", "user.email=d@x.y"});
    ProcessResult r = run_process(args, repo);
    INFO(r.out);
    REQUIRE(r.code == 0);
    return r;
  };
  REQUIRE(run_process({"git", "init", "-q", repo.string()}).code == 0);
  ::setenv("GIT_AUTHOR_DATE", "2026-03-01T10:00:00+05:30", 1);
  const std::vector<std::vector<std::string>> commits = {
      {"commit", "-q", "--allow-empty", "-m", "Plain subject"},
      {"commit", "-q", "--allow-empty", "-m", "Line one\nline two  \n\nBody.\n\nAgreed: x"},
      {"commit", "-q", "--allow-empty", "--cleanup=verbatim", "-m",
       "\n  \nAfter blank lines\t\n\nDecision: y  \n\n"},
      {"commit", "-q", "--allow-empty", "--amend", "-m", "Amended\n\nChange: z"},
  };
  for (const auto& args : commits) {
    git(args);
    Commit expected = read_commit(repo, "HEAD");
    auto head = read_head_commit(repo);
    REQUIRE(head.has_value());
    CHECK(head->id == expected.id);
    CHECK(head->author == expected.author);
    CHECK(format_utc(head->date) == format_utc(expected.date));
    CHECK(head->subject == expected.subject);
    CHECK(head->message == expected.message);
    auto by_id = read_loose_commit(repo, expected.id);
    REQUIRE(by_id.has_value());
    CHECK(by_id->message == expected.message);
    std::string reflog = git({"log", "-g", "-1", "--format=%gs", "HEAD"}).out;
    reflog.pop_back();
    CHECK(head_reflog_subject(repo) == reflog);
  }
  CHECK(head_reflog_subject(repo).rfind("commit (amend): Amended", 0) == 0);
  ::unsetenv("GIT_AUTHOR_DATE");
  // Another encoding than UTF-8 is git's to convert.
  git({"-c", "i18n.commitEncoding=ISO-8859-1", "commit", "-q", "--allow-empty", "-m", "Latin"});
  CHECK_FALSE(read_head_commit(repo).has_value());
  CHECK(read_commit(repo, "HEAD").subject == "Latin");
  CHECK_FALSE(read_loose_commit(repo, "not-an-id").has_value());
  fs::remove_all(repo);
}
