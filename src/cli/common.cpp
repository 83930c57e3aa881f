#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <unistd.h>

#include <SQLiteCpp/SQLiteCpp.h>
#include <fmt/format.h>

#include "cli/cli.hpp"
#include "pm/domain/project_ledger.hpp"
#include "pm/git/commits.hpp"
#include "pm/util/check.hpp"
#include "pm/storage/integrity.hpp"
#include "pm/util/text.hpp"
#include "pm/util/error.hpp"

namespace pm::cli {

const std::vector<Command>& commands() {
  static const std::vector<Command> k_commands = {
      {"init", "create a project here (or in DIR): .pm/ with project.yaml and the ledger",
       setup_init},
      {"log-agreement", "record what was agreed with the client; prints its number",
       setup_log_agreement},
      {"agreements", "list agreements and their states (not superseded ones unless --all)",
       setup_agreements},
      {"agreement", "an agreement's life: confirm, dispute, fulfil or withdraw it",
       setup_agreement},
      {"today", "the morning list: overdue, due today, awaiting the client, coming up",
       setup_today},
      {"remind", "add a reminder for a day, or in N working days: pm today brings it up",
       setup_remind},
      {"reminders", "list the open reminders; mark one done", setup_reminders},
      {"request", "record a client's request that came by a call or a chat; prints its number",
       setup_request},
      {"reply", "record the reply to a client's request", setup_reply},
      {"sla", "reply times of the client's requests, breaches first, and status update gaps",
       setup_sla},
      {"send", "send a letter through the mail command (sendmail, msmtp) and record it as sent",
       setup_send},
      {"mail", "read the manager's mail (Maildir, mbox, .eml) into the ledger: requests, "
               "letters, replies",
       setup_mail},
      {"letter", "record a letter sent from a mail client (a saved .eml)", setup_letter},
      {"escalate", "record an escalation of a request or a problem", setup_escalate},
      {"kpi", "the KPI scorecard: each figure against its target; --portfolio for all projects",
       setup_kpi},
      {"portfolio", "one row per registered project: deadline, agreements, risks, last status "
                    "letter, NPS, SLA; --by manager or client",
       setup_portfolio},
      {"registry", "the registered projects pm portfolio reads: list, forget", setup_registry},
      {"people", "list the people on both sides, or add one", setup_people},
      {"templates", "list, show or check letter templates", setup_templates},
      {"render", "render a letter template as text, Markdown or a ready-to-send email",
       setup_render},
      {"change", "change requests: propose, approve or reject per side, list, show",
       setup_change},
      {"meeting", "record a meeting with the client: when, who, the topic", setup_meeting},
      {"meetings", "list the meetings, and the next one the schedule gives", setup_meetings},
      {"decision", "record a decision, at a meeting or on its own", setup_decision},
      {"question", "open questions between meetings: add, answer, list", setup_question},
      {"done", "note what was done, for the report", setup_done},
      {"next", "note what is planned next, for the report", setup_next},
      {"risk", "the risk register: add, close, list", setup_risk},
      {"report", "the weekly status report as text, Markdown, JSON, HTML or an email",
       setup_report},
      {"publish", "write the client's status site: state, reports, agreements, changes, risks",
       setup_publish},
      {"log", "list the ledger's entries of every kind", setup_log},
      {"show", "show one entry: E17, A3 (agreement 3), C2, R1, D4", setup_show},
      {"hook", "install git hooks that log decisions from commit messages", setup_hook},
      {"verify", "check the ledger's integrity and hash chain", setup_verify},
      {"ledger", "where the ledger is kept: status, move it to a server, join a project there",
       setup_ledger},
      {"export", "write the whole ledger as JSON lines or CSV", setup_export},
      {"import", "read an export into an empty project", setup_import},
      {"generate", "print shell completion or the man page", setup_generate},
      {"calendar", "working days between two dates on the project's calendar, and the days off",
       setup_calendar},
      {"nps", "NPS: record or import clients' answers, measure them with their margin of error, "
              "across projects too; invite clients to answer",
       setup_nps},
      // Hidden: what completion asks the project for (src/cli/complete.cpp).
      {"__complete", "words for shell completion", setup_complete},
  };
  return k_commands;
}

Period chosen_period(const PeriodOptions& options, Instant now, Zone zone) {
  if (!options.since.empty() || !options.until.empty()) {
    if (!options.period.empty()) {
      throw Error("--period and --since/--until: give one of them", Exit::usage);
    }
    if (options.since.empty()) {
      throw Error("--until needs --since", Exit::usage);
    }
    PeriodSpec spec;
    spec.since = options.since;
    spec.until = options.until;
    return resolve_period(spec, now, zone);
  }
  return parse_period(options.period.empty() ? "month" : options.period, now, zone);
}

void add_period_options(CLI::App* cmd, PeriodOptions& options) {
  cmd->add_option("--period", options.period,
                  "month (default: this one), week, quarter, last-month, 2026-11, 2026-Q4, "
                  "2026-W47")
      ->option_text("PERIOD");
  cmd->add_option("--since", options.since, "First day, YYYY-MM-DD")->option_text("DATE");
  cmd->add_option("--until", options.until, "Last day, YYYY-MM-DD (default: today)")
      ->option_text("DATE");
}

std::string start_directory(const Globals& globals) {
  return globals.directory.empty() ? std::filesystem::current_path().string() : globals.directory;
}

Session open_session(const Globals& globals) {
  Session s;
  if (!globals.directory.empty() && !std::filesystem::is_directory(globals.directory)) {
    throw Error(fmt::format("-C {}: no such directory", globals.directory));
  }
  s.paths = find_project(start_directory(globals));
  s.config = load_config(s.paths.config());
  s.zone = find_zone(s.config.timezone);
  s.now = now();
  s.internal = globals.internal;
  return s;
}

namespace {
bool g_internal_marking = false;
}  // namespace

bool internal_marking_used() { return g_internal_marking; }

std::unique_ptr<Ledger> Session::open_ledger(bool read_only, bool check_triggers) const {
  if (spool_pending(paths.dir())) {
    // Decisions a git hook could not write at the time (the ledger was busy) go in first;
    // if the ledger is still busy they wait for the next run, and this command goes on.
    try {
      std::vector<std::string> ignored;
      auto writer = open_project_ledger(paths, config, Ledger::Mode::read_write, ignored);
      for (const auto& warning : drain_spool(*writer, paths.dir(), now).set_aside) {
        std::fprintf(stderr, "pm: warning: %s\n", warning.c_str());
      }
    } catch (const Error&) {
      if (!read_only) {
        throw;
      }
    }
  }
  std::vector<std::string> warnings;
  auto ledger = open_project_ledger(
      paths, config, read_only ? Ledger::Mode::read_only : Ledger::Mode::read_write, warnings);
  for (const auto& warning : warnings) {
    std::fprintf(stderr, "pm: warning: %s\n", warning.c_str());
  }
  if (internal && !read_only) {
    ledger->mark_internal(true);
    g_internal_marking = true;
  }
  if (read_only && check_triggers) {
    std::vector<std::string> missing;
    try {
      missing = missing_triggers(ledger->db());
    } catch (const std::exception& e) {
      rethrow_sqlite(e, ledger->path(), "read");
    }
    if (!missing.empty()) {
      // Without them the ledger no longer refuses edits, nor keeps its derived tables.
      std::fprintf(stderr,
                   "pm: warning: ledger %s lacks pm's triggers (%s): it was edited outside pm; "
                   "run 'pm verify'\n",
                   ledger->path().c_str(), join(missing, ", ").c_str());
    }
  }
  return ledger;
}

bool stdout_is_terminal() { return ::isatty(STDOUT_FILENO) == 1; }

bool use_color() {
  // Asked for every coloured cell of a listing: the system call is made once per run.
  static const bool k_color = [] {
    const char* no_color = std::getenv("NO_COLOR");
    return stdout_is_terminal() && (no_color == nullptr || *no_color == '\0');
  }();
  return k_color;
}

std::string bold(const std::string& text) {
  return use_color() ? "\033[1m" + text + "\033[0m" : text;
}

std::string dim(const std::string& text) {
  return use_color() ? "\033[2m" + text + "\033[0m" : text;
}

std::string alert(const std::string& text) {
  return use_color() ? "\033[31m" + text + "\033[0m" : text;
}

ReadSnapshot::ReadSnapshot(Ledger& ledger) : m_ledger(ledger) {
  try {
    m_ledger.db().exec("BEGIN");
  } catch (const std::exception& e) {
    rethrow_sqlite(e, m_ledger.path(), "read");
  }
}

ReadSnapshot::~ReadSnapshot() {
  try {
    m_ledger.db().exec("COMMIT");  // nothing was written: this only ends the read
  } catch (const std::exception&) {
    // A destructor does not throw; the connection closes right after anyway.
  }
}

void emit(const std::string& raw, const std::string& file, unsigned new_mode) {
  emit_chunks([&](const TextSink& sink) { sink(raw); }, file, new_mode);
}

void emit_chunks(const std::function<void(const TextSink&)>& write, const std::string& file,
                 unsigned new_mode, bool printable) {
  // A report or a letter may quote a ledger that holds controls (an older one): escaped,
  // never sent raw to a terminal or a mail client. pm's own colour (bold in `change show`)
  // stays on a terminal.
  const bool keep_style = (file.empty() || file == "-") && use_color();
  // A cron job relies on the exit code: a report that did not reach stdout is a failure.
  OutputFile out(file, new_mode);
  std::ostream& stream = out.stream();
  write([&](std::string_view chunk) {
    if (printable) {
      stream.write(chunk.data(), static_cast<std::streamsize>(chunk.size()));
    } else {
      stream << printable_text(chunk, keep_style);
    }
  });
  out.commit();
}

void note(const Globals& globals, const std::string& text) {
  if (!globals.quiet) {
    std::fprintf(stderr, "%s\n", text.c_str());
  }
}

}  // namespace pm::cli
