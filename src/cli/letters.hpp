#pragma once
// Rendering a letter from the command line: shared by render, log-agreement and others.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "cli/cli.hpp"
#include "pm/time/period.hpp"

namespace pm::cli {

struct LetterRequest {
  std::string name;                                       ///< template name
  std::string language;                                   ///< empty: the project's
  std::vector<std::pair<std::string, std::string>> sets;  ///< --set key=value
  std::string data_file;                                  ///< --data FILE
  std::vector<std::string> to;
  std::vector<std::string> cc;
  std::string format = "text";
  std::string output;  ///< -o FILE, empty for stdout
  std::optional<Period> period;  ///< the period of a `report` variable; empty: this week
};

/// Renders the request against the session's project and ledger and prints (or writes) it.
void print_letter(const Session& session, Ledger& ledger, const LetterRequest& request);

/// Splits "key=value" (for --set); throws pm::Error when there is no '='.
std::pair<std::string, std::string> split_assignment(const std::string& text);

}  // namespace pm::cli
