#pragma once
// The communication log: the client's requests, the replies to them, the letters sent, and the
// SLA measured on the project's working calendar (docs/communication.md).
//
// A request (kind `request`, numbered I1, I2...) is what awaits a reply: a client's letter read
// from mail, or a call or chat message recorded by hand. Its reply is a `reply` entry whose
// `ref` names it: written by `pm reply`, by `pm send --answers`, or by the mail import when the
// team's letter answers the thread. Reply time is working time on the calendar, from the
// request to its first reply.
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pm/domain/project.hpp"
#include "pm/storage/ledger.hpp"
#include "pm/time/calendar.hpp"

namespace pm {

/// How a request or a reply travelled: mail, call, chat, meeting, other.
extern const std::vector<std::string> k_channels;

/// The SLA's targets (`sla:` in project.yaml): the first reply within `reply` working time, a
/// status update every `status_days` working days.
struct SlaTargets {
  std::chrono::seconds reply{std::chrono::hours(2)};
  int status_days = 5;
};
SlaTargets sla_targets(const ProjectConfig& config);

/// The key that tells letters of one thread by their subject: case folded, "Re:", "Fwd:",
/// "Fw:", "AW:", "WG:", "Ответ:", "Отв:", "Пересл:" (and "Re[2]:") removed from the front
/// however often they repeat, spaces collapsed. Empty for an empty subject.
std::string thread_key(std::string_view subject);

/// What a request is: who asked, how, what about.
struct RequestInput {
  std::string text;     ///< the subject or what was asked, one line
  std::string from;     ///< the client-side person (name or address in project.yaml)
  std::string via = "mail";
  std::optional<Instant> when;  ///< when it came; empty: now
  std::string author;           ///< who records it
};

/// Records a request by hand (a call, a chat message); returns its id. The sender must be a
/// client-side person of the project; a time in the future is refused.
EntryId add_request(Ledger& ledger, const ProjectConfig& config, const RequestInput& input,
                    Instant now);

/// What answers a request.
struct ReplyInput {
  std::int64_t request = 0;     ///< its number (I3 is 3)
  std::string text;             ///< optional
  std::string via = "mail";
  std::optional<Instant> when;  ///< empty: now
  bool needed = true;           ///< false: closed without a reply (not counted by the SLA)
  std::string author;
};

/// Records the reply to request `input.request`; returns its id. Throws for a request that
/// does not exist or has its reply already, a time before the request or in the future.
EntryId add_reply(Ledger& ledger, const ReplyInput& input, Instant now);

/// A request with its first reply, measured.
struct RequestRow {
  Entry request;
  std::optional<Entry> reply;     ///< the first reply
  bool needs_reply = true;        ///< false when it was closed without a reply
  Instant reply_due{};            ///< the request's time plus the SLA on the calendar
  /// Working time to the first reply; while there is none, to `now` (still running).
  std::chrono::seconds waited{};
  bool breach = false;            ///< waited longer than the target (or still waits past it)
  bool replied() const { return reply.has_value(); }
};

/// The requests received in [from, until), oldest first, each measured at `now`.
std::vector<RequestRow> requests_between(Ledger& ledger, const Calendar& calendar,
                                         const SlaTargets& targets, Instant from,
                                         Instant until, Instant now);

/// Every request that has no reply yet at `now`, oldest first.
std::vector<RequestRow> waiting_requests(Ledger& ledger, const Calendar& calendar,
                                         const SlaTargets& targets, Instant now);

/// The median working time to the first reply of the replied requests; empty when none.
std::optional<std::chrono::seconds> median_reply(const std::vector<RequestRow>& rows);

/// One stretch between two status updates (weekly-status letters).
struct StatusGap {
  std::optional<Instant> from;  ///< the earlier update; empty: the project's first entry
  std::optional<Instant> to;    ///< the later update; empty: still open at `now`
  int working_days = 0;
  bool breach = false;          ///< longer than the target
};

/// The gaps between status updates that end in [from, until) or are still open then, oldest
/// first. A status update is a `letter` of the weekly-status template, however it was sent.
std::vector<StatusGap> status_gaps(Ledger& ledger, const Calendar& calendar,
                                   const SlaTargets& targets, Instant from, Instant until,
                                   Instant now);

/// When the last status update (a `letter` of the weekly-status template, however it was sent)
/// went out; empty when none has. Newest first along the kind index: it stops at the first.
std::optional<Instant> last_status_letter(Ledger& ledger);

/// "1 h 20 min", "45 min", "26 h" in English; "1 ч 20 мин" in Russian: working time in hours
/// and minutes (to the nearest minute), however many working days it spans.
std::string working_time_text(std::chrono::seconds time, std::string_view language);

}  // namespace pm
