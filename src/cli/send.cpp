// pm send TEMPLATE: a letter rendered as pm render renders it, handed to the mail command
// (sendmail -t -i, or mail.command) and recorded as sent: its Message-ID, recipients and the
// requests it answers (docs/communication.md).
#include <SQLiteCpp/SQLiteCpp.h>
#include <fmt/format.h>

#include "cli/cli.hpp"
#include "cli/letters.hpp"
#include "pm/util/text.hpp"

namespace pm::cli {

namespace {

struct SendOptions {
  LetterRequest request;
  std::vector<std::string> sets;
  std::string period;
  std::string answers;
  bool dry_run = false;
  bool html = false;
  bool no_html = false;
};

/// "I3", "i3" or "3": request number 3.
std::int64_t request_number(const std::string& text) {
  std::string digits = text;
  if (!digits.empty() && (digits.front() == 'I' || digits.front() == 'i')) {
    digits.erase(0, 1);
  }
  std::int64_t n = 0;
  const bool ok = !digits.empty() && digits.size() <= 12 &&
                  digits.find_first_not_of("0123456789") == std::string::npos &&
                  (n = std::stoll(digits)) > 0;
  if (!ok) {
    throw Error(fmt::format("--answers '{}': name a request by its number, e.g. I3 (pm sla "
                            "lists them)",
                            text),
                Exit::usage);
  }
  return n;
}

void run_send(const Globals& globals, SendOptions options) {
  Session session = open_session(globals);
  for (const auto& set : options.sets) {
    options.request.sets.push_back(split_assignment(set));
  }
  if (!options.period.empty()) {
    options.request.period = parse_period(options.period, session.now, session.zone);
  }
  if (options.html || options.no_html) {
    options.request.html = options.html;
  }
  const std::int64_t answers = options.answers.empty() ? 0 : request_number(options.answers);
  auto ledger = session.open_ledger();
  if (options.dry_run) {
    // Rendered and recorded as it would be, to say what it would answer, then rolled back.
    WriteTransaction tx(*ledger);
    const SentLetter sent =
        send_letter(session, *ledger, options.request, answers, Json::object(), true);
    std::string would = "dry run: nothing was sent or recorded";
    if (!sent.answered.empty()) {
      std::vector<std::string> numbers;
      for (auto n : sent.answered) {
        numbers.push_back(fmt::format("I{}", n));
      }
      would += fmt::format("; it would reply to {}", join(numbers));
    }
    note(globals, would);
    return;  // the transaction rolls back
  }
  const SentLetter sent = sent_in_transaction(*ledger, [&] {
    return send_letter(session, *ledger, options.request, answers, Json::object());
  });
  note(globals, sent_note(*ledger, sent));
}

}  // namespace

void setup_send(CLI::App& app, const Globals& globals) {
  auto options = std::make_shared<SendOptions>();
  LetterRequest& r = options->request;
  CLI::App* cmd = app.add_subcommand(
      "send", "Send a letter from a template through the mail command (sendmail -t -i, or "
              "mail.command) and record it as sent");
  cmd->add_option("template", r.name, "Template name, e.g. weekly-status")->required();
  cmd->add_option("--set", options->sets, "A variable's value (repeatable)")
      ->option_text("KEY=VALUE");
  cmd->add_option("--data", r.data_file, "Variables from a YAML or JSON file")
      ->option_text("FILE");
  cmd->add_option("--period", options->period,
                  "The period of a report or digest: a month (2026-11) or an ISO week "
                  "(2026-W47)")
      ->option_text("PERIOD");
  cmd->add_option("--to", r.to, "Recipient address, replacing the template's (repeatable)")
      ->option_text("ADDRESS");
  cmd->add_option("--cc", r.cc, "Copy address, replacing the template's (repeatable)")
      ->option_text("ADDRESS");
  cmd->add_option("--lang", r.language, "Letter language (default: the project's)")
      ->check(CLI::IsMember({"en", "ru"}));
  cmd->add_option("--answers", options->answers,
                  "The client's request this letter replies to (I3): In-Reply-To its message, "
                  "and its reply recorded")
      ->option_text("I<N>");
  CLI::Option* html = cmd->add_flag(
      "--html", options->html,
      "Add an HTML part made from the letter's Markdown (multipart/alternative); html: true in "
      "project.yaml makes it the default");
  cmd->add_flag("--no-html", options->no_html, "Send text only, even with html: true")
      ->excludes(html);
  cmd->add_flag("--dry-run", options->dry_run,
                "Print the message that would be sent; send and record nothing");
  cmd->callback([options, &globals] { run_send(globals, *options); });
}

}  // namespace pm::cli
