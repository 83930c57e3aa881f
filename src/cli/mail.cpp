// pm mail import PATH...: the manager's mail (Maildir, mbox, .eml) read back into the ledger.
// pm letter record FILE.eml: a letter sent by other means, recorded (docs/communication.md).
#include <cstdio>

#include <fmt/format.h>

#include "cli/cli.hpp"
#include "pm/mail/mail_import.hpp"
#include "pm/mail/mail_reader.hpp"
#include "pm/util/check.hpp"

namespace pm::cli {

namespace {

struct ImportOptions {
  std::vector<std::string> paths;
  bool dry_run = false;
  bool json = false;
};

std::string plural(int n, const char* one, const char* many) {
  return fmt::format("{} {}", n, n == 1 ? one : many);
}

void run_import(const Globals& globals, const ImportOptions& options) {
  Session session = open_session(globals);
  auto ledger = session.open_ledger();
  std::vector<std::filesystem::path> paths(options.paths.begin(), options.paths.end());
  MailImportResult r;
  try {
    r = import_mail(*ledger, session.config, paths, session.now, options.dry_run);
  } catch (const std::exception& e) {
    rethrow_sqlite(e, ledger->path(), "write to");
  }
  if (options.json) {
    Json problems = Json::array();
    for (const auto& p : r.problems) {
      problems.push_back({{"source", p.source}, {"why", p.why}});
    }
    Json out{{"version", 1},          {"dry_run", options.dry_run}, {"read", r.read},
             {"requests", r.requests}, {"letters", r.letters},       {"replies", r.replies},
             {"duplicates", r.duplicates}, {"unrelated", r.unrelated},
             {"problems", problems},   {"notes", r.notes}};
    std::fputs((dump_json(out, 2) + "\n").c_str(), stdout);
    return;
  }
  std::string line = fmt::format(
      "{}{}: {}, {} (replying to {}), {} already in the ledger, {} not about this project",
      options.dry_run ? "dry run, nothing recorded: " : "", plural(r.read, "message", "messages"),
      plural(r.requests, "request", "requests"), plural(r.letters, "letter", "letters"),
      plural(r.replies, "request", "requests"), r.duplicates, r.unrelated);
  if (!r.problems.empty()) {
    line += fmt::format(", {} skipped", r.problems.size());
  }
  std::printf("%s\n", line.c_str());
  for (const auto& p : r.problems) {
    std::printf("skipped %s: %s\n", printable_line(p.source).c_str(),
                printable_line(p.why).c_str());
  }
  for (const auto& n : r.notes) {
    std::printf("note: %s\n", printable_line(n).c_str());
  }
}

void run_record(const Globals& globals, const std::string& file) {
  Session session = open_session(globals);
  const std::string raw = read_file_limited(file, k_mail_message_limit, file);
  const MailMessage message = parse_mail_message(raw, file);
  auto ledger = session.open_ledger();
  EntryId id = 0;
  try {
    id = record_letter_message(*ledger, session.config, message, session.now);
  } catch (const std::exception& e) {
    rethrow_sqlite(e, ledger->path(), "write to");
  }
  if (id == 0) {
    note(globals, fmt::format("{}: the ledger holds this letter already; nothing recorded",
                              printable_line(file)));
    return;
  }
  const Entry e = *ledger->find(id);
  note(globals, fmt::format("recorded letter '{}' of {} (entry {}){}", printable_line(e.text),
                            format_local(e.effective_at, session.zone), id,
                            e.data.value("template", std::string()).empty()
                                ? ", not from a template"
                                : ""));
}

}  // namespace

void setup_mail(CLI::App& app, const Globals& globals) {
  CLI::App* cmd = app.add_subcommand("mail", "Read the manager's mail back into the ledger");
  cmd->require_subcommand(1);
  auto options = std::make_shared<ImportOptions>();
  CLI::App* import = cmd->add_subcommand(
      "import", "Record the client's letters as requests, the team's letters to the client, "
                "and the replies they make, from a Maildir, an mbox or .eml files; a message "
                "the ledger holds is skipped");
  import->add_option("path", options->paths, "A Maildir, an mbox file, a directory of .eml "
                                             "files or one .eml file (repeatable)")
      ->required();
  import->add_flag("--dry-run", options->dry_run, "Say what would be recorded; record nothing");
  import->add_flag("--json", options->json, "The counts, problems and notes as JSON");
  import->callback([options, &globals] { run_import(globals, *options); });
}

void setup_letter(CLI::App& app, const Globals& globals) {
  CLI::App* cmd = app.add_subcommand("letter", "Letters sent by other means than pm send");
  cmd->require_subcommand(1);
  auto file = std::make_shared<std::string>();
  CLI::App* record = cmd->add_subcommand(
      "record", "Record a letter sent from a mail client (a saved .eml), so the KPIs count it");
  record->add_option("file", *file, "The letter as a .eml file")->required();
  record->callback([file, &globals] { run_record(globals, *file); });
}

}  // namespace pm::cli
