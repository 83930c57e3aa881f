// Files pm writes: never through a planted link, never replacing a device or a FIFO, modes
// that do not leak the record, and --letter that is both-or-neither with the entry.
#include <catch2/catch.hpp>
#include <fstream>
#include <fcntl.h>
#include <future>
#include <sys/stat.h>
#include <unistd.h>

#include <SQLiteCpp/SQLiteCpp.h>

#include "harness.hpp"

namespace fs = std::filesystem;
using namespace pm::test;

namespace {

unsigned mode_of(const fs::path& file) {
  struct stat st {};
  REQUIRE(::lstat(file.c_str(), &st) == 0);
  return st.st_mode & 07777;
}

/// The pid the next processes will get: links at NAME.tmp<pid> cover them.
int next_pid() {
  std::ifstream in("/proc/sys/kernel/ns_last_pid");
  int pid = 0;
  in >> pid;
  return pid + 1;
}

/// Links at every name a predictable temporary file could take (the old FILE.tmp<pid>).
void plant_links(const fs::path& file, const fs::path& victim) {
  int first = next_pid();
  for (int pid = first; pid < first + 300; ++pid) {
    fs::create_symlink(victim, fs::path(file.string() + ".tmp" + std::to_string(pid)));
  }
}

/// Files in `dir` whose name starts with a dot and holds ".pm-": temporary files left behind.
int leftovers(const fs::path& dir) {
  int n = 0;
  for (const auto& item : fs::directory_iterator(dir)) {
    std::string name = item.path().filename().string();
    n += name.starts_with(".") && name.find(".pm-") != std::string::npos ? 1 : 0;
  }
  return n;
}

/// Sets the umask for this test process (and the pm it starts) while it lives.
struct Umask {
  explicit Umask(mode_t mask) : m_old(::umask(mask)) {}
  ~Umask() { ::umask(m_old); }
  mode_t m_old;
};

}  // namespace

TEST_CASE("a link planted at the target or at a temporary name is never followed", "[files]") {
  Project p;
  REQUIRE(p.pm({"log-agreement", "Launch on the 12th"}).code == 0);
  fs::path victim = p.root() / "victim.txt";
  std::ofstream(victim) << "precious\n";
  fs::path work = p.root() / "work";

  SECTION("a link at the target: refused, the link's target untouched") {
    fs::create_symlink(victim, work / "out.jsonl");
    Result r = p.pm({"export", "-o", "out.jsonl"});
    CHECK(r.code == 1);
    CHECK(r.err.find("symbolic link") != std::string::npos);
    CHECK(read(victim) == "precious\n");
    CHECK(fs::is_symlink(work / "out.jsonl"));
  }
  SECTION("links at the predictable temporary names: export, letter, report, project.yaml") {
    plant_links(work / "out.jsonl", victim);
    REQUIRE(p.pm({"export", "-o", "out.jsonl"}).code == 0);
    plant_links(work / "letter.eml", victim);
    REQUIRE(p.pm({"render", "agreement-confirmation", "--set", "agreement=1", "-o",
                  "letter.eml"}).code == 0);
    plant_links(work / "report.md", victim);
    REQUIRE(p.pm({"report", "--format", "md", "-o", "report.md"}).code == 0);
    plant_links(work / ".pm/project.yaml", victim);
    REQUIRE(p.pm({"people", "add", "Olga <olga@acme.example>", "--side", "client"}).code == 0);
    CHECK(read(victim) == "precious\n");
    for (const char* name : {"out.jsonl", "letter.eml", "report.md"}) {
      CHECK(fs::is_regular_file(fs::symlink_status(work / name)));
    }
    CHECK(read(work / "out.jsonl") == p.pm({"export"}).out);
    CHECK(read(work / ".pm/project.yaml").find("olga@acme.example") != std::string::npos);
    CHECK(leftovers(work) == 0);
    CHECK(leftovers(work / ".pm") == 0);
  }
}

TEST_CASE("output to a device or a FIFO writes into it and never replaces it, -o - is stdout",
          "[files]") {
  Project p;
  REQUIRE(p.pm({"log-agreement", "Launch on the 12th"}).code == 0);
  std::string expected = p.pm({"export"}).out;

  SECTION("/dev/null stays the device") {
    Result r = p.pm({"export", "-o", "/dev/null"});
    INFO(r.err);
    CHECK(r.code == 0);
    CHECK(fs::is_character_file("/dev/null"));
  }
  SECTION("a FIFO gets the content, read by another thread, and stays a FIFO") {
    fs::path fifo = p.root() / "pipe";
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    auto reader = std::async(std::launch::async, [&] { return read(fifo); });
    Result r = p.pm({"export", "-o", fifo.string()});
    INFO(r.err);
    // Should pm have failed before opening the FIFO, this releases the reader.
    int writer = ::open(fifo.c_str(), O_WRONLY | O_NONBLOCK);
    if (writer >= 0) {
      ::close(writer);
    }
    CHECK(r.code == 0);
    CHECK(reader.get() == expected);
    CHECK(fs::is_fifo(fifo));
  }
  SECTION("-o - writes stdout, for export, render, report and --letter alike") {
    CHECK(p.pm({"export", "-o", "-"}).out == expected);
    Result letter = p.pm({"render", "agreement-confirmation", "--set", "agreement=1", "-o", "-"});
    CHECK(letter.out.find("Launch on the 12th") != std::string::npos);
    CHECK(p.pm({"report", "--format", "md", "-o", "-"}).out.find("Launch") != std::string::npos);
    Result logged = p.pm({"log-agreement", "Texts by Friday", "--letter", "-o", "-"});
    CHECK(logged.code == 0);
    CHECK(logged.out.find("Texts by Friday") != std::string::npos);
    CHECK_FALSE(fs::exists(p.root() / "work" / "-"));
  }
}

