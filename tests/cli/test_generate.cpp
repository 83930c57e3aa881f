// Completion and the man page come from the command table; every command is documented.
#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

#include "harness.hpp"

using namespace pm::test;
namespace fs = std::filesystem;

namespace {

std::vector<std::string> command_names(const std::string& bash) {
  // The first case of the completion lists the top-level words.
  auto start = bash.find("/) words=\"") + 10;
  std::istringstream words(bash.substr(start, bash.find('"', start) - start));
  std::vector<std::string> out;
  for (std::string w; words >> w;) {
    if (w[0] != '-') {
      out.push_back(w);
    }
  }
  return out;
}

}  // namespace

TEST_CASE("bash completion is valid shell and knows every command", "[generate]") {
  TempDir home;
  auto env = test_env(home.path());
  Result bash = run({"generate", "bash"}, home.path(), env);
  REQUIRE(bash.code == 0);
  std::ofstream(home / "pm.bash") << bash.out;
  CHECK(sh("bash -n pm.bash", home.path(), env).code == 0);
  auto names = command_names(bash.out);
  CHECK(names.size() >= 10);
  Result help = run({"--help"}, home.path(), env);
  for (const auto& name : names) {
    CHECK(help.out.find(name) != std::string::npos);
  }
  Result zsh = run({"generate", "zsh"}, home.path(), env);
  REQUIRE(zsh.code == 0);
  CHECK(zsh.out.rfind("#compdef pm\n", 0) == 0);
  Result man = run({"generate", "man"}, home.path(), env);
  REQUIRE(man.code == 0);
  CHECK(man.out.find(".SH EXIT STATUS") != std::string::npos);
  for (const auto& name : names) {
    CHECK(man.out.find(".SS \"pm " + name + "\"") != std::string::npos);
  }
}

TEST_CASE("every command is documented under docs/", "[generate]") {
  TempDir home;
  Result bash = run({"generate", "bash"}, home.path(), test_env(home.path()));
  std::string docs;
  for (const auto& entry : fs::directory_iterator(fs::path(PM_SOURCE_DIR) / "docs")) {
    docs += read(entry.path());
  }
  for (const auto& name : command_names(bash.out)) {
    INFO("docs/ never mentions `pm " << name << "`");
    CHECK(docs.find("`pm " + name) != std::string::npos);
  }
}
