#pragma once
// Rendering a letter template into a message: context, strict variables, recipients.
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <mstch/mstch.hpp>
#include <yaml-cpp/yaml.h>

#include "pm/storage/integrity.hpp"
#include "pm/storage/ledger.hpp"
#include "pm/time/calendar.hpp"
#include "pm/mail/message.hpp"
#include "pm/time/period.hpp"
#include "pm/domain/project.hpp"
#include "pm/time/calendar.hpp"
#include "pm/mail/template.hpp"

namespace pm {

/// What the caller gives a letter beyond the project.
struct LetterInput {
  std::vector<std::pair<std::string, std::string>> sets;  ///< --set key=value, in order
  /// --data FILE (a map), or null: its values keep their YAML types (docs/templates.md)
  YAML::Node data;
  std::vector<std::string> to;                            ///< --to: replaces the template's
  std::vector<std::string> cc;  ///< --cc: replaces the template's, and the meeting's people
  /// Also render the body as Markdown (Letter::markdown), for an HTML part.
  bool markdown = false;
};

/// A rendered letter, ready to print or to turn into a message.
struct Letter {
  std::string template_name;
  std::string language;
  Mailbox from;
  std::vector<Mailbox> to;
  std::vector<Mailbox> cc;
  std::vector<Mailbox> bcc;
  std::string subject;
  std::string body;
  /// The body as Markdown for the HTML part: the template rendered with every value escaped
  /// by escape_markdown, so a value shows as written. Set when LetterInput::markdown asks.
  std::optional<std::string> markdown;
  std::vector<EntryId> entries;  ///< ledger entries the letter is about (X-PM-Entry)
  /// The Message-ID of its eml form, without <>; empty: made from its contents and the time.
  std::string message_id;
  /// The Message-ID (without <>) of the message it answers: In-Reply-To and References.
  std::string in_reply_to;
  /// The ledger's head when it was rendered: the footer's "Ledger: N:HASH" and X-PM-Ledger.
  std::optional<ChainHead> ledger_head;
};

/// Everything a letter is rendered against.
struct LetterContext {
  const ProjectConfig& config;
  Ledger* ledger;  ///< may be null when no ledger source is needed
  Instant now;
  std::string language;  ///< the letter's language; render_letter sets it from the template
  /// The period of the `report` and `month` sources; empty: this week, the last whole month.
  std::optional<Period> period = std::nullopt;
  /// The project's working calendar: the report's communication (reply times) needs it; null
  /// leaves that section out.
  const Calendar* calendar = nullptr;
};

/// What filling a letter's sources learns besides the values.
struct LetterTrace {
  std::vector<EntryId> entries;    ///< ledger entries the letter is about (X-PM-Entry)
  std::vector<std::string> copy;   ///< people to copy (names or addresses): a meeting's --with
  /// People to address instead of the template's To (a meeting's participants), by name or
  /// address; those without an address in project.yaml are left out, and when none has one
  /// the template's To stands. --to overrides both.
  std::vector<std::string> to;
};

/// A ledger source: fills a `from: KIND` variable given an entry id (or the latest).
struct LetterSource {
  const char* kind;
  const char* summary;
  std::function<mstch::node(const LetterContext&, std::optional<EntryId>,
                            LetterTrace& trace)>
      fill;
};

/// Every ledger source letters may use (agreement, change, report, risk, month, meeting).
const std::vector<LetterSource>& letter_sources();

/// The Mustache renderer set up for plain text: nothing is escaped. Adds the helper
/// {{#plural}}COUNT|FORMS{{/plural}}, "4 рабочих часа" (plural_text in `language`).
/// `partials` are the texts {{> name}} includes; a template's are checked (no cycles) by
/// parse_template before they get here. With `markdown`, each value is written through
/// escape_markdown (the helpers read the values' own text and escape what they write).
std::string render_mustache(const std::string& text, const mstch::map& context,
                            std::string_view language,
                            const std::map<std::string, std::string>& partials = {},
                            bool markdown = false);

/// Renders `tmpl`. Throws pm::Error naming the variable when a required one is missing,
/// a given key is not declared, a value has the wrong type, a recipient role is empty, or
/// the subject would hold a line break.
Letter render_letter(const LetterTemplate& tmpl, const LetterContext& context,
                     const LetterInput& input);

/// The forms a letter is printed in: html is the HTML document of its body alone.
enum class LetterFormat { text, md, eml, html };
LetterFormat parse_letter_format(const std::string& name);

/// The letter in `format`; eml is a complete RFC 5322 message, with `html_part` a
/// multipart/alternative one whose HTML part is html_letter of the letter's Markdown (the body
/// escaped as a whole when the letter was rendered without it). The text part is unchanged.
std::string format_letter(const Letter& letter, LetterFormat format, Instant now, Zone zone,
                          bool html_part = false);

}  // namespace pm