TEST_CASE("new files are 0600 whatever the umask, shared: group makes them 0660 and 0640",
          "[files]") {
  Umask open_umask(0);
  SECTION("a private project") {
    Project p;
    REQUIRE(p.pm({"log-agreement", "Launch"}).code == 0);
    REQUIRE(p.pm({"export", "-o", "out.jsonl"}).code == 0);
    REQUIRE(p.pm({"log-agreement", "Texts", "--letter", "-o", "letter.eml"}).code == 0);
    fs::path pm_dir = p.root() / "work/.pm";
    CHECK(mode_of(pm_dir / "ledger.db") == 0600);
    for (const char* extra : {"ledger.db-wal", "ledger.db-shm"}) {
      if (fs::exists(pm_dir / extra)) {
        CHECK(mode_of(pm_dir / extra) == 0600);
      }
    }
    CHECK(mode_of(pm_dir / "project.yaml") == 0600);
    CHECK(mode_of(p.root() / "work/out.jsonl") == 0600);
    CHECK(mode_of(p.root() / "work/letter.eml") == 0600);
  }
  SECTION("shared: group, as git's core.sharedRepository") {
    Project p({"--shared", "group"});
    fs::path pm_dir = p.root() / "work/.pm";
    CHECK(read(pm_dir / "project.yaml").find("shared: group") != std::string::npos);
    REQUIRE(p.pm({"log-agreement", "Launch"}).code == 0);
    REQUIRE(p.pm({"export", "-o", "out.jsonl"}).code == 0);
    CHECK(mode_of(pm_dir) == 02770);
    CHECK(mode_of(pm_dir / "ledger.db") == 0660);
    CHECK(mode_of(pm_dir / "project.yaml") == 0640);
    CHECK(mode_of(p.root() / "work/out.jsonl") == 0640);
  }
}

TEST_CASE("a rewritten file keeps its mode: project.yaml set to 0600 stays 0600", "[files]") {
  Project p;
  fs::path config = p.root() / "work/.pm/project.yaml";
  for (unsigned mode : {0600u, 0640u}) {
    fs::permissions(config, static_cast<fs::perms>(mode));
    REQUIRE(p.pm({"people", "add", "Olga <olga@acme.example>", "--side", "client", "--role",
                  "finance"}).code == 0);
    CHECK(mode_of(config) == mode);
  }
  fs::path out = p.root() / "work/out.jsonl";
  std::ofstream(out) << "old\n";
  fs::permissions(out, static_cast<fs::perms>(0644));
  REQUIRE(p.pm({"export", "-o", "out.jsonl"}).code == 0);
  CHECK(mode_of(out) == 0644);
  CHECK(read(out) != "old\n");
}

TEST_CASE("with --letter, a path that cannot be written records nothing", "[files][letter]") {
  Project p;
  REQUIRE(p.pm({"change", "propose", "Add a blog", "--reason", "asked", "--calendar-days",
                "--days", "3"}).code == 0);
  REQUIRE(p.pm({"change", "approve", "1", "--side", "team"}).code == 0);
  int before = p.entry_count();
  for (std::vector<std::string> args : {
           std::vector<std::string>{"log-agreement", "Launch", "--letter"},
           std::vector<std::string>{"change", "propose", "Add a shop", "--reason", "asked",
                                    "--letter"},
           std::vector<std::string>{"change", "approve", "1", "--side", "client", "--by",
                                    "Ivan Sidorov", "--letter"},
           std::vector<std::string>{"change", "reject", "1", "--side", "client", "--by",
                                    "Ivan Sidorov", "--letter"},
       }) {
    for (const char* target : {"/nonexistent/x.eml", "."}) {
      args.insert(args.end(), {"-o", target});
      Result r = p.pm(args);
      INFO(args[0] << " -o " << target << ": " << r.err);
      CHECK(r.code == 1);
      CHECK(r.err.find("cannot write") != std::string::npos);
      CHECK(p.entry_count() == before);
      args.resize(args.size() - 2);
    }
  }
}

TEST_CASE("a letter whose final write fails: the entry stands, exit 6 names it", "[files][letter]") {
  Project p;
  REQUIRE(fs::exists("/dev/full"));
  int before = p.entry_count();
  Result r = p.pm({"log-agreement", "Launch", "--letter", "-o", "/dev/full"});
  CHECK(r.code == 6);
  CHECK(r.err.rfind("1\n", 0) == 0);  // the id first, alone on its line
  CHECK(r.err.find("entry 1 was recorded, but its letter was not written") != std::string::npos);
  CHECK(r.err.find("pm render agreement-confirmation") != std::string::npos);
  CHECK(p.entry_count() == before + 1);

  REQUIRE(p.pm({"change", "propose", "Add a blog", "--reason", "asked"}).code == 0);
  REQUIRE(p.pm({"change", "approve", "1", "--side", "team"}).code == 0);
  r = p.pm({"change", "approve", "1", "--side", "client", "--by", "Ivan Sidorov", "--letter",
            "-o", "/dev/full"});
  CHECK(r.code == 6);
  CHECK(r.err.find("entry 4 was recorded") != std::string::npos);
  CHECK(p.entry_count() == before + 4);
  CHECK(p.pm({"change", "show", "1"}).out.find("Status:    approved") != std::string::npos);
}
