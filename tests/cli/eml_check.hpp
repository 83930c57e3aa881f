#pragma once
// Runs tests/core/mail/check_eml.py (Python's strict email parser) on a message pm built.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include <catch2/catch.hpp>

namespace pm::test {

inline std::string shell_quote(const std::string& text) {
  std::string out = "'";
  for (char c : text) {
    out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  }
  return out + "'";
}

/// Checks `message` parses with no defects, has `subject`, and a body holding `body`. Skipped
/// (with a warning) when python3 is missing.
inline void check_eml(const std::filesystem::path& dir, const std::string& message,
                      const std::string& subject, const std::string& body) {
  if (std::system("command -v python3 >/dev/null 2>&1") != 0) {
    WARN("python3 is missing: the email checks are skipped");
    return;
  }
  std::filesystem::path file = dir / "check.eml";
  std::ofstream(file, std::ios::binary) << message;
  std::string command = "python3 " + shell_quote(PM_SOURCE_DIR "/tests/core/mail/check_eml.py") + " " +
                        shell_quote(file.string()) + " " + shell_quote(subject) + " " +
                        shell_quote(body) + " >/dev/null";
  INFO(message);
  CHECK(std::system(command.c_str()) == 0);
}

}  // namespace pm::test
