#pragma once
// Handing a message to the system's mail submission program (`pm send`,
// docs/communication.md): `sendmail -t -i` unless project.yaml or the user's config names
// another (`mail.command: msmtp -t -a work`). pm speaks no SMTP itself: the program the user
// already has configured (msmtp, the MTA's sendmail) knows the server and its credentials.
#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "pm/domain/project.hpp"
#include "pm/domain/user_config.hpp"
#include "pm/mail/letter.hpp"
#include "pm/mail/mail_reader.hpp"

namespace pm {

/// The command used when neither config names one.
inline constexpr std::string_view k_default_mail_command = "sendmail -t -i";

/// Splits a command line into words at spaces; '...' and "..." group words, as a shell would,
/// without expanding anything. Throws pm::Error for an unclosed quote or an empty command.
std::vector<std::string> split_command(std::string_view command);

/// How long the mail command may run before it is stopped (pm holds the ledger's write lock
/// meanwhile).
inline constexpr std::chrono::milliseconds k_mail_timeout{120 * 1000};

/// The mail command's text: project.yaml's `mail.command`, else the user's, else the default.
std::string mail_command(const ProjectConfig& project, const UserConfig& user);

/// Hands `message` (a complete RFC 5322 message) to `command` on its stdin. Throws pm::Error
/// with Exit::not_sent naming the command, why (could not be started, its exit code) and the
/// first line of what it printed.
void submit_message(std::string_view command, std::string_view message);

/// A Message-ID for `letter` sent at `now`: unique per letter and moment, in the sender's
/// domain, the same for the same letter at the same PM_NOW.
std::string new_message_id(const Letter& letter, Instant now);

/// The letter as the mail reader would read it back once sent at `now` (what the ledger
/// records of a sent letter: Message-ID, In-Reply-To, From, To, Cc, Subject, Date,
/// X-PM-Template).
MailMessage sent_message(const Letter& letter, Instant now);

}  // namespace pm
