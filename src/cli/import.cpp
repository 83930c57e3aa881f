// pm import FILE: an export read back into an empty project, every hash checked.
#include <fstream>
#include <iostream>

#include <fmt/format.h>

#include "cli/cli.hpp"
#include "cli/progress.hpp"
#include "pm/util/error.hpp"
#include "pm/storage/transfer.hpp"

namespace pm::cli {

namespace {

struct ImportOptions {
  std::string file;
};

void run_import(const Globals& globals, const ImportOptions& options) {
  if (globals.internal) {
    // The export's hashes cover each entry as it was recorded: marking one would break them.
    throw Error("--internal marks entries as they are recorded; an import copies entries "
                "exactly as an export holds them, internal or not",
                Exit::usage);
  }
  Session session = open_session(globals);
  auto ledger = session.open_ledger();
  std::int64_t count = 0;
  {
    ProgressLine progress(globals, "import", "entries");  // gone before the note below
    if (options.file == "-") {
      count = import_ledger(*ledger, std::cin, "stdin");
    } else {
      std::ifstream in(options.file, std::ios::binary);
      if (!in) {
        throw Error(fmt::format("cannot read {}", options.file));
      }
      count = import_ledger(*ledger, in, options.file);
    }
  }
  note(globals, fmt::format("Imported {} entries; pm verify checks them", count));
}

}  // namespace

void setup_import(CLI::App& app, const Globals& globals) {
  auto options = std::make_shared<ImportOptions>();
  CLI::App* cmd = app.add_subcommand("import", "Read a pm export into this project's empty "
                                               "ledger (all or nothing)");
  cmd->add_option("file", options->file, "The export (jsonl or csv), or - for stdin")
      ->required();
  cmd->callback([options, &globals] { run_import(globals, *options); });
}

}  // namespace pm::cli
