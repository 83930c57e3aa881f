// OutputFile: all or nothing, links refused, modes exact.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

#include "pm/util/atomic_file.hpp"
#include "pm/util/error.hpp"

namespace fs = std::filesystem;

namespace {

struct Dir {
  Dir() {
    std::string pattern = (fs::temp_directory_path() / "pm-atomic-XXXXXX").string();
    REQUIRE(::mkdtemp(pattern.data()) != nullptr);
    path = pattern;
  }
  ~Dir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  fs::path path;
};

std::string slurp(const fs::path& file) {
  std::ifstream in(file);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

unsigned mode_of(const fs::path& file) {
  struct stat st {};
  REQUIRE(::lstat(file.c_str(), &st) == 0);
  return st.st_mode & 07777;
}

std::size_t count(const fs::path& dir) {
  return static_cast<std::size_t>(std::distance(fs::directory_iterator(dir), {}));
}

}  // namespace

TEST_CASE("OutputFile replaces the file only on commit", "[atomic_file]") {
  Dir dir;
  fs::path file = dir.path / "out.txt";
  std::ofstream(file) << "old\n";
  {
    pm::OutputFile out(file);
    out.stream() << "new, never committed\n";
  }
  CHECK(slurp(file) == "old\n");
  CHECK(count(dir.path) == 1);  // the temporary file went with it
  {
    pm::OutputFile out(file);
    out.stream() << "new\n";
    CHECK(slurp(file) == "old\n");  // readers see the old file until the rename
    out.commit();
  }
  CHECK(slurp(file) == "new\n");
  CHECK(count(dir.path) == 1);
}

TEST_CASE("OutputFile: exact modes for new files, existing ones keep theirs", "[atomic_file]") {
  Dir dir;
  mode_t old = ::umask(0);
  pm::write_file_atomic(dir.path / "private", "x");
  pm::write_file_atomic(dir.path / "shared", "x", 0640);
  ::umask(077);
  pm::write_file_atomic(dir.path / "shared-umask", "x", 0640);
  ::umask(old);
  CHECK(mode_of(dir.path / "private") == 0600);
  CHECK(mode_of(dir.path / "shared") == 0640);
  CHECK(mode_of(dir.path / "shared-umask") == 0640);
  fs::permissions(dir.path / "private", static_cast<fs::perms>(0604));
  pm::write_file_atomic(dir.path / "private", "y");
  CHECK(mode_of(dir.path / "private") == 0604);
}

TEST_CASE("OutputFile refuses links to regular files, directories and missing directories",
          "[atomic_file]") {
  Dir dir;
  std::ofstream(dir.path / "target") << "keep\n";
  fs::create_symlink(dir.path / "target", dir.path / "link");
  fs::create_symlink(dir.path / "nowhere", dir.path / "dangling");
  for (const char* name : {"link", "dangling"}) {
    INFO(name);
    CHECK_THROWS_WITH(pm::OutputFile(dir.path / name),
                      Catch::Contains("it is a symbolic link"));
  }
  CHECK_THROWS_WITH(pm::OutputFile(dir.path), Catch::Contains("it is a directory"));
  CHECK_THROWS_WITH(pm::OutputFile(dir.path / "no" / "file"),
                    Catch::Contains("there is no directory"));
  CHECK(slurp(dir.path / "target") == "keep\n");
  CHECK_FALSE(fs::exists(dir.path / "nowhere"));
}

TEST_CASE("OutputFile writes into a device and reports a failed write", "[atomic_file]") {
  {
    pm::OutputFile out("/dev/null");
    out.stream() << "gone";
    out.commit();
  }
  CHECK(fs::is_character_file("/dev/null"));
  if (fs::exists("/dev/full")) {
    pm::OutputFile out("/dev/full");
    out.stream() << "no room";
    CHECK_THROWS_WITH(out.commit(), Catch::Contains("cannot write /dev/full"));
  }
}
