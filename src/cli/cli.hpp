#pragma once
// What every subcommand shares: global options, the project it runs in, and output helpers.
#include <cstdio>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "pm/storage/ledger.hpp"
#include "pm/domain/project.hpp"
#include "pm/time/period.hpp"
#include "pm/time/time.hpp"
#include "pm/util/chunked_output.hpp"
#include "pm/util/error.hpp"

namespace pm {
struct PortfolioSkipped;  // pm/domain/portfolio.hpp
struct PortfolioProject;
}  // namespace pm

namespace pm::cli {

/// Options of `pm` itself, given before or after the subcommand.
struct Globals {
  std::string directory;  ///< -C DIR: run as if started in DIR
  std::string author;     ///< --author
  bool quiet = false;     ///< --quiet: no confirmations on stderr
  bool internal = false;  ///< --internal: what the command records is the team's own
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
/// Thrown by a command that did its work but exits with a code that says something (pm today:
/// something is overdue); main returns the code and prints nothing more.
struct ExitStatus {
  Exit code;
};

struct Session {
  ProjectPaths paths;
  ProjectConfig config;
  Zone zone = nullptr;
  Instant now{};
  bool internal = false;  ///< --internal: entries written through open_ledger() are marked

  /// Opens the ledger (read-write unless `read_only`). A reader warns once on stderr when
  /// pm's triggers are missing, unless `check_triggers` is false (pm verify names them).
  std::unique_ptr<Ledger> open_ledger(bool read_only = false, bool check_triggers = true) const;
};
Session open_session(const Globals& globals);
/// Whether a session opened the ledger to write with --internal: main warns when --internal
/// was given to a command that records nothing.
bool internal_marking_used();

/// The period of pm sla and pm kpi: --since/--until (both days included), else --period
/// (default: this month). Both at once, or --until alone, is a usage error.
struct PeriodOptions {
  std::string period;
  std::string since;
  std::string until;
};
Period chosen_period(const PeriodOptions& options, Instant now, Zone zone);
/// Adds --period, --since and --until to `cmd`.
void add_period_options(CLI::App* cmd, PeriodOptions& options);

/// The directory commands start from: -C DIR or the current directory.
std::string start_directory(const Globals& globals);

// Output.
bool stdout_is_terminal();
/// Colour only on a terminal, never with NO_COLOR set.
bool use_color();
std::string bold(const std::string& text);
std::string dim(const std::string& text);
/// Red: what needs attention now (an overdue agreement); plain without colour.
std::string alert(const std::string& text);
/// What a table shows of one cell: controls as visible escapes, a line break as "⏎", bytes
/// that are not UTF-8 as U+FFFD (pm/util/check.hpp); pm's own bold, dim and red stay. Every table
/// printer calls this, and measures what it returns.
std::string cell_text(const std::string& cell);
/// Columns a text takes on a terminal (pm/util/columns.hpp): wide characters take two,
/// colour sequences none.
std::size_t display_width(const std::string& text);
/// The terminal's width for tables: COLUMNS, else the tty's; 0 (no limit) when stdout is not
/// a terminal.
std::size_t terminal_columns();
/// Prints rows under a header, columns aligned by display width (UTF-8 aware), narrowed to
/// terminal_columns() by cutting the widest with "…".
void print_table(const std::vector<std::string>& header,
                 const std::vector<std::vector<std::string>>& rows);
/// Calls its argument once per row of a table.
using TableRows = std::function<void(const std::function<void(const std::vector<std::string>&)>&)>;
/// print_table for tables too long to hold: `rows` runs once; the cells are measured and
/// kept (past 1 MiB in an unlinked temporary file), then printed. Prints nothing when there
/// are no rows (the caller says so in its words). Returns the number of rows.
std::size_t print_table_streamed(const std::vector<std::string>& header, const TableRows& rows);

/// The same view of the ledger for every query while it lives (one read transaction): the two
/// passes of a listing, or a listing and its totals, agree even while another pm
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
/// then the array `key` one item at a time, so a listing of any length is never held whole in
/// memory. The document reaches stdout only at finish(): up to 1 MiB in memory, the rest in
/// an unlinked temporary file, so a listing that fails half-way prints nothing.
class JsonListWriter {
 public:
  JsonListWriter(const Json& head, const std::string& key);
  void add(const Json& item);
  /// Closes the array and the object; throws pm::Error when stdout failed (a cron job relies
  /// on the exit code, as with emit()).
  void finish();
  ~JsonListWriter();
  JsonListWriter(const JsonListWriter&) = delete;
  JsonListWriter& operator=(const JsonListWriter&) = delete;

