// pm escalate TEXT [--about REF] [--to PERSON] [--on WHEN]: a request or a problem taken up
// the escalation route; pm kpi counts escalations per request (docs/kpi.md).
#include <algorithm>
#include <cstdio>

#include <fmt/format.h>

#include "cli/cli.hpp"
#include "pm/domain/agreements.hpp"
#include "pm/domain/escalation.hpp"
#include "pm/domain/meetings.hpp"
#include "pm/mail/builtin_templates.hpp"

namespace pm::cli {

namespace {

struct EscalateOptions {
  std::string text;
  std::string about;
  std::string to;
  std::string on;
};

void run_escalate(const Globals& globals, const EscalateOptions& options) {
  Session session = open_session(globals);
  auto ledger = session.open_ledger();
  EscalationInput input{options.text, options.about, options.to, std::nullopt,
                        resolve_author(globals.author)};
  if (!options.on.empty()) {
    input.when = parse_local_time(options.on, session.now, session.zone, "--on");
  }
  const EntryId id = add_escalation(*ledger, session.config, input, session.now);
  const Entry e = *ledger->find(id);
  std::string what = fmt::format("escalation E{} on {}: {}", e.id,
                                 format_local(e.effective_at, session.zone), e.text);
  if (e.data.contains("about")) {
    what += fmt::format(", about {}", e.data.value("about", ""));
  }
  if (e.data.contains("to_name")) {
    what += fmt::format(", to {}", e.data.value("to_name", ""));
  }
  std::printf("%s\n", what.c_str());
  const auto& builtins = builtin_templates();
  const bool letter = std::any_of(builtins.begin(), builtins.end(), [](const auto& t) {
    return t.name == "escalation";
  });
  if (letter) {
    note(globals, "the letter: pm render escalation --set what_happened=... --set impact=... "
                  "--set decision=... --set decider=... --set decide_by=DATE (pm templates show "
                  "escalation)");
  }
}

}  // namespace

void setup_escalate(CLI::App& app, const Globals& globals) {
  auto options = std::make_shared<EscalateOptions>();
  CLI::App* cmd = app.add_subcommand(
      "escalate", "Record an escalation of a request or a problem; pm kpi counts them");
  cmd->add_option("text", options->text, "What is escalated, one line")->required();
  cmd->add_option("--about", options->about,
                  "What it is about: a request I3, an agreement A2, a change C1, an entry E17")
      ->option_text("REF");
  cmd->add_option("--to", options->to, "Whom it goes to: a person of project.yaml")
      ->option_text("PERSON");
  cmd->add_option("--on", options->on, "When (default: now): \"2026-12-03 10:15\"")
      ->option_text("WHEN");
  cmd->callback([options, &globals] { run_escalate(globals, *options); });
}

}  // namespace pm::cli
