// pm export: the whole ledger as JSON lines or CSV, for backups, scripts and pm import.

#include <optional>

#include <fmt/format.h>

#include "cli/cli.hpp"
#include "cli/progress.hpp"
#include "pm/util/error.hpp"
#include "pm/storage/transfer.hpp"
#include "pm/util/atomic_file.hpp"

namespace pm::cli {

namespace {

struct ExportOptions {
  std::string format = "jsonl";
  std::string output;
};

void run_export(const Globals& globals, const ExportOptions& options) {
  Session session = open_session(globals);
  auto ledger = session.open_ledger(true);
  ExportFormat format = parse_export_format(options.format);
  // Damaged pages fail the export before its first line: never a partial export with exit 0.
  ledger->check_pages();
  std::int64_t count = 0;
  // Streamed, never held in memory: a ledger of a million entries exports in a few MiB.
  auto write = [&](std::ostream& out) {
    try {
      count = export_ledger(*ledger, format, out);
    } catch (const Error&) {
      throw;
    } catch (const std::exception& e) {
      rethrow_sqlite(e, ledger->path(), "export");
    }
  };
  OutputFile out(options.output, project_file_mode(session.config));
  {
    // Only with -o: on stdout the entries themselves show the way.
    std::optional<ProgressLine> progress;
    if (!options.output.empty() && options.output != "-") {
      progress.emplace(globals, "export", "entries", ledger_size(*ledger));
    }
    write(out.stream());
  }
  out.commit();
  if (!options.output.empty() && options.output != "-") {
    note(globals, fmt::format("Exported {} entries to {}", count, options.output));
  }
}

}  // namespace

void setup_export(CLI::App& app, const Globals& globals) {
  auto options = std::make_shared<ExportOptions>();
  CLI::App* cmd = app.add_subcommand("export", "Write the whole ledger (every entry with its "
                                               "hash) as JSON lines or CSV");
  cmd->add_option("--format", options->format, "jsonl or csv")
      ->check(CLI::IsMember({"jsonl", "csv"}))
      ->default_str("jsonl");
  cmd->add_option("-o,--output", options->output, "Write to FILE (atomically; - is stdout) instead of stdout");
  cmd->callback([options, &globals] { run_export(globals, *options); });
}

}  // namespace pm::cli
