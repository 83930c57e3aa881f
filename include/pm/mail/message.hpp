#pragma once
// Building RFC 5322 / MIME messages that `sendmail -t` and `msmtp -t` send unchanged.
#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "pm/util/mailbox.hpp"

namespace pm {

/// RFC 2047 encoding of a header text: ASCII text without specials is returned as is;
/// anything else becomes one or more "=?UTF-8?B?...?=" encoded-words, each at most 75
/// characters, never splitting a UTF-8 sequence, separated by "\n " (folding).
/// `first_line_used` is how many characters of the header line precede the value.
std::string encode_header_text(std::string_view utf8, std::size_t first_line_used = 0);

/// A mailbox as a header value: the display name encoded (or quoted when it is ASCII with
/// specials), then " <addr>".
std::string encode_mailbox(const Mailbox& mailbox);

/// Quoted-printable (RFC 2045) of UTF-8 text with '\n' line ends; output lines are at most
/// 76 characters, using soft line breaks ("=\n").
std::string quoted_printable(std::string_view text);

/// RFC 5322 date, e.g. "Fri, 20 Nov 2026 10:00:00 +0300", of `when` seen at `utc_offset`.
std::string rfc5322_date(std::chrono::sys_seconds when, std::chrono::minutes utc_offset);

/// Everything a message is made of.
struct Message {
  Mailbox from;
  std::vector<Mailbox> to;
  std::vector<Mailbox> cc;
  std::vector<Mailbox> bcc;
  std::string subject;                ///< UTF-8, one line
  std::string body;                   ///< UTF-8 plain text, '\n' line ends
  /// A complete UTF-8 HTML document (html_letter) or empty. When set, the message is
  /// multipart/alternative: the text part as a text-only message's body, then this.
  std::string html;
  std::chrono::sys_seconds date{};    ///< the Date header
  std::chrono::minutes utc_offset{0};  ///< the offset the Date header is shown in
  std::string message_id;             ///< without angle brackets; must be set
  std::vector<std::pair<std::string, std::string>> extra_headers;  ///< e.g. X-PM-Entry
};

/// A Message-ID "<seed-hash>.<time>@<domain>": unique per seed and time; the same inputs
/// give the same id (so PM_NOW makes letters reproducible). `domain` is the From domain.
std::string make_message_id(std::string_view seed, std::chrono::sys_seconds when,
                            std::string_view domain);

/// The complete message, '\n' line ends: headers (Date, From, To, Cc, Bcc, Subject,
/// Message-ID, MIME-Version, Content-Type text/plain; charset=utf-8,
/// Content-Transfer-Encoding: quoted-printable or base64, extra headers), a blank line, the
/// body. With `html`, Content-Type is multipart/alternative with a boundary made from the
/// parts' hash (the same message gives the same bytes) that neither part can hold, and the
/// body two parts: text/plain, with the headers and bytes of the text-only message's body,
/// then text/html, UTF-8 in quoted-printable (lines of at most 76 characters).
/// Throws pm::Error when any header value holds '\r' or '\n', when an address is invalid,
/// or when there is no recipient.
std::string build_message(const Message& message);

}  // namespace pm
