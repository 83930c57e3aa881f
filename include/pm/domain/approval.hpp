#pragma once
// Two-sided approval: who may speak for each side. A change (and later an agreement) counts as
// approved by both sides only when each approval names a person of that side.
#include <string>

#include "pm/domain/project.hpp"

namespace pm {

enum class Side { client, team };

/// "client" or "team".
const char* side_name(Side side);

/// The person who approves (or rejects) for `side`. `by` is matched by name or address
/// (case-insensitive; "Name <address>" matches either) against the project's people: the
/// manager and team members for the team, client-side people for the client. The client's
/// side needs `by`; without it the team's is `author` when they are on the team, else the
/// manager. Throws pm::Error in one line: the client's side without `by`, a person of the
/// other side (naming who they are), or nobody of that name.
Person approver_for(const ProjectConfig& config, Side side, const std::string& by,
                    const std::string& author);

}  // namespace pm
