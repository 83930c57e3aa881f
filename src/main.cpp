// pm: keep clients informed, in writing. This file parses the command line and is the one
// place that turns errors into a message and an exit code (docs/exit-codes.md).
#include <cstdio>
#include <exception>
#include <string>
#include <string_view>
#include <vector>

#include <CLI/CLI.hpp>

#include "cli/cli.hpp"
#include "pm/util/check.hpp"
#include "pm/util/error.hpp"

namespace {

/// The one subcommand this command line runs, so only it is set up (setting up all of them is
/// a third of the start-up of a short command); nullptr when all are needed: no command yet,
/// help or version of pm itself, `pm generate` (it describes every command), a typo.
const pm::cli::Command* named_command(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "-C" || arg == "--author") {
      ++i;  // and its value
      continue;
    }
    if (arg == "-h" || arg == "--help" || arg == "--version" || arg == "--") {
      return nullptr;
    }
    if (arg.starts_with("-")) {
      continue;  // -q, --quiet, -CDIR, --author=NAME
    }
    for (const auto& command : pm::cli::commands()) {
      if (arg == command.name) {
        return arg == "generate" ? nullptr : &command;
      }
    }
    return nullptr;
  }
  return nullptr;
}

}  // namespace

int main(int argc, char** argv) {
  using pm::Exit;
  if (pm::cli::quick_hook_run(argc, argv)) {
    return static_cast<int>(Exit::ok);  // a commit without trailers: nothing to log
  }
  std::vector<std::string> hook_command;
  std::vector<char*> hook_argv;
  if (argc >= 2 && std::string_view(argv[1]) == "--git-hook") {
    // An installed hook run by the kernel through its #! line: becomes `pm --quiet hook run`.
    try {
      hook_command = pm::cli::git_hook_command(argc, argv);
    } catch (const pm::Error& e) {
      std::fprintf(stderr, "pm: error: %s\n", e.what());
      return static_cast<int>(e.code());
    }
    for (auto& arg : hook_command) {
      hook_argv.push_back(arg.data());
    }
    hook_argv.push_back(nullptr);
    argc = static_cast<int>(hook_command.size());
    argv = hook_argv.data();
  }
  CLI::App app{"pm: keep clients informed, in writing: agreements, changes, reports, letters.",
               "pm"};
  app.set_version_flag("--version", std::string("pm ") + PM_VERSION);
  app.require_subcommand(1);
  app.fallthrough();
  pm::cli::Globals globals;
  app.add_option("-C", globals.directory, "Run as if pm was started in DIR")
      ->option_text("DIR");
  app.add_option("--author", globals.author,
                 "Who is writing (default: PM_AUTHOR, git's user.name, the login name)")
      ->option_text("NAME");
  app.add_flag("-q,--quiet", globals.quiet, "Print no confirmations on stderr");
  app.add_flag("--internal", globals.internal,
               "Mark what this command records as the team's own: the client's view (pm "
               "publish, letters of the report) leaves it out");
  if (const pm::cli::Command* command = named_command(argc, argv)) {
    command->setup(app, globals);
  } else {
    for (const auto& command : pm::cli::commands()) {
      command.setup(app, globals);
    }
  }
  pm::cli::guard_inputs(app);
  try {
    pm::cli::check_command_words(app, argc, argv);
    app.parse(argc, argv);
    if (globals.internal && !pm::cli::internal_marking_used()) {
      std::fprintf(stderr, "pm: warning: --internal marks the entries a command records; this "
                           "one recorded none\n");
    }
    return static_cast<int>(Exit::ok);
  } catch (const pm::cli::ExitStatus& e) {
    return static_cast<int>(e.code);  // what was to say is on stdout already
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    // Messages may quote what was given: shown with its controls escaped, on one line.
    std::fprintf(stderr, "pm: error: %s (see pm --help)\n", pm::printable_line(e.what()).c_str());
    return static_cast<int>(Exit::usage);
  } catch (const pm::Error& e) {
    std::fprintf(stderr, "pm: error: %s\n", pm::printable_line(e.what()).c_str());
    return static_cast<int>(e.code());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "pm: error: %s\n", pm::printable_line(e.what()).c_str());
    return static_cast<int>(Exit::error);
  }
}
