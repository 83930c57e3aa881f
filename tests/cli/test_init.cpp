#include <catch2/catch.hpp>

#include "harness.hpp"

using namespace pm::test;

TEST_CASE("init creates .pm with project.yaml and a ledger", "[init]") {
  TempDir home;
  auto env = test_env(home.path());
  Result r = run({"init", "--name", "Сайт для клиента", "--client", "ООО Ромашка", "--manager",
                  "Анна Петрова", "--email", "anna@example.com", "--lang", "ru", "--tz",
                  "Europe/Moscow", "--deadline", "2026-12-25"},
                 home.path(), env);
  REQUIRE(r.code == 0);
  CHECK(std::filesystem::exists(home / ".pm/ledger.db"));
  std::string yaml = read(home / ".pm/project.yaml");
  CHECK(yaml.find("name: Сайт для клиента") != std::string::npos);
  CHECK(yaml.find("client: ООО Ромашка") != std::string::npos);
  CHECK(yaml.find("language: ru") != std::string::npos);
  CHECK(yaml.find("timezone: Europe/Moscow") != std::string::npos);
  CHECK(yaml.find("deadline: 2026-12-25") != std::string::npos);
  CHECK(yaml.find("reply_within_hours: 2") != std::string::npos);
  CHECK(yaml.find("status_every_days: 5") != std::string::npos);
}

TEST_CASE("init into a named directory creates it", "[init]") {
  TempDir home;
  auto env = test_env(home.path());
  Result r = run({"init", "client-x", "--manager", "Me", "--email", "me@example.com"},
                 home.path(), env);
  REQUIRE(r.code == 0);
  CHECK(std::filesystem::exists(home / "client-x/.pm/ledger.db"));
  CHECK(read(home / "client-x/.pm/project.yaml").find("name: client-x") != std::string::npos);
}

TEST_CASE("a second init is an error that changes nothing", "[init]") {
  Project p;
  std::string before = read(p.root() / "work/.pm/project.yaml");
  REQUIRE(p.pm({"log-agreement", "Kept"}).code == 0);
  Result r = p.pm({"init", "--name", "Other"});
  CHECK(r.code == 1);
  CHECK(r.err.find("already exists") != std::string::npos);
  CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  CHECK(read(p.root() / "work/.pm/project.yaml") == before);
  CHECK(p.entry_count() == 1);
}

TEST_CASE("init rejects bad settings and leaves nothing behind", "[init]") {
  TempDir home;
  auto env = test_env(home.path());
  SECTION("an impossible deadline") {
    Result r = run({"init", "--deadline", "2026-02-30"}, home.path(), env);
    CHECK(r.code == 1);
    CHECK(r.err == "pm: error: deadline: 2026-02-30 does not exist in the calendar\n");
  }
  SECTION("an unknown time zone") {
    Result r = run({"init", "--tz", "Mars/Olympus"}, home.path(), env);
    CHECK(r.code == 1);
    CHECK(r.err.find("unknown time zone 'Mars/Olympus'") != std::string::npos);
  }
  SECTION("a bad address") {
    Result r = run({"init", "--email", "anna at example"}, home.path(), env);
    CHECK(r.code == 1);
    CHECK(r.err.find("not a valid email address") != std::string::npos);
  }
  SECTION("an unsupported language is a usage error") {
    Result r = run({"init", "--lang", "de"}, home.path(), env);
    CHECK(r.code == 2);
  }
  CHECK_FALSE(std::filesystem::exists(home / ".pm"));
}

TEST_CASE("commands outside a project say to run pm init", "[project]") {
  TempDir home;
  auto env = test_env(home.path());
  Result r = run({"agreements"}, home.path(), env);
  CHECK(r.code == 3);
  CHECK(r.err.find("run 'pm init'") != std::string::npos);
  CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  CHECK(r.out.empty());
}

TEST_CASE("the project is found from a subdirectory, with -C and with PM_DIR", "[project]") {
  Project p;
  std::filesystem::create_directories(p.root() / "work/src/deep");
  REQUIRE(p.pm({"log-agreement", "Found"}).code == 0);
  Result sub = run({"agreements", "--json"}, p.root() / "work/src/deep", p.env);
  CHECK(sub.code == 0);
  CHECK(sub.out.find("\"Found\"") != std::string::npos);

  Result with_c = run({"-C", (p.root() / "work/src").string(), "agreements", "--json"},
                      p.root(), p.env);
  CHECK(with_c.code == 0);
  CHECK(with_c.out == sub.out);

  auto env = p.env;
  env["PM_DIR"] = (p.root() / "work").string();
  Result with_env = run({"agreements", "--json"}, std::filesystem::temp_directory_path(), env);
  CHECK(with_env.code == 0);
  CHECK(with_env.out == sub.out);

  env["PM_DIR"] = p.root().string();
  Result wrong = run({"agreements"}, p.root() / "work", env);
  CHECK(wrong.code == 3);
}

TEST_CASE("help and usage errors", "[cli]") {
  TempDir home;
  auto env = test_env(home.path());
  Result help = run({"--help"}, home.path(), env);
  CHECK(help.code == 0);
  for (const char* command : {"init", "log-agreement", "agreements", "people", "templates", "render"}) {
    CHECK(help.out.find(command) != std::string::npos);
  }
  Result sub_help = run({"render", "--help"}, home.path(), env);
  CHECK(sub_help.code == 0);
  CHECK(sub_help.out.find("--format") != std::string::npos);
  Result unknown = run({"frobnicate"}, home.path(), env);
  CHECK(unknown.code == 2);
  CHECK(unknown.err.rfind("pm: error: ", 0) == 0);
  Result none = run({}, home.path(), env);
  CHECK(none.code == 2);
  Result version = run({"--version"}, home.path(), env);
  CHECK(version.code == 0);
  CHECK(version.out.rfind("pm ", 0) == 0);
}
