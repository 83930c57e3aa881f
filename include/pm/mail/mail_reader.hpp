#pragma once
// Reading the manager's mail: a Maildir, an mbox file, a directory of .eml files or one .eml
// file, parsed with GMime 3, which is loaded only when mail is read (docs/ARCHITECTURE.md).
// Every string handed out is valid UTF-8 without control characters ('\n' and '\t' only in
// `text`).
#include <cstddef>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "pm/time/time.hpp"
#include "pm/util/mailbox.hpp"

namespace pm {

/// A message file (or one message of an mbox) larger than this is a problem, not read.
inline constexpr std::size_t k_mail_message_limit = 32 * 1024 * 1024;

/// One message, as pm uses it.
struct MailMessage {
  /// Where it came from: the file's path, or "PATH, message N" in an mbox (N from 1).
  std::string source;
  /// Without angle brackets; empty when the message has none.
  std::string message_id;
  /// Message ids without <>.
  std::vector<std::string> in_reply_to;
  /// Message ids without <>, oldest first.
  std::vector<std::string> references;
  /// Decoded display name (UTF-8) and the address with its domain in lower case (an
  /// internationalised domain as punycode).
  Mailbox from;
  /// The usable addresses of To and Cc, in header order (groups flattened).
  std::vector<Mailbox> to, cc;
  /// Decoded (RFC 2047) UTF-8, one line: folding removed, controls as spaces, trimmed.
  std::string subject;
  /// The Date header, as an instant (UTC).
  Instant date{};
  /// The first text/plain part that is not an attachment nor inside an attached message
  /// (message/rfc822), decoded to UTF-8 with '\n' line ends, at most k_text_limit (64 KiB)
  /// bytes, cut between characters; empty when there is none.
  std::string text;
  /// Headers whose name starts with "X-PM-" (any case), in header order: name as written,
  /// value unfolded and decoded.
  std::vector<std::pair<std::string, std::string>> pm_headers;
  /// Hex SHA-256 of the message's raw bytes (for an mbox, without its "From " line), for
  /// messages without a Message-ID.
  std::string digest;
};

/// A message that cannot be used.
struct MailProblem {
  std::string source;  ///< as MailMessage::source
  std::string why;     ///< one line: "no Date header", "not a mail message", ...
};

/// Finds what PATH is and reads every message in it, in a stable order: a Maildir (a
/// directory with cur/ and new/: their files together, sorted by name; names starting with
/// '.' skipped), a directory of *.eml files (sorted by name), an mbox (a file starting with
/// "From ": file order) or one message file. Calls on_message for each usable message and
/// on_problem for each that is not (no From address, no or unparsable Date, not parseable,
/// not mail, larger than 32 MiB, unreadable). Throws pm::Error when PATH does not exist, is
/// none of these shapes (a single file that is not mail included), or GMime cannot be loaded.
void read_mail(const std::filesystem::path& path,
               const std::function<void(MailMessage&&)>& on_message,
               const std::function<void(MailProblem&&)>& on_problem);

/// One message from its bytes (`pm letter record FILE.eml`, tests). Throws pm::Error
/// "SOURCE: WHY" when it cannot be used.
MailMessage parse_mail_message(std::string_view raw, const std::string& source);

}  // namespace pm