 private:
  void put(const std::string& text);
  bool m_empty = true;
  std::string m_buffer;
  std::FILE* m_spill = nullptr;  ///< beyond 1 MiB
};
/// Writes `content` to `file` (safely, as OutputFile) or, when `file` is empty or "-", to
/// stdout, with controls other than LF and TAB escaped and bytes that are not UTF-8 as U+FFFD
/// (printable_text): a report, a letter or `change show` never carries a raw control.
/// `new_mode` is the mode if `file` is created (project_file_mode of the session).
void emit(const std::string& content, const std::string& file,
          unsigned new_mode = k_private_file_mode);
/// emit() for an output written in chunks: `write` hands them to the sink it is given, each
/// is made printable on its way (unless `printable` says it is already: JsonWriter's JSON), and
/// the whole text is never in memory.
void emit_chunks(const std::function<void(const TextSink&)>& write, const std::string& file,
                 unsigned new_mode, bool printable = false);
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

/// `pm hook run HOOK`, what the installed git hooks call (hook_run.cpp).
void run_git_hook(const Globals& globals, const std::string& hook);

/// Before a report: when HEAD moved since the last `pm hook sync` (and pm's hooks were
/// installed), logs the new commits' trailers; a problem is a warning, never the report's end.
void sync_before_report(const Globals& globals, const Session& session);

/// Answers a mistyped command or subcommand before CLI11 parses: throws pm::Error (usage)
/// naming the most similar ones, or listing them all when none is close.
void check_command_words(const CLI::App& app, int argc, char** argv);
/// Adds the door's check (src/cli/door.cpp) to every option and argument of `app` and its
/// subcommands: a value that is not UTF-8, too long, or holds a control is a usage error.
void guard_inputs(CLI::App& app);

/// Adds one option per command to `app`; each file under src/cli defines one of these.
void setup_init(CLI::App& app, const Globals& globals);
void setup_log_agreement(CLI::App& app, const Globals& globals);
void setup_agreements(CLI::App& app, const Globals& globals);
void setup_agreement(CLI::App& app, const Globals& globals);
void setup_remind(CLI::App& app, const Globals& globals);
void setup_reminders(CLI::App& app, const Globals& globals);
void setup_today(CLI::App& app, const Globals& globals);
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
void setup_ledger(CLI::App& app, const Globals& globals);
void setup_publish(CLI::App& app, const Globals& globals);
void setup_generate(CLI::App& app, const Globals& globals);
void setup_export(CLI::App& app, const Globals& globals);
void setup_import(CLI::App& app, const Globals& globals);
void setup_nps(CLI::App& app, const Globals& globals);
void setup_calendar(CLI::App& app, const Globals& globals);
/// `pm calendar export` under `calendar` (src/cli/calendar_export.cpp).
CLI::App* setup_calendar_export(CLI::App& calendar, const Globals& globals);
void setup_meeting(CLI::App& app, const Globals& globals);
void setup_meetings(CLI::App& app, const Globals& globals);
void setup_decision(CLI::App& app, const Globals& globals);
void setup_question(CLI::App& app, const Globals& globals);
void setup_complete(CLI::App& app, const Globals& globals);
void setup_request(CLI::App& app, const Globals& globals);
void setup_reply(CLI::App& app, const Globals& globals);
void setup_sla(CLI::App& app, const Globals& globals);
void setup_send(CLI::App& app, const Globals& globals);
void setup_mail(CLI::App& app, const Globals& globals);
void setup_letter(CLI::App& app, const Globals& globals);
void setup_escalate(CLI::App& app, const Globals& globals);
void setup_kpi(CLI::App& app, const Globals& globals);
void setup_portfolio(CLI::App& app, const Globals& globals);
void setup_registry(CLI::App& app, const Globals& globals);

/// The project directories a portfolio reads (src/cli/portfolio.cpp): `given` (--project DIR),
/// else the registry's; an empty registry is an error that says how to fill it (and names
/// --project DIR when the command has it).
std::vector<std::filesystem::path> portfolio_roots(const std::vector<std::string>& given,
                                                   bool project_option = true);
/// Every project a portfolio reads: the directories of portfolio_roots(), and every project of
/// the ledger servers in `servers` (--server URL), in PM_LEDGER_URL and in the directories'
/// project.yaml (`ledger:`), read from replicas in the user's cache; a project both checked
/// out and on a server is read once, from its directory. With --project DIR only those
/// directories and --server. A server that cannot be reached goes to `skipped`.
std::vector<PortfolioProject> portfolio_projects(const std::vector<std::string>& given,
                                                 const std::vector<std::string>& servers,
                                                 std::vector<PortfolioSkipped>& skipped);
/// "pm: warning: skipped WHERE: REASON" on stderr, one line a project; with `skipped` false,
/// "pm: warning: WHERE: TEXT" (what opening a project that was read warned of).
void warn_skipped(const std::vector<PortfolioSkipped>& projects, bool skipped = true);

}  // namespace pm::cli
