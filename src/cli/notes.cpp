// pm done TEXT, pm next TEXT: status notes for the weekly report.
#include <cstdio>

#include <fmt/format.h>

#include "cli/cli.hpp"
#include "pm/domain/agreements.hpp"
#include "pm/domain/numbers.hpp"
#include "pm/domain/notes.hpp"

namespace pm::cli {

namespace {

struct NoteOptions {
  NoteInput input;
  EntryId agreement = 0;
};

void run_note(const Globals& globals, NoteOptions options) {
  Session session = open_session(globals);
  auto ledger = session.open_ledger();
  options.input.author = resolve_author(globals.author);
  if (options.agreement != 0) {
    // --agreement 3 is agreement 3, as listings and letters number it.
    options.input.agreement = numbered_entry(*ledger, "agreement", options.agreement).id;
  }
  EntryId id = add_note(*ledger, options.input, session.now, session.zone);
  std::printf("%lld\n", static_cast<long long>(id));
}

CLI::App* setup_note(CLI::App& app, const Globals& globals, const char* kind, const char* help,
                     std::shared_ptr<NoteOptions> options) {
  options->input.kind = kind;
  CLI::App* cmd = app.add_subcommand(kind, help);
  cmd->add_option("text", options->input.text, "The note")->required();
  cmd->add_option("--on", options->input.on,
                  "The note's day: YYYY-MM-DD or an ISO time (default: now); it decides which "
                  "week's report shows it")
      ->option_text("DATE");
  cmd->callback([options, &globals] { run_note(globals, *options); });
  return cmd;
}

}  // namespace

void setup_done(CLI::App& app, const Globals& globals) {
  auto options = std::make_shared<NoteOptions>();
  CLI::App* cmd = setup_note(app, globals, "done",
                             "Note what was done (for the report); prints the new id", options);
  cmd->add_option("--agreement", options->agreement,
                  "The agreement this fulfils: it is no longer shown as coming up or overdue")
      ->option_text("ID")
      ->check(CLI::PositiveNumber);
}

void setup_next(CLI::App& app, const Globals& globals) {
  setup_note(app, globals, "next", "Note what is planned next (for the report); prints the new id",
             std::make_shared<NoteOptions>());
}

}  // namespace pm::cli
