#include "pm/mail/submit.hpp"

#include <fmt/format.h>

#include "pm/mail/message.hpp"
#include "pm/util/check.hpp"
#include "pm/util/error.hpp"
#include "pm/util/process.hpp"
#include "pm/util/text.hpp"

namespace pm {

std::vector<std::string> split_command(std::string_view command) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;
  char quote = 0;
  for (char c : command) {
    if (quote != 0) {
      if (c == quote) {
        quote = 0;
      } else {
        word += c;
      }
    } else if (c == '\'' || c == '"') {
      quote = c;
      in_word = true;
    } else if (c == ' ' || c == '\t') {
      if (in_word) {
        words.push_back(std::move(word));
        word.clear();
        in_word = false;
      }
    } else {
      word += c;
      in_word = true;
    }
  }
  if (quote != 0) {
    throw Error(fmt::format("mail command '{}': a quote ({}) is not closed", command, quote));
  }
  if (in_word) {
    words.push_back(std::move(word));
  }
  if (words.empty()) {
    throw Error("the mail command is empty: set mail.command to a program that takes a message "
                "on its stdin, e.g. msmtp -t");
  }
  return words;
}

std::string mail_command(const ProjectConfig& project, const UserConfig& user) {
  if (!project.mail_command.empty()) {
    return project.mail_command;
  }
  if (!user.mail_command.empty()) {
    return user.mail_command;
  }
  return std::string(k_default_mail_command);
}

namespace {

/// The first non-empty line of a program's output, trimmed and made printable, at most 200
/// bytes: enough to say why, never a wall of text.
std::string first_line(const std::string& out) {
  std::size_t start = 0;
  while (start < out.size()) {
    std::size_t end = out.find('\n', start);
    if (end == std::string::npos) {
      end = out.size();
    }
    std::string line = trimmed(std::string_view(out).substr(start, end - start));
    if (!line.empty()) {
      if (line.size() > 200) {
        std::size_t cut = 200;
        while (cut > 0 && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80) {
          --cut;  // not inside a character
        }
        line = line.substr(0, cut) + "...";
      }
      return printable_line(line);
    }
    start = end + 1;
  }
  return "";
}

}  // namespace

void submit_message(std::string_view command, std::string_view message) {
  const std::vector<std::string> argv = split_command(command);
  const ProcessResult r = feed_process(argv, message, k_mail_timeout);
  const std::string how =
      "nothing was recorded; check the command, or set mail.command in project.yaml or in "
      "~/.config/pm/config.yaml (docs/communication.md)";
  if (!r.started) {
    throw Error(fmt::format("mail command '{}' could not be started ({} not found or not "
                            "executable): {}",
                            command, argv.front(), how),
                Exit::not_sent);
  }
  if (r.timed_out) {
    throw Error(fmt::format("mail command '{}' did not finish within {} s and was stopped; the "
                            "message may or may not have gone (look in your Sent folder, and "
                            "record it with pm letter record FILE.eml if it did); nothing was "
                            "recorded",
                            command, k_mail_timeout.count() / 1000),
                Exit::not_sent);
  }
  if (r.code != 0) {
    const std::string said = first_line(r.out);
    throw Error(fmt::format("mail command '{}' {}{}: {}", command,
                            r.code < 0 ? std::string("was killed by a signal")
                                       : fmt::format("failed with exit code {}", r.code),
                            said.empty() ? "" : " (" + said + ")", how),
                Exit::not_sent);
  }
}

std::string new_message_id(const Letter& letter, Instant now) {
  std::string seed = letter.template_name + '\n' + letter.subject + '\n' + letter.body;
  for (const auto& box : letter.to) {
    seed += '\n' + box.address;
  }
  const std::string& from = letter.from.address;
  return make_message_id(seed, std::chrono::time_point_cast<std::chrono::seconds>(now),
                         from.substr(from.find('@') + 1));
}

MailMessage sent_message(const Letter& letter, Instant now) {
  MailMessage m;
  m.source = "pm send";
  m.message_id = letter.message_id;
  if (!letter.in_reply_to.empty()) {
    m.in_reply_to.push_back(letter.in_reply_to);
    m.references.push_back(letter.in_reply_to);
  }
  m.from = letter.from;
  m.to = letter.to;
  m.cc = letter.cc;
  m.subject = letter.subject;
  m.date = now;
  m.text = letter.body;
  m.pm_headers.emplace_back("X-PM-Template", letter.template_name);
  return m;
}

}  // namespace pm
