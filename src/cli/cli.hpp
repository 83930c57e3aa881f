#pragma once
// What every subcommand shares: global options, the project it runs in, and output helpers.
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "pm/storage/ledger.hpp"
#include "pm/domain/project.hpp"
#include "pm/time/time.hpp"

namespace pm::cli {

/// Options of `pm` itself, given before or after the subcommand.
struct Globals {
  std::string directory;  ///< -C DIR: run as if started in DIR
  std::string author;     ///< --author
  bool quiet = false;     ///< --quiet: no confirmations on stderr
};

/// One subcommand: its name, one line for help and docs, and the function that adds it.
struct Command {
  const char* name;
  const char* summary;
  void (*setup)(CLI::App& app, const Globals& globals);
};

/// Every subcommand, in the order `pm --help` lists them.
const std::vector<Command>& commands();

/// The project found from -C / PM_DIR / the current directory, with its settings loaded.
struct Session {
  ProjectPaths paths;
  ProjectConfig config;
  Zone zone = nullptr;
  Instant now{};

  /// Opens the ledger (read-write unless `read_only`).
  std::unique_ptr<Ledger> open_ledger(bool read_only = false) const;
};
Session open_session(const Globals& globals);

/// The directory commands start from: -C DIR or the current directory.
std::string start_directory(const Globals& globals);

// Output.
bool stdout_is_terminal();
/// Colour only on a terminal, never with NO_COLOR set.
bool use_color();
std::string bold(const std::string& text);
std::string dim(const std::string& text);
/// Columns a text takes on a terminal: UTF-8 code points, colour sequences take none.
std::size_t display_width(const std::string& text);
/// Prints rows under a header, columns aligned by display width (UTF-8 aware).
void print_table(const std::vector<std::string>& header,
                 const std::vector<std::vector<std::string>>& rows);
/// Calls its argument once per row of a table.
using TableRows = std::function<void(const std::function<void(const std::vector<std::string>&)>&)>;
/// print_table for tables too long to hold: `rows` runs twice, first to measure the columns,
/// then to print, so no more than one row is in memory. Prints nothing when there are no rows
/// (the caller says so in its words). Returns the number of rows. Both runs must produce the
/// same rows: read them inside one ReadSnapshot.
std::size_t print_table_streamed(const std::vector<std::string>& header, const TableRows& rows);

/// The same view of the ledger for every query while it lives (one read transaction): the two
/// passes of print_table_streamed, or a listing and its totals, agree even while another pm
/// appends.
class ReadSnapshot {
 public:
  explicit ReadSnapshot(Ledger& ledger);
  ~ReadSnapshot();
  ReadSnapshot(const ReadSnapshot&) = delete;
  ReadSnapshot& operator=(const ReadSnapshot&) = delete;

 private:
  Ledger& m_ledger;
};

/// Writes, on stdout, an object exactly as Json::dump(2) and emit() would: `head`'s members,
/// then the array `key` one item at a time, so a listing of any length is never held whole.
class JsonListWriter {
 public:
  JsonListWriter(const Json& head, const std::string& key);
  void add(const Json& item);
  /// Closes the array and the object; throws pm::Error when stdout failed (a cron job relies
  /// on the exit code, as with emit()).
  void finish();

 private:
  bool m_empty = true;
};
/// Writes `content` to `file` (atomically) or, when `file` is empty or "-", to stdout.
void emit(const std::string& content, const std::string& file);
/// A confirmation for the person at the terminal, on stderr; silent with --quiet.
void note(const Globals& globals, const std::string& text);

/// `pm --git-hook SCRIPT ARGS...`, how the kernel runs an installed hook whose #! line names
/// pm: does what the script's lines say (PM_DIR; stdin, stdout, stderr to .pm/hook.log) and
/// returns the command line to run instead: `pm --quiet hook run HOOK ARGS...`.
std::vector<std::string> git_hook_command(int argc, char** argv);

/// The installed git hook's most common run, `pm --git-hook .../post-commit` (or, from a hook
/// run by sh, `pm --quiet hook run post-commit`) after a commit without trailers, answered
/// before any set-up (src/main.cpp): true when there was nothing to do; false sends the run
/// the usual way.
bool quick_hook_run(int argc, char** argv);

/// Adds one option per command to `app`; each file under src/cli defines one of these.
void setup_init(CLI::App& app, const Globals& globals);
void setup_log_agreement(CLI::App& app, const Globals& globals);
void setup_agreements(CLI::App& app, const Globals& globals);
void setup_people(CLI::App& app, const Globals& globals);
void setup_templates(CLI::App& app, const Globals& globals);
void setup_render(CLI::App& app, const Globals& globals);
void setup_change(CLI::App& app, const Globals& globals);
void setup_done(CLI::App& app, const Globals& globals);
void setup_next(CLI::App& app, const Globals& globals);
void setup_risk(CLI::App& app, const Globals& globals);
void setup_report(CLI::App& app, const Globals& globals);
void setup_log(CLI::App& app, const Globals& globals);
void setup_show(CLI::App& app, const Globals& globals);
void setup_hook(CLI::App& app, const Globals& globals);
void setup_verify(CLI::App& app, const Globals& globals);
void setup_generate(CLI::App& app, const Globals& globals);
void setup_export(CLI::App& app, const Globals& globals);
void setup_import(CLI::App& app, const Globals& globals);
void setup_nps(CLI::App& app, const Globals& globals);

}  // namespace pm::cli
