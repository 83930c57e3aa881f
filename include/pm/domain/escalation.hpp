#pragma once
// Escalations: a request or a problem taken up the escalation route (`pm escalate`). The
// scorecard counts them against the requests of its period (docs/kpi.md).
#include <optional>
#include <string>

#include "pm/domain/project.hpp"
#include "pm/storage/ledger.hpp"

namespace pm {

struct EscalationInput {
  std::string text;             ///< what is escalated, one line
  std::string about;            ///< a reference (I3, A2, C1, E17) or empty
  std::string to;               ///< a person of project.yaml, either side, or empty
  std::optional<Instant> when;  ///< when it was escalated; empty: now
  std::string author;
};

/// Appends an `escalation` entry and returns its id: `ref` is the entry `about` names,
/// data.about its reference, data.to and data.to_name the person. Throws pm::Error for an
/// empty text, a reference to nothing, a person not in project.yaml, a time in the future.
EntryId add_escalation(Ledger& ledger, const ProjectConfig& config, const EscalationInput& input,
                       Instant now);

}  // namespace pm
