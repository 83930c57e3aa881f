// The command line's door: every value given to any option or argument is valid UTF-8 of a
// bounded size, without controls (docs/reliability.md). One rule for all options, so an
// option added later is checked too; the multi-line texts are named here.
#include <set>
#include <string>

#include "cli/cli.hpp"
#include "pm/util/check.hpp"

namespace pm::cli {

namespace {

/// Options and arguments whose values are texts (LF and TAB allowed, up to k_text_limit):
/// what was agreed, a note, a reason, a comment. Every other value is a single line.
const std::set<std::string>& text_options() {
  static const std::set<std::string> k_texts = {"text",   "--reason", "--comment",
                                                "--note", "--action", "--ask",
                                                "--next-steps", "--set"};
  return k_texts;
}

/// Options and arguments whose values are paths. A file name may hold any byte but NUL, a
/// line break included (the hook quotes such a directory as one word): only its size is
/// bounded here, and it is shown escaped wherever pm prints it.
const std::set<std::string>& path_options() {
  static const std::set<std::string> k_paths = {"-C",      "--output", "--data", "--project",
                                                "--repo", "dir",      "file",   "files"};
  return k_paths;
}

void guard_app(CLI::App& app) {
  for (CLI::Option* option : app.get_options()) {
    if (option->get_type_size_max() == 0) {
      continue;  // a flag takes no value
    }
    if (path_options().count(option->get_name()) != 0) {
      option->check(CLI::Validator(
          [](std::string& value) {
            return value.size() > k_line_limit
                       ? "a path longer than " + std::to_string(k_line_limit) + " bytes"
                       : std::string();
          },
          "", "door"));
      continue;
    }
    const bool multi_line = text_options().count(option->get_name()) != 0;
    option->check(CLI::Validator(
        [multi_line](std::string& value) {
          return text_problem(value, multi_line, multi_line ? k_text_limit : k_line_limit);
        },
        "", "door"));
  }
  for (CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; })) {
    guard_app(*sub);
  }
}

}  // namespace

void guard_inputs(CLI::App& app) { guard_app(app); }

}  // namespace pm::cli
