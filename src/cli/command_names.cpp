// Unknown commands answered as git answers them: "'statsu' is not a pm command. The most
// similar: report", before CLI11 would say only "A subcommand is required".
#include <string_view>

#include <fmt/format.h>

#include "cli/cli.hpp"
#include "pm/util/error.hpp"
#include "pm/util/suggest.hpp"

namespace pm::cli {

namespace {

/// Words people bring from other tools, and the pm commands that do what they mean.
struct Meant {
  const char* word;
  const char* commands;
};
const Meant k_meant[] = {
    {"status", "report"},
    {"summary", "report"},
    {"list", "agreements, log, change list, risk list"},
    {"show", "log, change show, templates show"},
    {"add", "log-agreement, done, next, risk add, people add, nps add"},
    {"undo", "log-agreement --supersedes ID, risk close ID, change reject ID (nothing is erased)"},
    {"edit", "log-agreement --supersedes ID (nothing is edited)"},
    {"delete", "log-agreement --supersedes ID, risk close ID (nothing is deleted)"},
    {"check", "verify, templates check"},
    {"send", "render --format eml, report --format eml"},
};

std::vector<std::string> names_of(const CLI::App& app) {
  std::vector<std::string> out;
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
    if (!sub->get_name().empty() && !sub->get_group().empty()) {  // not the hidden ones
      out.push_back(sub->get_name());
    }
  }
  return out;
}

std::string joined(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) {
    out += (out.empty() ? "" : ", ") + w;
  }
  return out;
}

const CLI::App* find(const CLI::App& app, std::string_view name) {
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
    if (sub->get_name() == name) {
      return sub;
    }
  }
  return nullptr;
}

[[noreturn]] void unknown(const std::string& typed, const std::string& where,
                          const CLI::App& app, bool top) {
  std::vector<std::string> names = names_of(app);
  std::vector<std::string> similar = similar_names(typed, names);
  if (top) {
    for (const Meant& m : k_meant) {
      std::string word = m.word;
      if (edit_distance(typed, word) <= (word.size() >= 5 ? 2u : 1u)) {
        similar.emplace_back(m.commands);
      }
    }
  }
  std::string message = fmt::format("'{}' is not a {} command", typed, where);
  if (!similar.empty()) {
    message += ". The most similar: " + joined(similar);
  } else {
    message += fmt::format("; the {} commands are {}", where, joined(names));
  }
  std::string help = top ? "pm --help" : where.substr(1, where.size() - 2) + " --help";
  throw Error(fmt::format("{} (see {})", message, help), Exit::usage);
}

bool is_help(std::string_view arg) {
  return arg == "-h" || arg == "--help" || arg == "--version" || arg == "--help-all";
}

}  // namespace

void check_command_words(const CLI::App& app, int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    if (is_help(argv[i])) {
      return;  // help explains itself
    }
  }
  int i = 1;
  for (; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "--") {
      return;
    }
    if (arg == "-C" || arg == "--author") {
      ++i;
    } else if (!arg.starts_with("-")) {
      break;
    }
  }
  if (i >= argc) {
    return;  // no command: CLI11 says one is required
  }
  const CLI::App* command = find(app, argv[i]);
  if (command == nullptr) {
    unknown(argv[i], "pm", app, true);
  }
  std::vector<std::string> subs = names_of(*command);
  if (subs.empty()) {
    return;
  }
  for (const CLI::Option* o : command->get_options()) {
    if (o->get_positional()) {
      return;  // a word after the command may be its argument
    }
  }
  std::string where = fmt::format("`pm {}`", command->get_name());
  if (i + 1 >= argc || std::string_view(argv[i + 1]).starts_with("-")) {
    if (command->get_require_subcommand_min() > 0 && i + 1 >= argc) {
      throw Error(fmt::format("{} needs one of its commands: {} (see pm {} --help)", where,
                              joined(subs), command->get_name()),
                  Exit::usage);
    }
    return;
  }
  if (find(*command, argv[i + 1]) == nullptr) {
    unknown(argv[i + 1], where, *command, false);
  }
}

}  // namespace pm::cli
