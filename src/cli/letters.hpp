#pragma once
// Rendering a letter from the command line: shared by render, log-agreement and others.
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "cli/cli.hpp"
#include "pm/mail/mail_import.hpp"
#include "pm/time/period.hpp"

namespace pm::cli {

struct LetterRequest {
  std::string name;                                       ///< template name
  std::string language;                                   ///< empty: the project's
  std::vector<std::pair<std::string, std::string>> sets;  ///< --set key=value
  std::string data_file;                                  ///< --data FILE
  std::vector<std::string> to;
  std::vector<std::string> cc;
  std::string format = "text";
  std::string output;  ///< -o FILE, empty for stdout
  std::optional<Period> period;  ///< the period of a `report` variable; empty: this week
  EntryId entry = 0;             ///< record_with_letter: the entry the letter is about
  bool send = false;  ///< --send: hand the letter to the mail command instead of printing it
  /// --html / --no-html: whether an eml message has an HTML part; empty: project.yaml's `html`
  std::optional<bool> html;
};

/// Whether the request's message has an HTML part: an eml (or a sent letter) when --html, or
/// project.yaml's `html: true` without --no-html. Throws pm::Error (usage) for --html or
/// --no-html with a format they do not apply to (text and md are for reading; html is the HTML).
bool wants_html_part(const Session& session, const LetterRequest& request, bool sent = false);

/// Renders the request against the session's project and ledger and prints (or writes) it.
void print_letter(const Session& session, Ledger& ledger, const LetterRequest& request);

/// The letter as text, rendered against the session's project and ledger.
std::string render_letter_text(const Session& session, Ledger& ledger,
                               const LetterRequest& request);

/// A letter worth remembering (the weekly report as an email): records a `letter` entry
/// (template, period, To and Cc addresses, subject, the entries it is about), renders the
/// letter citing that entry as the ledger's head, and writes it: both or neither, through
/// record_with_letter, and prints nothing else. The same letter produced again at the same
/// moment is not recorded twice. pm today counts the status cadence from these entries.
void print_recorded_letter(const Session& session, Ledger& ledger, const LetterRequest& request);

/// `--letter`: the entry and its letter, both or neither. Opens `output` first (a target that
/// cannot be written refuses the command before anything is recorded), then in one write
/// transaction runs `record` (which appends the entry and returns the request for its letter,
/// `entry` set) and renders the letter, commits, prints the id on stderr and writes the letter.
/// When only that last write fails, throws pm::Error with Exit::letter_not_written naming the
/// recorded id. Returns the id. `announce` false: the id is not printed (a letter whose record
/// is pm's own bookkeeping, print_recorded_letter).
/// With `send` (--send), the letter is not written but sent with send_letter in the same
/// transaction: a failed submission records nothing.
EntryId record_with_letter(const Session& session, Ledger& ledger, const std::string& output,
                           const std::function<LetterRequest()>& record, bool announce = true,
                           bool send = false);

/// `pm send` and `--send`, inside the caller's write transaction: renders `request` as a
/// message with a new Message-ID (In-Reply-To the request numbered `answers`, when not 0 and
/// it came by mail), records it as a sent `letter` with `extra`'s fields and the replies it
/// makes (record_sent_letter), and hands it to the mail command (mail.command; pm::Error with
/// Exit::not_sent when that fails, and the caller's transaction rolls back). With `dry_run`,
/// prints the message on stdout instead of sending it; the caller rolls back.
SentLetter send_letter(const Session& session, Ledger& ledger, const LetterRequest& request,
                       std::int64_t answers, const Json& extra, bool dry_run = false);

/// Runs `send` (which calls send_letter) in a write transaction and commits. A commit that
/// fails after the message went says so, and how to record it.
SentLetter sent_in_transaction(Ledger& ledger, const std::function<SentLetter()>& send);

/// What the user reads once a letter went: "sent 'SUBJECT' to ADDRESSES (Message-ID <...>)",
/// and the requests it answered.
std::string sent_note(Ledger& ledger, const SentLetter& sent);

/// Splits "key=value" (for --set); throws pm::Error when there is no '='.
std::pair<std::string, std::string> split_assignment(const std::string& text);

}  // namespace pm::cli
