#pragma once
// The manager's mail read back into the ledger (`pm mail import`, docs/communication.md):
// the client's letters become requests, the team's letters to the client become letters, and
// a team letter in a request's thread is its reply. Idempotent by Message-ID.
#include <filesystem>
#include <string>
#include <vector>

#include "pm/domain/project.hpp"
#include "pm/mail/mail_reader.hpp"
#include "pm/storage/ledger.hpp"

namespace pm {

/// What an import did.
struct MailImportResult {
  int read = 0;        ///< usable messages read
  int requests = 0;    ///< client letters recorded as requests
  int letters = 0;     ///< the team's letters recorded
  int replies = 0;     ///< requests those letters answered
  int duplicates = 0;  ///< already in the ledger (the same Message-ID), or pm's own letter
  int unrelated = 0;   ///< neither from nor to a person of the project, nor in its threads
  std::vector<MailProblem> problems;  ///< messages that could not be used, skipped
  /// What a reader should know: a sender not in project.yaml recorded from a thread, ...
  std::vector<std::string> notes;
};

/// Reads every message of `paths` (Maildirs, mboxes, .eml files: read_mail), oldest first,
/// and records, in one write transaction (`dry_run`: rolled back):
/// - a letter from a client-side person of project.yaml: a `request`, at its Date;
/// - a letter from the manager or a team member to a client-side person (or in a thread the
///   ledger knows, unless it goes to the team only: a forward to a colleague): a `letter` (its template from X-PM-Template, else none), and a `reply` to
///   every request of its thread still unanswered when it was sent;
/// - a letter from an unknown address in a known thread: a request, with a note.
/// Threads: In-Reply-To and References naming a message the ledger holds, else the subject
/// without "Re:"/"Fwd:" (thread_key). A message the ledger already holds (by Message-ID, or
/// by digest when it has none; pm's own report letter by its X-PM-Ledger) is a duplicate.
MailImportResult import_mail(Ledger& ledger, const ProjectConfig& config,
                             const std::vector<std::filesystem::path>& paths, Instant now,
                             bool dry_run);

/// Records one letter sent by other means (`pm letter record FILE.eml`) as import_mail would
/// record a team letter, whoever it is to. Returns the entry id, or 0 when the ledger holds
/// it already.
EntryId record_letter_message(Ledger& ledger, const ProjectConfig& config,
                              const MailMessage& message, Instant now);

/// What recording a sent letter did.
struct SentLetter {
  EntryId letter = 0;                  ///< the `letter` entry
  std::vector<std::int64_t> answered;  ///< numbers of the requests it replied to
};

/// Records a letter pm has just handed to the mail command (`pm send`), inside the caller's
/// write transaction, as import_mail would record it once read back from Sent: a `letter`
/// entry (its template, To, Cc, Message-ID, thread, and `extra`'s fields: the entries it is
/// about, `sent: true`) and a `reply` to every request of its thread still waiting, plus
/// request number `answers` when not 0 (`--answers N`). Throws pm::Error when request
/// `answers` does not exist or has its reply already.
SentLetter record_sent_letter(Ledger& ledger, const ProjectConfig& config,
                              const MailMessage& message, const Json& extra,
                              std::int64_t answers, Instant now);

}  // namespace pm
