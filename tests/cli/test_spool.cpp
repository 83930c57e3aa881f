// The spool (.pm/spool) where the git hook leaves decisions while the ledger is busy: drained
// by the next pm, claimed crash-safely (kill -9 at any point loses nothing and repeats
// nothing), malformed files set aside.
#include <catch2/catch.hpp>
#include <chrono>
#include <csignal>
#include <fcntl.h>
#include <fstream>
#include <sys/wait.h>
#include <unistd.h>

#include <SQLiteCpp/SQLiteCpp.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "harness.hpp"

namespace fs = std::filesystem;
using namespace pm::test;

namespace {

/// A spooled post-commit event, as spool_event writes it, for the commit numbered `n`.
void spool(const Project& p, int n, const std::string& name) {
  nlohmann::json commit = {{"id", fmt::format("{:040x}", n)},
                           {"author", "Dev <dev@example.com>"},
                           {"date", "2026-11-19T10:00:00Z"},
                           {"subject", fmt::format("commit {}", n)},
                           {"message", fmt::format("commit {}\n\nDecision: decision {}\n", n, n)}};
  nlohmann::json event = {{"hook", "post-commit"},
                          {"commits", {{{"old", ""}, {"commit", commit}}}}};
  fs::path dir = p.root() / "work/.pm/spool";
  fs::create_directories(dir);
  std::ofstream(dir / (name + ".tmp")) << event.dump() << "\n";
  fs::rename(dir / (name + ".tmp"), dir / name);
}

/// Starts `pm args...` in the project, its output discarded; returns its pid.
pid_t start(const Project& p, const std::vector<std::string>& args) {
  std::vector<std::string> env;
  for (const auto& [k, v] : p.env) {
    env.push_back(k + "=" + v);
  }
  std::vector<std::string> argv = {PM_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  pid_t pid = ::fork();
  if (pid == 0) {
    int null = ::open("/dev/null", O_RDWR);
    ::dup2(null, 0);
    ::dup2(null, 1);
    ::dup2(null, 2);
    if (::chdir((p.root() / "work").c_str()) != 0) {
      ::_exit(126);
    }
    std::vector<char*> a;
    for (auto& s : argv) {
      a.push_back(s.data());
    }
    a.push_back(nullptr);
    std::vector<char*> e;
    for (auto& s : env) {
      e.push_back(s.data());
    }
    e.push_back(nullptr);
    ::execve(a[0], a.data(), e.data());
    ::_exit(127);
  }
  return pid;
}

/// How many times each decision text is in the ledger.
std::map<std::string, int> decisions(const Project& p) {
  SQLite::Database db((p.root() / "work/.pm/ledger.db").string(), SQLite::OPEN_READONLY);
  SQLite::Statement q(db, "SELECT text, count(*) FROM entries WHERE kind = 'decision' "
                          "GROUP BY text");
  std::map<std::string, int> out;
  while (q.executeStep()) {
    out[q.getColumn(0).getString()] = q.getColumn(1).getInt();
  }
  return out;
}

/// Every file under `dir`, recursively (directories not counted).
std::vector<std::string> files_under(const fs::path& dir) {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& item : fs::recursive_directory_iterator(dir, ec)) {
    if (!item.is_directory()) {
      out.push_back(item.path().lexically_relative(dir).string());
    }
  }
  return out;
}

}  // namespace

