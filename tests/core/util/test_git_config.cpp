// read_git_config agrees with `git config` itself, and leaves to git what it cannot know.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>

#include "pm/util/git_config.hpp"
#include "pm/util/process.hpp"

namespace fs = std::filesystem;
using pm::read_git_config;

namespace {

/// Sets an environment variable for one scope, restoring the old value after.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : m_name(name) {
    if (const char* old = std::getenv(name)) {
      m_old = old;
    }
    value == nullptr ? ::unsetenv(name) : ::setenv(name, value, 1);
  }
  ~ScopedEnv() { m_old ? ::setenv(m_name, m_old->c_str(), 1) : ::unsetenv(m_name); }

 private:
  const char* m_name;
  std::optional<std::string> m_old;
};

void write(const fs::path& file, const std::string& text) {
  fs::create_directories(file.parent_path());
  std::ofstream(file) << text;
}

std::string git_says(const fs::path& cwd) {
  auto r = pm::run_process({"git", "config", "user.name"}, cwd);
  std::string out = r.out;
  while (!out.empty() && out.back() == '\n') {
    out.pop_back();
  }
  return out;
}

}  // namespace

TEST_CASE("read_git_config: global and repository files, as git reads them", "[git_config]") {
  fs::path root = fs::temp_directory_path() / ("pm-git-config-" + std::to_string(::getpid()));
  fs::remove_all(root);
  fs::path home = root / "home";
  fs::path repo = root / "repo";
  fs::create_directories(home);
  ScopedEnv h("HOME", home.c_str());
  ScopedEnv x("XDG_CONFIG_HOME", nullptr);
  ScopedEnv s("GIT_CONFIG_NOSYSTEM", "1");
  ScopedEnv d("GIT_DIR", nullptr);

  // Nothing set anywhere.
  CHECK(read_git_config("user", "name", root) == std::optional<std::string>(""));

  write(home / ".gitconfig", "# mine\n[core]\n\teditor = vi\n[User]\n\tName = Ann Global ; x\n");
  CHECK(*read_git_config("user", "name", root) == "Ann Global");
  CHECK(git_says(root) == "Ann Global");

  REQUIRE(pm::run_process({"git", "init", "-q", repo.string()}).code == 0);
  fs::create_directories(repo / "sub");
  CHECK(*read_git_config("user", "name", repo / "sub") == "Ann Global");
  write(repo / ".git" / "config",
        "[core]\n\tbare = false\n[user \"other\"]\n\tname = Not This\n[user]\n"
        "\tname = \"Bob  \\\"Repo\\\" Local\"  # comment\n");
  CHECK(*read_git_config("user", "name", repo / "sub") == "Bob  \"Repo\" Local");
  CHECK(git_says(repo / "sub") == "Bob  \"Repo\" Local");

  SECTION("includes are left to git") {
    write(home / ".gitconfig", "[include]\n\tpath = other\n");
    CHECK_FALSE(read_git_config("user", "name", root).has_value());
  }
  SECTION("so is an explicit GIT_CONFIG_GLOBAL") {
    ScopedEnv g("GIT_CONFIG_GLOBAL", (home / "elsewhere").c_str());
    CHECK_FALSE(read_git_config("user", "name", root).has_value());
  }
  fs::remove_all(root);
}
