#pragma once
// Whether a document is well-formed XML, by xmllint (libxml2-utils, scripts/deps). Without
// xmllint the check is skipped and says so on stderr and in Catch's output: it never passes
// silently.
#include <catch2/catch.hpp>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include <unistd.h>

namespace pm::test {

inline bool have_xmllint() {
  static const bool found = std::system("command -v xmllint >/dev/null 2>&1") == 0;
  return found;
}

/// Checks `text` with `xmllint --noout`; `what` names it in messages.
inline void check_well_formed(const std::string& text, const std::string& what) {
  if (!have_xmllint()) {
    std::fprintf(stderr,
                 "SKIPPED: xmllint not installed (scripts/deps installs libxml2-utils); "
                 "%s was not checked as XML\n",
                 what.c_str());
    WARN("SKIPPED: xmllint not installed: " << what << " was not checked as XML");
    return;
  }
  namespace fs = std::filesystem;
  const fs::path file =
      fs::temp_directory_path() / ("pm-xml-" + std::to_string(::getpid()) + ".svg");
  std::ofstream(file, std::ios::binary) << text;
  const std::string command = "xmllint --noout '" + file.string() + "' 2>&1";
  INFO(what << " is well-formed XML (" << command << ")");
  const int status = std::system(command.c_str());
  fs::remove(file);
  CHECK(status == 0);
}

}  // namespace pm::test