TEST_CASE("kill -9 during spool drains, again and again: every decision exactly once",
          "[spool]") {
  Project p;
  const int k_rounds = 30;
  const int k_events = 60;
  auto spool_round = [&](int round) {
    for (int k = 0; k < k_events; ++k) {
      int n = round * k_events + k;
      spool(p, n, fmt::format("{:08}-test.json", n));
    }
  };
  // How long a whole run takes here (start-up and drain): the kills are spread over it, so a
  // loaded machine still sees kills before, during and after the claims and the appends.
  spool_round(k_rounds);
  auto started = std::chrono::steady_clock::now();
  REQUIRE(p.pm({"log"}).code == 0);
  auto whole = std::chrono::duration_cast<std::chrono::microseconds>(
      std::chrono::steady_clock::now() - started);
  int interrupted = 0;  // rounds killed in the middle of a drain
  for (int round = 0; round < k_rounds; ++round) {
    spool_round(round);
    pid_t pid = start(p, {"log"});
    ::usleep(static_cast<useconds_t>(whole.count() * (round + 1) / (k_rounds + 1)));
    ::kill(pid, SIGKILL);
    int status = 0;
    ::waitpid(pid, &status, 0);
    // claimed/ outlives a drain only when it was killed between its claims and its end.
    interrupted += fs::exists(p.root() / "work/.pm/spool/claimed") ? 1 : 0;
  }
  INFO("rounds interrupted mid-drain: " << interrupted);
  CHECK(interrupted > 0);  // else this test proved nothing
  Result r = p.pm({"log"});
  INFO(r.err);
  REQUIRE(r.code == 0);
  auto logged = decisions(p);
  CHECK(logged.size() == static_cast<std::size_t>((k_rounds + 1) * k_events));
  for (int n = 0; n < (k_rounds + 1) * k_events; ++n) {
    INFO("decision " << n);
    CHECK(logged[fmt::format("decision {}", n)] == 1);
  }
  CHECK(files_under(p.root() / "work/.pm/spool").empty());

  // The same events spooled again (a hook that ran twice) add nothing.
  for (int k = 0; k < k_events; ++k) {
    spool(p, k, fmt::format("again-{:04}.json", k));
  }
  REQUIRE(p.pm({"log"}).code == 0);
  CHECK(decisions(p).size() == static_cast<std::size_t>((k_rounds + 1) * k_events));
  CHECK(p.entry_count() == (k_rounds + 1) * k_events);
  CHECK(files_under(p.root() / "work/.pm/spool").empty());
}

TEST_CASE("a claim left by a process that is gone is taken over", "[spool]") {
  Project p;
  spool(p, 1, "00000001-test.json");
  fs::path spool_dir = p.root() / "work/.pm/spool";
  fs::create_directories(spool_dir / "claimed");
  // A pid that is surely not running: a child that has exited and been reaped.
  pid_t gone = ::fork();
  if (gone == 0) {
    ::_exit(0);
  }
  ::waitpid(gone, nullptr, 0);
  fs::rename(spool_dir / "00000001-test.json",
             spool_dir / "claimed" / fmt::format("00000001-test.json.{}", gone));
  spool(p, 2, fmt::format("00000002-test.json.{}", gone));  // an older pm's claim
  REQUIRE(p.pm({"log"}).code == 0);
  CHECK(decisions(p) == std::map<std::string, int>{{"decision 1", 1}, {"decision 2", 1}});
  CHECK(files_under(spool_dir).empty());
}

TEST_CASE("a malformed spool file is set aside with one warning and blocks nothing",
          "[spool]") {
  Project p;
  fs::path spool_dir = p.root() / "work/.pm/spool";
  fs::create_directories(spool_dir);
  std::ofstream(spool_dir / "1-broken.json") << "{not json";
  std::ofstream(spool_dir / "2-shape.json") << R"({"hook": 1, "commits": "no"})";
  std::ofstream(spool_dir / "3-date.json")
      << R"({"hook":"post-commit","commits":[{"old":"","commit":{"id":"a","author":"x",)"
      << R"("date":"yesterday","subject":"s","message":"s\n\nDecision: d\n"}}]})";
  spool(p, 7, "4-good.json");
  Result r = p.pm({"agreements"});
  INFO(r.err);
  CHECK(r.code == 0);
  std::size_t warnings = 0;
  for (std::size_t at = r.err.find("pm: warning:"); at != std::string::npos;
       at = r.err.find("pm: warning:", at + 1)) {
    ++warnings;
  }
  CHECK(warnings == 3);
  CHECK(r.err.find("1-broken.json is not a spooled hook event") != std::string::npos);
  for (const char* name : {"1-broken.json", "2-shape.json", "3-date.json"}) {
    CHECK(fs::exists(spool_dir / "bad" / name));
  }
  CHECK(decisions(p) == std::map<std::string, int>{{"decision 7", 1}});
  Result again = p.pm({"log-agreement", "Launch"});
  CHECK(again.code == 0);
  CHECK(again.err.find("warning") == std::string::npos);
}
