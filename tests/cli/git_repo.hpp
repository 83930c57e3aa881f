#pragma once
// A temporary pm project that is also a git repository, for the hook tests.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "harness.hpp"

namespace pm::test {

/// A project whose directory is also a git repository, with pm's hooks installed.
struct Repo {
  Project project;
  std::filesystem::path dir = project.root() / "work";

  explicit Repo(bool install = true) {
    git("git init -q && git config user.name 'Dev One' && git config user.email dev@example.com"
        " && git config commit.gpgsign false");
    if (install) {
      Result r = project.pm({"hook", "install"});
      REQUIRE(r.code == 0);
    }
  }
  Result git(const std::string& script) const {
    Result r = sh(script, dir, project.env);
    INFO(script << "\n" << r.err);
    REQUIRE(r.code == 0);
    return r;
  }
  /// Commits a new file with `message` (passed through a file: any text is fine).
  void commit(const std::string& message, const std::string& file) const {
    std::ofstream(dir / "msg.txt") << message;
    std::ofstream(dir / file) << file;
    git("git add " + file + " && git commit -q -F msg.txt");
  }
  std::string head() const { return trimmed(git("git rev-parse HEAD").out); }
  static std::string trimmed(std::string s) {
    while (!s.empty() && s.back() == '\n') {
      s.pop_back();
    }
    return s;
  }
  /// Current (not superseded) hook entries as JSON.
  nlohmann::json entries() const {
    Result r = project.pm({"log", "--json"});
    REQUIRE(r.code == 0);
    return nlohmann::json::parse(r.out)["entries"];
  }
};


}  // namespace pm::test
