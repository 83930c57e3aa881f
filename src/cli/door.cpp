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

void guard_app(CLI::App& app) {
  for (CLI::Option* option : app.get_options()) {
    if (option->get_type_size_max() == 0) {
      continue;  // a flag takes no value
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
