#include "pm/domain/escalation.hpp"

#include <fmt/format.h>

#include "pm/domain/numbers.hpp"
#include "pm/util/check.hpp"
#include "pm/util/error.hpp"
#include "pm/util/text.hpp"

namespace pm {

EntryId add_escalation(Ledger& ledger, const ProjectConfig& config, const EscalationInput& input,
                       Instant now) {
  Entry e;
  e.kind = "escalation";
  e.text = trimmed(input.text);
  if (e.text.empty()) {
    throw Error("the escalation has no text; say what is escalated, e.g. pm escalate \"Access "
                "to the test server is a week late\" --about I3",
                Exit::usage);
  }
  check_line("the escalation", e.text, Exit::usage);
  if (input.when && *input.when > now) {
    throw Error(fmt::format("--on: {} is in the future; an escalation is recorded once it "
                            "happened",
                            format_utc(*input.when)),
                Exit::usage);
  }
  e.recorded_at = now;
  e.effective_at = input.when.value_or(now);
  e.author = input.author;
  if (!trimmed(input.about).empty()) {
    const Entry about = find_reference(ledger, trimmed(input.about));
    if (about.effective_at > e.effective_at) {
      throw Error(fmt::format("--about {}: it was recorded later ({}) than the escalation",
                              input.about, format_utc(about.effective_at)),
                  Exit::usage);
    }
    e.ref = about.id;
    e.data["about"] = reference_of(about);
  }
  if (!trimmed(input.to).empty()) {
    const Person* who = find_person(config, trimmed(input.to));
    if (who == nullptr) {
      throw Error(fmt::format("--to '{}': name a person of project.yaml (pm people lists them)",
                              input.to),
                  Exit::usage);
    }
    e.data["to"] = who->email.empty() ? who->name : who->email;
    e.data["to_name"] = who->name;
  }
  return ledger.append(e);
}

}  // namespace pm
