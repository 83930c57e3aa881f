#include "pm/domain/notes.hpp"

#include <fmt/format.h>

#include "pm/time/date_expression.hpp"
#include "pm/domain/numbers.hpp"
#include "pm/util/error.hpp"
#include "pm/util/text.hpp"

namespace pm {

namespace {

void check_open_agreement(Ledger& ledger, EntryId id) {
  auto e = ledger.find(id);
  if (!e) {
    throw Error(fmt::format("--agreement {}: there is no such entry; pm agreements lists them", id));
  }
  require_kind(*e, "agreement");
  EntryQuery q;
  q.ref = id;
  q.kinds = {"agreement", "done", "agreement-state"};
  std::string latest;  // its newest transition: a disputed agreement is settled first
  for (const auto& r : ledger.list(q)) {
    if (r.kind == "agreement-state") {
      // Fulfilled or withdrawn, not again.
      const std::string state = r.data.value("state", "");
      if (state == "fulfilled" || state == "withdrawn") {
        throw Error(fmt::format("--agreement {}: it was already {} (entry {})", e->number, state,
                                r.id));
      }
      latest = state;
      continue;
    }
    throw Error(r.kind == "agreement"
                    ? fmt::format("--agreement {}: it was superseded by agreement {}; give {} "
                                  "instead",
                                  e->number, r.number, r.number)
                    : fmt::format("--agreement {}: it was already fulfilled by note {}",
                                  e->number, r.id));
  }
  if (latest == "disputed") {
    throw Error(fmt::format("--agreement {}: it is disputed; confirm it (pm agreement confirm {} "
                            "--by NAME) or withdraw it first",
                            e->number, e->number));
  }
}

}  // namespace

EntryId add_note(Ledger& ledger, const NoteInput& input, Instant now, Zone zone) {
  Entry e;
  e.kind = input.kind;
  e.text = trimmed(input.text);
  if (e.text.empty()) {
    throw Error(fmt::format("the note has no text; write it, e.g. pm {} \"{}\"", input.kind,
                            input.kind == "done" ? "Sent the design for review"
                                                 : "Prepare the launch checklist"));
  }
  e.recorded_at = now;
  e.effective_at = input.on.empty() ? now : parse_instant_expression(input.on, now, zone, "--on");
  if (input.kind == "done" && e.effective_at > now) {
    throw Error(fmt::format("--on {}: that is in the future; note work as done once it is done "
                            "(pm next records plans)",
                            input.on));
  }
  e.author = input.author;
  if (input.agreement) {
    if (input.kind != "done") {
      throw Error("--agreement goes with pm done: it marks an agreement as fulfilled");
    }
    check_open_agreement(ledger, *input.agreement);
    e.ref = *input.agreement;
  }
  return ledger.append(e);
}

}  // namespace pm
