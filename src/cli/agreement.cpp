// pm agreement confirm|dispute|fulfil|withdraw N: an agreement's life, one entry a step.
#include <fmt/format.h>

#include "cli/cli.hpp"
#include "pm/domain/agreement_state.hpp"
#include "pm/domain/agreements.hpp"
#include "pm/domain/project_calendar.hpp"

namespace pm::cli {

namespace {

struct TransitionOptions {
  std::int64_t number = 0;
  TransitionInput input;
};

void run_transition(const Globals& globals, const TransitionOptions& options) {
  Session session = open_session(globals);
  auto ledger = session.open_ledger();
  const Calendar calendar = project_calendar(session.config, session.paths.dir());
  const ConfirmationRule rule{&calendar, session.config.confirm_within};
  TransitionInput input = options.input;
  input.author = resolve_author(globals.author);
  const EntryId id =
      record_transition(*ledger, session.config, rule, options.number, input, session.now);
  const Entry e = *ledger->find(id);
  note(globals, fmt::format("{} (entry {})", e.text, id));
}

void setup_step(CLI::App* group, const Globals& globals, AgreementState to, const char* name,
                const char* description) {
  auto options = std::make_shared<TransitionOptions>();
  options->input.to = to;
  CLI::App* cmd = group->add_subcommand(name, description);
  cmd->add_option("number", options->number, "The agreement's number (pm agreements)")
      ->required()
      ->check(CLI::PositiveNumber);
  if (to == AgreementState::confirmed || to == AgreementState::disputed) {
    cmd->add_option("--by", options->input.by,
                    "The client's person who did, by name or address (pm people)")
        ->required()
        ->option_text("NAME");
  }
  cmd->add_option("--evidence", options->input.evidence,
                  "What shows it: a Message-ID, a URL, \"call 2026-12-02 11:00\"")
      ->option_text("TEXT");
  if (to != AgreementState::confirmed) {
    auto* reason = cmd->add_option("--reason", options->input.reason,
                                   to == AgreementState::fulfilled ? "A note on how"
                                                                   : "Why (required)");
    reason->option_text("TEXT");
    if (to == AgreementState::withdrawn) {
      reason->required();
    }
  }
  cmd->add_option("--on", options->input.on,
                  "When it happened (a date, or 2026-12-02T11:00+03:00); default: now")
      ->option_text("WHEN");
  cmd->callback([options, &globals] { run_transition(globals, *options); });
}

}  // namespace

void setup_agreement(CLI::App& app, const Globals& globals) {
  CLI::App* group = app.add_subcommand(
      "agreement", "An agreement's life: confirm, dispute, fulfil or withdraw it");
  group->require_subcommand(1);
  setup_step(group, globals, AgreementState::confirmed, "confirm",
             "Record that the client confirmed the agreement (silence confirms it too, once "
             "confirm_within working days have passed)");
  setup_step(group, globals, AgreementState::disputed, "dispute",
             "Record that the client objected to the agreement as written");
  setup_step(group, globals, AgreementState::fulfilled, "fulfil",
             "Record that the agreement was done (pm done --agreement N also does)");
  setup_step(group, globals, AgreementState::withdrawn, "withdraw",
             "Record that the agreement no longer holds, and why");
}

}  // namespace pm::cli
