// pm show REF: one entry by the reference a letter or a listing gives: E17 (entry 17 of any
// kind, as old letters quote it), A3, C2, R1, D4, or "agreement 3".
#include <cstdio>
#include <utility>

#include <fmt/format.h>

#include "cli/cli.hpp"
#include "pm/domain/agreement_state.hpp"
#include "pm/domain/project_calendar.hpp"
#include "pm/domain/numbers.hpp"
#include "pm/util/text.hpp"

namespace pm::cli {

namespace {

struct ShowOptions {
  std::vector<std::string> words;
  bool json = false;
};

AgreementStatus status_of(Ledger& ledger, const Session& session, const Entry& e) {
  const Calendar calendar = project_calendar(session.config, session.paths.dir());
  return agreement_status(*find_agreement(ledger, e.id),
                          ConfirmationRule{&calendar, session.config.confirm_within}, session.now);
}

/// "State:" and every step of the agreement's life, oldest first.
std::string agreement_history(Ledger& ledger, const Session& session, const Entry& e) {
  const AgreementStatus s = status_of(ledger, session, e);
  std::string out = fmt::format("{:<10}{}", "State:", state_name(s.state));
  if (s.by_silence) {
    out += fmt::format(" by silence (no objection by {})", format_local(*s.confirm_by, session.zone));
  } else if (s.state == AgreementState::open) {
    out += fmt::format(" (silence confirms it at {})", format_local(*s.confirm_by, session.zone));
  }
  out += "\n";
  EntryQuery q;
  q.ref = e.id;
  q.kinds = {"agreement-state", "done", "agreement"};
  const char* label = "History:";
  for (const auto& step : ledger.list(q)) {
    out += fmt::format("{:<10}{}  {} ({})\n", std::exchange(label, ""), format_local(step.effective_at, session.zone),
                       step.kind == "agreement-state" ? step.text
                       : step.kind == "done" ? "fulfilled by done note: " + step.text
                                             : "replaced by agreement " + std::to_string(step.number),
                       reference_of(step));
  }
  return out;
}

void run_show(const Globals& globals, const ShowOptions& options) {
  Session session = open_session(globals);
  auto ledger = session.open_ledger(true);
  std::string text;
  for (const auto& w : options.words) {
    text += (text.empty() ? "" : " ") + w;
  }
  Entry e = find_reference(*ledger, text);
  if (options.json) {
    Json out{{"version", 1}, {"entry", e.to_json()}};
    out["entry"]["reference"] = reference_of(e);
    if (e.kind == "agreement") {
      const AgreementStatus s = status_of(*ledger, session, e);
      out["entry"]["state"] = state_name(s.state);
      out["entry"]["confirmed_by_silence"] = s.by_silence;
    }
    emit(out.dump(2) + "\n", "");
    return;
  }
  std::string out = e.number != 0
                        ? fmt::format("{} {} ({}, entry {})\n", e.kind, e.number, reference_of(e), e.id)
                        : fmt::format("entry {} ({})\n", e.id, e.kind);
  out += fmt::format("{:<10}{}\n", "Text:", e.text);
  out += fmt::format("{:<10}{}\n", "When:", format_local(e.effective_at, session.zone));
  out += fmt::format("{:<10}{} ({})\n", "Author:", e.author, e.source);
  if (!e.due.empty()) {
    out += fmt::format("{:<10}{}\n", "Due:", e.due);
  }
  if (e.ref) {
    if (auto old = ledger->find(*e.ref)) {
      out += fmt::format("{:<10}{} ({})\n", "Refers:", reference_of(*old), old->text);
    }
  }
  if (!e.data.empty()) {
    out += fmt::format("{:<10}{}\n", "Data:", e.data.dump());
  }
  if (e.kind == "agreement") {
    out += agreement_history(*ledger, session, e);
  }
  emit(out, "");
}

}  // namespace

void setup_show(CLI::App& app, const Globals& globals) {
  auto options = std::make_shared<ShowOptions>();
  CLI::App* cmd = app.add_subcommand(
      "show", "Show one entry: E17 (entry 17), A3, C2, R1, D4 (agreement 3, change 2, risk 1, "
              "decision 4) or \"agreement 3\"");
  cmd->add_option("reference", options->words, "E17, A3, C2, R1, D4, or KIND NUMBER")
      ->required()
      ->expected(1, 2);
  cmd->add_flag("--json", options->json, "JSON for scripts (docs/json.md)");
  cmd->callback([options, &globals] { run_show(globals, *options); });
}

}  // namespace pm::cli
