// The per-user registry of projects.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <unistd.h>

#include "pm/util/error.hpp"
#include "pm/domain/project.hpp"
#include "pm/domain/registry.hpp"

using namespace pm;
namespace fs = std::filesystem;

namespace {

struct TempDir {
  fs::path path;
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "pm-registry-XXXXXX").string();
    path = ::mkdtemp(pattern.data());
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

/// Sets an environment variable for the scope, restoring it afterwards.
struct EnvVar {
  std::string name;
  std::optional<std::string> before;
  EnvVar(std::string n, const char* value) : name(std::move(n)) {
    if (const char* old = std::getenv(name.c_str())) {
      before = old;
    }
    if (value == nullptr) {
      ::unsetenv(name.c_str());
    } else {
      ::setenv(name.c_str(), value, 1);
    }
  }
  ~EnvVar() {
    if (before) {
      ::setenv(name.c_str(), before->c_str(), 1);
    } else {
      ::unsetenv(name.c_str());
    }
  }
};

}  // namespace

TEST_CASE("the registry lives under the XDG data directory", "[registry]") {
  EnvVar home("HOME", "/home/anna");
  {
    EnvVar data("XDG_DATA_HOME", "/data");
    CHECK(registry_path() == fs::path("/data/pm/projects"));
  }
  {
    EnvVar data("XDG_DATA_HOME", nullptr);
    CHECK(registry_path() == fs::path("/home/anna/.local/share/pm/projects"));
  }
  {
    EnvVar data("XDG_DATA_HOME", "relative/dir");  // ignored, as the specification says
    CHECK(registry_path() == fs::path("/home/anna/.local/share/pm/projects"));
  }
  EnvVar data("XDG_DATA_HOME", "");
  EnvVar no_home("HOME", nullptr);
  CHECK_THROWS_AS(registry_path(), Error);
}

TEST_CASE("projects are registered once each, as absolute paths", "[registry]") {
  TempDir dir;
  fs::path file = dir.path / "share/pm/projects";
  CHECK(read_registry(file).empty());
  fs::create_directories(dir.path / "a");
  fs::create_directories(dir.path / "b");
  CHECK(register_project(file, dir.path / "a"));
  CHECK(register_project(file, dir.path / "b/../b"));
  CHECK_FALSE(register_project(file, dir.path / "a/."));
  auto projects = read_registry(file);
  REQUIRE(projects.size() == 2);
  CHECK(projects[0] == fs::canonical(dir.path / "a"));
  CHECK(projects[1] == fs::canonical(dir.path / "b"));
  CHECK(read_file(file) == projects[0].string() + "\n" + projects[1].string() + "\n");
}

TEST_CASE("the registry skips blank and comment lines", "[registry]") {
  TempDir dir;
  fs::path file = dir.path / "projects";
  std::ofstream(file) << "# my projects\n\n/srv/one\r\n/srv/two";
  auto projects = read_registry(file);
  REQUIRE(projects.size() == 2);
  CHECK(projects[0] == "/srv/one");
  CHECK(projects[1] == "/srv/two");
  CHECK(register_project(file, "/srv/three"));
  CHECK(read_registry(file).size() == 3);
}

TEST_CASE("a registry that cannot be written is an error", "[registry]") {
  TempDir dir;
  fs::path blocker = dir.path / "pm";
  std::ofstream(blocker) << "a file where a directory should be";
  CHECK_THROWS_AS(register_project(blocker / "projects", dir.path), Error);
}
