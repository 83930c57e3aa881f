#pragma once
// One message parsed with GMime into a MailMessage (internal to src/core/mail): what
// parse_mail_message does, and what mail_reader.cpp does for each file and mbox message.
#include <string>
#include <string_view>

#include "gmime_api.hpp"
#include "pm/mail/mail_reader.hpp"

namespace pm::mail_parse {

inline constexpr std::string_view k_not_mail = "not a mail message";
inline constexpr std::string_view k_too_large = "larger than 32 MiB";

/// The options of every parse (fallback charsets for 8-bit header text), made once.
GMimeParserOptions* parser_options(const gmime::Api& g);

/// Fills `out` (but its source and digest) from `message`; returns why the message cannot
/// be used (one line), or "" when it can.
std::string extract(const gmime::Api& g, GMimeParserOptions* options, GMimeMessage* message,
                    MailMessage& out);

/// Parses one message from its bytes into `out` (digest included, source not); returns why
/// it cannot be used, or "". Loads GMime (gmime::api) unless `raw` is too large.
std::string parse_into(std::string_view raw, MailMessage& out);

}  // namespace pm::mail_parse
