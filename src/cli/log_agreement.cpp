// pm log-agreement TEXT: record what was agreed; optionally print its confirmation letter.
#include <cstdio>

#include <fmt/format.h>

#include "cli/cli.hpp"
#include "pm/domain/numbers.hpp"
#include "cli/letters.hpp"
#include "pm/domain/agreements.hpp"
#include "pm/domain/meetings.hpp"
#include "pm/git/commits.hpp"
#include "pm/util/error.hpp"

namespace pm::cli {

namespace {

struct LogAgreementOptions {
  AgreementInput input;
  long long supersedes = 0;
  bool letter = false;
  bool send = false;  ///< --send: the confirmation goes through the mail command
  std::string format = "eml";
  std::string output;
  std::string from_commit;
};

/// Logs the trailers of an existing commit, as the hook would have.
void run_from_commit(const Globals& globals, const LogAgreementOptions& options) {
  Session session = open_session(globals);
  Commit commit = read_commit(start_directory(globals), options.from_commit);
  auto ledger = session.open_ledger();
  auto ids = log_commit(*ledger, commit, session.now);
  for (auto id : ids) {
    std::printf("%lld\n", static_cast<long long>(id));
  }
  if (ids.empty()) {
    note(globals, fmt::format("commit {} carries no new Agreed:, Decision: or Change: trailers",
                              commit.id.substr(0, 10)));
  }
}

void run_log_agreement(const Globals& globals, LogAgreementOptions options) {
  if (!options.from_commit.empty()) {
    if (!options.input.text.empty()) {
      throw Error("give either TEXT or --from-commit, not both", Exit::usage);
    }
    run_from_commit(globals, options);
    return;
  }
  if (options.input.text.empty()) {
    throw Error("what was agreed? pm log-agreement \"TEXT\" (or --from-commit REV)",
                Exit::usage);
  }
  Session session = open_session(globals);
  auto ledger = session.open_ledger();
  options.input.author = resolve_author(globals.author);
  if (is_meeting_reference(options.input.meeting)) {
    // --meeting M2: agreed at meeting 2, at its time, by its people unless --with says.
    options.input.meeting_entry = find_meeting(*ledger, options.input.meeting).id;
    options.input.meeting.clear();
  }
  if (options.supersedes != 0) {
    options.input.supersedes = numbered_entry(*ledger, "agreement", options.supersedes).id;
  }
  if (!options.letter && !options.send) {
    EntryId id = log_agreement(*ledger, options.input, session.now, session.zone);
    std::printf("%lld\n", static_cast<long long>(ledger->find(id)->number));
    return;
  }
  // The agreement and its confirmation letter: both or neither (record_with_letter).
  record_with_letter(session, *ledger, options.output, [&] {
    LetterRequest request;
    request.entry = log_agreement(*ledger, options.input, session.now, session.zone);
    request.name = "agreement-confirmation";
    request.format = options.format;
    request.sets.emplace_back("agreement", std::to_string(ledger->find(request.entry)->number));
    return request;
  }, true, options.send);
}

}  // namespace

void setup_log_agreement(CLI::App& app, const Globals& globals) {
  auto options = std::make_shared<LogAgreementOptions>();
  CLI::App* cmd = app.add_subcommand("log-agreement", "Record what was agreed with the client; "
                                                      "prints its number");
  cmd->add_option("text", options->input.text, "What was agreed");
  cmd->add_option("--from-commit", options->from_commit,
                  "Log the Agreed:/Decision:/Change: trailers of commit REV instead")
      ->option_text("REV");
  cmd->add_option("--with", options->input.with, "Who agreed (repeatable)")
      ->option_text("NAME")
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  cmd->add_option("--due", options->input.due, "Deadline of what was agreed, YYYY-MM-DD");
  cmd->add_option("--meeting", options->input.meeting,
                  "The meeting it was agreed at (M2: its time and people), or when: "
                  "YYYY-MM-DD or an ISO time (default: now)")
      ->option_text("M2|WHEN");
  cmd->add_option("--tag", options->input.tags, "A tag (repeatable)")
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  cmd->add_option("--supersedes", options->supersedes,
                  "Number of the agreement this one replaces (both stay in the ledger)")
      ->option_text("N")
      ->check(CLI::PositiveNumber);
  CLI::Option* letter = cmd->add_flag(
      "--letter", options->letter,
      "Print the confirmation letter on stdout (the number goes to stderr)");
  cmd->add_flag("--send", options->send,
                "Send the confirmation letter through the mail command instead of printing it, "
                "and record it as sent (pm send)")
      ->excludes(letter);
  cmd->add_option("--format", options->format, "Letter format with --letter: eml, text, md")
      ->check(CLI::IsMember({"eml", "text", "md"}))
      ->default_str("eml");
  cmd->add_option("-o,--output", options->output, "Write the letter to FILE");
  cmd->callback([options, &globals] { run_log_agreement(globals, *options); });
}

}  // namespace pm::cli
