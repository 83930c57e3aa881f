// The hook scripts: every path a single shell word, whatever it holds.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

#include "pm/git/hooks.hpp"
#include "pm/util/process.hpp"

using namespace pm;
namespace fs = std::filesystem;

namespace {

const std::vector<std::string> k_nasty = {
    "plain",        "with space",           "it's",   "\"double\"", "a\nnewline\n",
    "$(touch x)",   "`touch y`; touch z",   "\\back", "'",          "-n",
    "tab\there",    "семь пятниц на неделе", ""};

}  // namespace

TEST_CASE("shell_quote gives sh back the text, byte for byte", "[git][hooks]") {
  for (const auto& text : k_nasty) {
    INFO(text);
    ProcessResult r = run_process({"/bin/sh", "-c", "printf '%s' " + shell_quote(text)});
    CHECK(r.code == 0);
    CHECK(r.out == text);
  }
}

TEST_CASE("a hook script hands pm the project's path intact and runs nothing else",
          "[git][hooks]") {
  fs::path dir = fs::temp_directory_path() / ("pm-hooks-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  // A stand-in for pm that writes what it was given.
  fs::path fake = dir / "fake pm's \"$(touch pwned)\"";
  std::ofstream(fake) << "#!/bin/sh\nprintf '%s|%s' \"$PM_DIR\" \"$*\" > \"$PM_DIR/../seen\"\n";
  fs::permissions(fake, fs::perms::owner_all);
  fs::path project = dir / "p'$(touch pwned)\n`touch pwned`\n";
  fs::create_directories(project / ".pm");
  for (bool chained : {false, true}) {
    for (const auto& hook : pm_hooks()) {
      INFO(hook << (chained ? " chained" : ""));
      std::string script = hook_script(hook, fake, project, chained);
      CHECK(script.rfind("#!/bin/sh\n", 0) == 0);
      CHECK(script.find("\nexport PM_DIR=" + shell_quote(project.string()) + "\n") !=
            std::string::npos);
      std::ofstream(dir / hook) << script;
      std::ofstream(dir / (hook + ".pm-chained")) << "#!/bin/sh\nexit 3\n";
      fs::permissions(dir / hook, fs::perms::owner_all);
      fs::permissions(dir / (hook + ".pm-chained"), fs::perms::owner_all);
      fs::remove(dir / "seen");
      ProcessResult r = run_process({(dir / hook).string(), "arg"}, project);
      CHECK(r.code == (chained ? 3 : 0));  // a chained hook's status is the user's hook's
      std::ifstream in(dir / "seen");
      std::string seen((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      CHECK(seen == project.string() + "|--quiet hook run " + hook + " arg");
      CHECK_FALSE(fs::exists(project / "pwned"));
      CHECK_FALSE(fs::exists(dir / "pwned"));
    }
  }
  fs::remove_all(dir);
}
