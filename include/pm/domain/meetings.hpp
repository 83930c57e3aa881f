#pragma once
// Meetings with the client and the open questions between them: a meeting is recorded (when,
// who, the topic); agreements, decisions and questions are logged against it (data.meeting);
// a question stays open until an answer refers to it. Nothing is edited: an answer is a new
// entry.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "pm/storage/ledger.hpp"

namespace pm {

struct MeetingInput {
  std::string topic;
  std::string on;                 ///< "2026-12-08 11:00" (the project's zone), a date, ...
  std::vector<std::string> with;  ///< who took part
  std::string author;
};

/// "2026-12-08 11:00" or "2026-12-08T11:00" as a local time in `zone`; anything else as
/// parse_instant_expression reads it (a date, "today", an instant with an offset). Throws
/// pm::Error naming `what`.
Instant parse_local_time(const std::string& text, Instant now, Zone zone, std::string_view what);

/// Validates and appends a meeting; returns its id.
EntryId log_meeting(Ledger& ledger, const MeetingInput& input, Instant now, Zone zone);

/// Whether `text` names a meeting rather than a time: "M2", "m2", "meeting 2".
bool is_meeting_reference(const std::string& text);
/// The meeting `text` names (M2, meeting 2); throws pm::Error when there is none.
Entry find_meeting(Ledger& ledger, const std::string& text);

/// Meetings, oldest first.
std::vector<Entry> list_meetings(Ledger& ledger);

/// The agreements, decisions and questions logged against `meeting`, in the order logged.
std::vector<Entry> meeting_items(Ledger& ledger, const Entry& meeting);

/// A decision, logged by hand (commits log theirs through trailers).
struct DecisionNote {
  std::string text;
  std::vector<std::string> with;
  std::string on;                         ///< empty: now (or the meeting's time)
  std::optional<EntryId> meeting;         ///< the meeting it was taken at
  std::string author;
};
EntryId log_decision(Ledger& ledger, const DecisionNote& input, Instant now, Zone zone);

struct QuestionInput {
  std::string text;
  std::string to;                  ///< who is to answer; may be empty
  std::string due;                 ///< an answer wanted by, a date expression; may be empty
  std::optional<EntryId> meeting;  ///< the meeting it was raised at
  std::string author;
};
EntryId add_question(Ledger& ledger, const QuestionInput& input, Instant now, Zone zone);

/// Answers question `question` (its entry id): refuses one already answered.
EntryId answer_question(Ledger& ledger, EntryId question, const std::string& text,
                        const std::string& author, Instant now);

struct Question {
  Entry entry;
  std::optional<Entry> answer;
  std::int64_t meeting_number = 0;  ///< the meeting it was raised at; 0: between meetings
};

/// Questions, oldest first: the open ones, or all. `until`: only those asked before it, and
/// open means not answered before it.
std::vector<Question> list_questions(Ledger& ledger, bool all,
                                     std::optional<Instant> until = std::nullopt);

}  // namespace pm
