#pragma once
// The change protocol: a change of scope, dates or money is proposed with its reason and impact,
// and counts only once both sides approved it; one rejection rejects it. The ledger holds the
// proposal (kind "change") and one "change-decision" per side (ref = the change); the state is
// always derived from them, never stored.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "pm/domain/approval.hpp"
#include "pm/domain/project.hpp"
#include "pm/storage/ledger.hpp"
#include "pm/time/calendar.hpp"

namespace pm {

enum class Verdict { approve, reject };
enum class ChangeStatus { proposed, approved, rejected };

/// "client"/"team", "approve"/"reject", "proposed"/"approved"/"rejected": the ledger's and the
/// JSON's words. The parsers throw pm::Error naming the option.
Side parse_side(const std::string& text);
const char* verdict_name(Verdict verdict);
const char* status_name(ChangeStatus status);
ChangeStatus parse_status(const std::string& text);

/// Where a change stands: each side's verdict so far and what they add up to.
struct ChangeState {
  ChangeStatus status = ChangeStatus::proposed;
  std::optional<Verdict> client;
  std::optional<Verdict> team;
  /// The side whose rejection rejected the change.
  std::optional<Side> rejected_by;
};

/// Why `side` may not give `verdict` to change `id` in `state` ("the client already approved
/// change 3; ..."), or empty when it may.
std::string decision_problem(const ChangeState& state, Side side, Verdict verdict, EntryId id);
/// The state machine: the state after `side` gives `verdict`. A verdict that decision_problem
/// refuses leaves the state unchanged (so a ledger written by two racing processes still reads
/// the same way every time: the first verdict of each side counts).
ChangeState next_state(const ChangeState& state, Side side, Verdict verdict);

/// One side's decision, as recorded.
struct ChangeDecision {
  EntryId id = 0;
  Side side = Side::client;
  Verdict verdict = Verdict::approve;
  std::string by;        ///< who decided for that side
  std::string reason;    ///< a rejection's reason, or empty
  std::string evidence;  ///< what shows that side decided (a Message-ID, a URL, a call), or empty
  Instant at{};
};

/// A change request with its decisions.
struct Change {
  Entry entry;  ///< the proposal: text, author, effective_at
  std::string reason;
  int days = 0;           ///< shift of the project deadline; negative brings it forward
  /// The shift as it was asked for in working days (`days` is what they came to on the
  /// project's calendar); empty when asked for in calendar days.
  std::optional<int> working_days;
  /// Asked for in calendar days with --calendar-days (entries older than the working calendar
  /// say neither, and mean calendar days).
  bool calendar_days = false;
  std::string cost;       ///< "1500" or "1500.50"; empty when the budget is not affected
  std::string currency;   ///< ISO 4217 code, with cost
  std::string ask;        ///< what is asked of the client, or empty
  std::vector<ChangeDecision> decisions;  ///< in the order they were recorded
  ChangeState state;
  std::optional<Instant> decided_at;  ///< when the change became approved or rejected
};

/// What `pm change propose` records.
struct ChangeInput {
  std::string text;
  std::string reason;
  int days = 0;  ///< calendar days the deadline moves
  std::optional<int> working_days;  ///< set by count_working_days
  bool calendar_days = false;       ///< `days` were given as calendar days
  std::string cost;
  std::string currency;
  std::string ask;
  std::string author;
};

/// "1500", "1500.5", "1500,50" → "1500", "1500.50", "1500.50". Throws pm::Error for a negative
/// amount or anything that is not one.
std::string parse_cost(const std::string& text);
/// A three-letter ISO 4217 code ("eur" → "EUR").
std::string parse_currency(const std::string& text);

/// Makes `input` a shift of `n` working days from `from` (the current deadline, or today) on
/// `calendar`: `days` becomes the calendar days from `from` to its `n`th working day. Throws
/// pm::Error when |n| is more than ten years of days.
void count_working_days(ChangeInput& input, int n, const Calendar& calendar, Date from);

/// Validates and appends a change request; returns its id.
EntryId propose_change(Ledger& ledger, const ChangeInput& input, Instant now);

/// What one side's decision says besides its verdict.
struct DecisionInput {
  std::string by;        ///< who decided for that side: a person of that side (approver_for)
  std::string reason;    ///< why (a rejection's reason)
  std::string evidence;  ///< what shows it: a Message-ID, a URL, "call 2026-11-20 14:00"
  std::string author;    ///< who records it
};

/// Records one side's verdict as the change protocol wants it: `input.by` must be a person of
/// that side (approver_for: the client's side needs one), then as decide_change below.
Change decide_change(Ledger& ledger, const ProjectConfig& config, EntryId id, Side side,
                     Verdict verdict, const DecisionInput& input, Instant now);

/// Records one side's verdict, with `by` as given (no check of who they are), refusing (with a message that says why) a second verdict of the
/// same side, a verdict on a decided change, and an id that is not a change. Returns the change
/// as it stands afterwards.
Change decide_change(Ledger& ledger, EntryId id, Side side, Verdict verdict, const std::string& by,
                     const std::string& reason, const std::string& author, Instant now);

/// Change `id` with the decisions recorded before `as_of` (all when empty). Throws pm::Error
/// when there is no such change.
Change load_change(Ledger& ledger, EntryId id, std::optional<Instant> as_of = std::nullopt);
/// Every change, oldest first, with its decisions; a proposal superseded by a rewritten commit's
/// (and never decided on) is left out. Streams: one change at a time, so a ledger of any size
/// lists in little memory.
void each_change(Ledger& ledger, const std::function<void(const Change&)>& visit);
/// The changes `ids` names (in id order; ids of other kinds are left out), each with its state
/// as decided before `as_of`: one read, whatever their number (a busy week's report).
std::vector<Change> load_changes(Ledger& ledger, const std::vector<EntryId>& ids, Instant as_of);
/// The same, collected (for few changes).
std::vector<Change> list_changes(Ledger& ledger);
/// Folds decisions (in order) into a change's state; sets decided_at.
void apply_decisions(Change& change);

/// The project deadline: the baseline from project.yaml moved by approved changes.
struct Deadline {
  std::optional<Date> baseline;
  std::optional<Date> current;  ///< baseline + days; empty without a baseline
  int days = 0;                 ///< sum of the days of approved changes
  bool shifted() const { return days != 0; }
};

/// Deadline arithmetic: `baseline` (YYYY-MM-DD or empty) plus `days`.
Deadline make_deadline(const std::string& baseline, int days);
/// The sum of the days of approved changes among `changes` (pure).
int approved_days(const std::vector<Change>& changes);
/// The deadline as of `as_of` (exclusive): only changes approved before then count. One lookup
/// in the running totals of approved changes, whatever the ledger's size. `except` leaves one
/// change out (a letter's "old deadline").
Deadline project_deadline(Ledger& ledger, const std::string& baseline, Instant as_of,
                          std::optional<EntryId> except = std::nullopt);

/// The status in words, in `language` ("approved by the client, awaiting the team's approval").
std::string status_text(const ChangeState& state, const std::string& language);
/// "+3 working days" (asked for in working days) or "+8 days" (calendar days); empty for none.
std::string change_days_text(const Change& change, const std::string& language);
/// "+8 days, 1500.00 EUR"; empty when the change affects neither.
std::string impact_text(const Change& change, const std::string& language);

}  // namespace pm
