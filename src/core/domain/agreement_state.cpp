#include "pm/domain/agreement_state.hpp"

#include <array>

#include <fmt/format.h>

#include "pm/domain/approval.hpp"
#include "pm/domain/numbers.hpp"
#include "pm/time/date_expression.hpp"
#include "pm/util/check.hpp"
#include "pm/util/error.hpp"
#include "pm/util/text.hpp"

namespace pm {

namespace {

constexpr std::array<const char*, 6> k_state_names = {"open",      "confirmed", "disputed",
                                                      "fulfilled", "withdrawn", "superseded"};

/// "confirmed by Ivan Sidorov on 2026-12-02", for messages.
std::string describe(const AgreementStatus& s, Zone zone) {
  std::string out = state_name(s.state);
  if (s.by_silence) {
    out += " by silence";
  } else if (!s.by.empty()) {
    out += " by " + s.by;
  }
  if (s.since) {
    out += " on " + format_date(local_date(*s.since, zone));
  }
  return out;
}

/// Why `to` cannot follow `from`, or empty when it can.
std::string refusal(const AgreementStatus& from, AgreementState to, std::int64_t number,
                    Zone zone) {
  using S = AgreementState;
  if (from.state == to && !(to == S::confirmed && from.by_silence)) {
    return fmt::format("agreement {} is already {}", number, describe(from, zone));
  }
  if (is_final(from.state)) {
    return fmt::format("agreement {} is {}; nothing more can happen to it{}", number,
                       describe(from, zone),
                       from.state == S::superseded ? "" : " (log a new agreement instead)");
  }
  if (to == S::fulfilled && from.state == S::disputed) {
    return fmt::format("agreement {} is disputed; confirm it (pm agreement confirm {} --by NAME) "
                       "or withdraw it first",
                       number, number);
  }
  return "";
}

}  // namespace

const char* state_name(AgreementState state) {
  return k_state_names[static_cast<std::size_t>(state)];
}

std::optional<AgreementState> parse_agreement_state(std::string_view name) {
  for (std::size_t i = 0; i < k_state_names.size(); ++i) {
    if (name == k_state_names[i]) {
      return static_cast<AgreementState>(i);
    }
  }
  return std::nullopt;
}

bool is_final(AgreementState state) {
  return state == AgreementState::fulfilled || state == AgreementState::withdrawn ||
         state == AgreementState::superseded;
}

Instant confirmation_deadline(Instant recorded, const ConfirmationRule& rule) {
  const Calendar& cal = *rule.calendar;
  const Date day = local_date(recorded, cal.zone());
  if (!rule.m_last || rule.m_last->first != day) {
    const Date last = cal.add_working_days(day, rule.confirm_within);
    rule.m_last = {day, cal.working_hours_of(last).second};
  }
  return rule.m_last->second;
}

AgreementStatus agreement_status(const AgreementRow& row, const ConfirmationRule& rule,
                                 Instant now) {
  AgreementStatus s;
  s.confirm_by = confirmation_deadline(row.entry.recorded_at, rule);
  if (row.superseded_by) {
    s.state = AgreementState::superseded;
    s.entry = row.superseded_by;
    return s;
  }
  // A done note fulfils it, whatever was recorded before (it is checked like a transition).
  if (row.done_note && row.done_at <= now) {
    s.state = AgreementState::fulfilled;
    s.since = row.done_at;
    s.entry = row.done_note;
    return s;
  }
  if (row.state_entry && row.state_at <= now) {
    if (auto state = parse_agreement_state(row.state)) {
      s.state = *state;
      s.since = row.state_at;
      s.by = row.state_by;
      s.note = row.state_note;
      s.entry = row.state_entry;
      return s;
    }
  }
  // Silence confirms it once the window has passed: exactly at its end, not a second before.
  if (now >= *s.confirm_by) {
    s.state = AgreementState::confirmed;
    s.by_silence = true;
    s.since = s.confirm_by;
  }
  return s;
}

EntryId record_transition(Ledger& ledger, const ProjectConfig& config,
                          const ConfirmationRule& rule, std::int64_t number,
                          const TransitionInput& input, Instant now) {
  using S = AgreementState;
  const Zone zone = rule.calendar->zone();
  const Entry agreement = numbered_entry(ledger, "agreement", number);
  Entry e;
  e.kind = "agreement-state";
  e.ref = agreement.id;
  e.recorded_at = now;
  e.effective_at = input.on.empty() ? now : parse_instant_expression(input.on, now, zone, "--on");
  e.author = input.author;
  if (e.effective_at > now) {
    throw Error(fmt::format("--on {}: that is in the future; record it when it happens",
                            input.on));
  }
  if (e.effective_at < agreement.effective_at) {
    throw Error(fmt::format("--on {}: agreement {} was made later, on {}", input.on, number,
                            format_date(local_date(agreement.effective_at, zone))));
  }
  check_line("--evidence", input.evidence, Exit::usage);
  check_line("--reason", input.reason, Exit::usage);
  std::string by;
  if (input.to == S::confirmed || input.to == S::disputed) {
    // Only the client can confirm or dispute what was agreed with it.
    by = approver_for(config, Side::client, input.by, input.author).name;
  } else if (!trimmed(input.by).empty()) {
    throw Error(fmt::format("--by goes with confirm and dispute (the client's person); {} is "
                            "recorded as yours",
                            input.to == S::fulfilled ? "a fulfilment" : "a withdrawal"),
                Exit::usage);
  }
  if (input.to == S::withdrawn && trimmed(input.reason).empty()) {
    throw Error(fmt::format("a withdrawal needs --reason: say why agreement {} no longer holds",
                            number),
                Exit::usage);
  }
  auto row = find_agreement(ledger, agreement.id);
  const AgreementStatus from = agreement_status(*row, rule, e.effective_at);
  if (std::string why = refusal(from, input.to, number, zone); !why.empty()) {
    if (from.state == S::superseded) {
      why += fmt::format("; it was replaced by agreement {}", row->superseded_by_number);
    }
    throw Error(why);
  }
  e.data["state"] = state_name(input.to);
  if (!by.empty()) {
    e.data["by"] = by;
  }
  if (!trimmed(input.evidence).empty()) {
    e.data["evidence"] = trimmed(input.evidence);
  }
  if (!trimmed(input.reason).empty()) {
    e.data["reason"] = trimmed(input.reason);
  }
  // The entry's text is the transition in words, as pm log shows it.
  e.text = fmt::format("agreement {} {}", number, state_name(input.to));
  if (!by.empty()) {
    e.text += " by " + by;
  }
  if (e.data.contains("reason")) {
    e.text += ": " + e.data["reason"].get<std::string>();
  } else if (e.data.contains("evidence")) {
    e.text += " (" + e.data["evidence"].get<std::string>() + ")";
  }
  return ledger.append(e);
}

}  // namespace pm
