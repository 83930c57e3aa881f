#pragma once
// An agreement's life: open, then confirmed (by a client's person, or by silence once the
// confirmation window has passed), disputed, fulfilled, withdrawn, or superseded. Every
// transition is an `agreement-state` entry referring to the agreement; the state is computed
// when read, so "confirmed by silence" needs no entry and no cron job (docs/agreements.md).
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "pm/domain/agreements.hpp"
#include "pm/domain/project.hpp"
#include "pm/time/calendar.hpp"

namespace pm {

enum class AgreementState { open, confirmed, disputed, fulfilled, withdrawn, superseded };

/// "open", "confirmed", ... as the ledger, JSON and the command line spell them.
const char* state_name(AgreementState state);
/// The state `name` spells, or none.
std::optional<AgreementState> parse_agreement_state(std::string_view name);
/// Fulfilled, withdrawn or superseded: nothing more happens to it.
bool is_final(AgreementState state);

/// What an agreement is at a moment, and why.
struct AgreementStatus {
  AgreementState state = AgreementState::open;
  bool by_silence = false;        ///< confirmed because the window passed with no objection
  std::optional<Instant> since;   ///< when it entered the state (none: open since agreed)
  std::string by;                 ///< who confirmed or disputed it
  std::string note;               ///< the evidence, or the reason
  std::optional<Instant> confirm_by;  ///< the end of its confirmation window
  std::optional<EntryId> entry;   ///< the entry that made the state (transition or done note)
};

/// How the project counts confirmation: `confirm_within` working days on its calendar.
struct ConfirmationRule {
  ConfirmationRule(const Calendar* calendar, int confirm_within)
      : calendar(calendar), confirm_within(confirm_within) {}

  const Calendar* const calendar;
  const int confirm_within;

 private:
  friend Instant confirmation_deadline(Instant recorded, const ConfirmationRule& rule);
  /// The day confirmation_deadline() last worked out, with its deadline: agreements are listed
  /// in order, so most share the day of the one before.
  mutable std::optional<std::pair<Date, Instant>> m_last;
};

/// The end of the confirmation window of an agreement recorded at `recorded`: the end of the
/// working day `confirm_within` working days after the day it was recorded (its letter went
/// out), in the calendar's zone.
Instant confirmation_deadline(Instant recorded, const ConfirmationRule& rule);

/// The status of `row` (from each_agreement, which reads its transitions) at `now`.
AgreementStatus agreement_status(const AgreementRow& row, const ConfirmationRule& rule,
                                 Instant now);

/// One transition asked for on the command line.
struct TransitionInput {
  AgreementState to = AgreementState::confirmed;
  std::string by;        ///< confirmed/disputed: a client's person, by name or address
  std::string evidence;  ///< a Message-ID, a URL, "call 2026-12-02 11:00"
  std::string reason;    ///< withdrawn/disputed: why (required for a withdrawal)
  std::string on;        ///< when it happened (a date or instant expression); empty: now
  std::string author;
};

/// Records a transition of the agreement numbered `number` and returns the entry's id. Throws
/// pm::Error in one line, saying what to do instead, for an agreement that is superseded,
/// already final, already in that state, or a `by` who is not a client's person.
EntryId record_transition(Ledger& ledger, const ProjectConfig& config,
                          const ConfirmationRule& rule, std::int64_t number,
                          const TransitionInput& input, Instant now);

}  // namespace pm
