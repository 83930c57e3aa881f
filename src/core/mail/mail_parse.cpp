// One message parsed with GMime into a MailMessage (mail_parse.hpp); mail_reader.cpp finds
// the messages.
#include "mail_parse.hpp"

#include <initializer_list>

#include "mail_text.hpp"
#include "pm/util/check.hpp"
#include "pm/util/error.hpp"
#include "pm/util/sha256.hpp"
#include "pm/util/text.hpp"

namespace pm::mail_parse {
namespace {

using gmime::Api;
using gmime::Ref;
using mail_text::clean_line;

constexpr int k_max_depth = 32;

// "local@domain" with the domain in lower case.
std::string normalized_address(const char* addr) {
  std::string address = clean_line(addr);
  if (auto at = address.rfind('@'); at != std::string::npos) {
    address = address.substr(0, at + 1) + ascii_lower(address.substr(at + 1));
  }
  return address;
}

// The usable mailboxes of `list` (groups flattened) into `out`; the unusable addresses into
// `unusable`.
void collect(const Api& g, InternetAddressList* list, std::vector<Mailbox>& out,
             std::vector<std::string>& unusable, int depth = 0) {
  if (list == nullptr || depth > k_max_depth) {
    return;
  }
  int count = g.internet_address_list_length(list);
  for (int i = 0; i < count; ++i) {
    InternetAddress* address = g.internet_address_list_get_address(list, i);
    if (g.is_a(address, g.internet_address_group_get_type)) {
      collect(g,
              g.internet_address_group_get_members(
                  reinterpret_cast<InternetAddressGroup*>(address)),
              out, unusable, depth + 1);
    } else if (g.is_a(address, g.internet_address_mailbox_get_type)) {
      auto* mailbox = reinterpret_cast<InternetAddressMailbox*>(address);
      std::string addr = normalized_address(g.internet_address_mailbox_get_idn_addr(mailbox));
      if (is_valid_address(addr)) {
        out.push_back(Mailbox{clean_line(g.internet_address_get_name(address)), addr});
      } else {
        unusable.push_back(addr);
      }
    }
  }
}

// The mailboxes of the raw address headers `raw` (joined with ", ").
void collect(const Api& g, GMimeParserOptions* options, const std::string& raw,
             std::vector<Mailbox>& out, std::vector<std::string>& unusable) {
  if (raw.empty()) {
    return;
  }
  std::string prepared = mail_text::prepared_header(raw);
  Ref<InternetAddressList> list(g.internet_address_list_parse(options, prepared.c_str()));
  collect(g, list.get(), out, unusable);
}

// A raw header value decoded (RFC 2047, 8-bit text by the fallback charsets), one clean line.
std::string decoded_line(const Api& g, GMimeParserOptions* options, const char* raw) {
  if (raw == nullptr) {
    return {};
  }
  std::string prepared = mail_text::prepared_header(raw);
  char* decoded = g.g_mime_utils_header_decode_text(options, prepared.c_str());
  std::string line = clean_line(decoded);
  g.g_free(decoded);
  return line;
}

// Message ids of an In-Reply-To or References header, in order.
std::vector<std::string> message_ids(const Api& g, const char* header) {
  std::vector<std::string> ids;
  if (header == nullptr) {
    return ids;
  }
  GMimeReferences* references = g.g_mime_references_parse(nullptr, header);
  if (references == nullptr) {
    return ids;
  }
  int count = g.g_mime_references_length(references);
  for (int i = 0; i < count; ++i) {
    std::string id = clean_line(g.g_mime_references_get_message_id(references, i));
    if (!id.empty()) {
      ids.push_back(std::move(id));
    }
  }
  g.g_mime_references_free(references);
  return ids;
}

// The first text/plain part under `object` that is not an attachment, not looking into
// attached messages; nullptr when there is none.
GMimeTextPart* first_plain_text(const Api& g, GMimeObject* object, int depth = 0) {
  if (object == nullptr || depth > k_max_depth || g.is_a(object, g.g_mime_message_part_get_type)) {
    return nullptr;
  }
  if (g.is_a(object, g.g_mime_multipart_get_type)) {
    auto* multipart = reinterpret_cast<GMimeMultipart*>(object);
    int count = g.g_mime_multipart_get_count(multipart);
    for (int i = 0; i < count; ++i) {
      if (GMimeTextPart* found =
              first_plain_text(g, g.g_mime_multipart_get_part(multipart, i), depth + 1)) {
        return found;
      }
    }
    return nullptr;
  }
  if (g.is_a(object, g.g_mime_text_part_get_type)) {
    GMimeContentType* type = g.g_mime_object_get_content_type(object);
    if (type != nullptr && g.g_mime_content_type_is_type(type, "text", "plain") &&
        !g.g_mime_part_is_attachment(reinterpret_cast<GMimePart*>(object))) {
      return reinterpret_cast<GMimeTextPart*>(object);
    }
  }
  return nullptr;
}

// A header's value for a message about it: one line, at most 60 bytes.
std::string quoted(const char* value) {
  return "\"" + mail_text::cut_utf8(clean_line(value), 60) + "\"";
}

}  // namespace

// Fills `out` (but its source and digest) from `message`; returns why the message cannot be
// used, or "" when it can. Header values that GMime decodes are read raw and decoded here
// (mail_text::prepared_header says why).
std::string extract(const Api& g, GMimeParserOptions* options, GMimeMessage* message,
                    MailMessage& out) {
  auto* object = reinterpret_cast<GMimeObject*>(message);
  bool mail = false;
  for (const char* name : {"From", "Sender", "Date", "Message-ID", "Subject", "To",
                           "Received", "Return-Path", "MIME-Version", "In-Reply-To"}) {
    mail = mail || g.g_mime_object_get_header(object, name) != nullptr;
  }
  if (!mail) {
    return std::string(k_not_mail);
  }
  std::string from_raw, to_raw, cc_raw;
  const char* subject_raw = nullptr;
  GMimeHeaderList* headers = g.g_mime_object_get_header_list(object);
  int count = headers != nullptr ? g.g_mime_header_list_get_count(headers) : 0;
  for (int i = 0; i < count; ++i) {
    GMimeHeader* header = g.g_mime_header_list_get_header_at(headers, i);
    std::string name = clean_line(g.g_mime_header_get_name(header));
    std::string lower = ascii_lower(name);
    const char* raw = g.g_mime_header_get_raw_value(header);
    if (raw == nullptr) {
      continue;
    }
    if (lower == "from" || lower == "to" || lower == "cc") {
      std::string& all = lower == "from" ? from_raw : lower == "to" ? to_raw : cc_raw;
      all += all.empty() ? raw : std::string(", ") + raw;
    } else if (lower == "subject" && subject_raw == nullptr) {
      subject_raw = raw;
    } else if (lower.starts_with("x-pm-")) {
      out.pm_headers.emplace_back(name, decoded_line(g, options, raw));
    }
  }
  std::vector<Mailbox> from;
  std::vector<std::string> unusable;
  collect(g, options, from_raw, from, unusable);
  if (from.empty()) {
    return unusable.empty() ? "no From address"
                            : "the From address " + quoted(unusable.front().c_str()) +
                                  " is not usable";
  }
  out.from = std::move(from.front());
  const char* date_header = g.g_mime_object_get_header(object, "Date");
  if (date_header == nullptr) {
    return "no Date header";
  }
  GDateTime* date = g.g_mime_message_get_date(message);
  if (date == nullptr) {
    return "the Date header " + quoted(date_header) + " is not a date";
  }
  out.date = Instant{std::chrono::seconds{g.g_date_time_to_unix(date)}};
  out.message_id = clean_line(g.g_mime_message_get_message_id(message));
  out.in_reply_to = message_ids(g, g.g_mime_object_get_header(object, "In-Reply-To"));
  out.references = message_ids(g, g.g_mime_object_get_header(object, "References"));
  collect(g, options, to_raw, out.to, unusable);
  collect(g, options, cc_raw, out.cc, unusable);
  out.subject = decoded_line(g, options, subject_raw);
  if (GMimeTextPart* part = first_plain_text(g, g.g_mime_message_get_mime_part(message))) {
    if (char* text = g.g_mime_text_part_get_text(part)) {
      out.text = mail_text::clean_text(text, k_text_limit);
      g.g_free(text);
    }
  }
  return {};
}

// The options of every parse: 8-bit header text that is not UTF-8 is taken as windows-1251
// (pm's users write Russian), which decodes every byte, so nothing is lost.
GMimeParserOptions* parser_options(const Api& g) {
  static GMimeParserOptions* const options = [&g] {
    GMimeParserOptions* made = g.g_mime_parser_options_new();
    static const char* charsets[] = {"UTF-8", "windows-1251", nullptr};
    g.g_mime_parser_options_set_fallback_charsets(made, charsets);
    return made;
  }();
  return options;
}

// Parses one message from its bytes into `out`; returns why it cannot be used or "".
std::string parse_into(std::string_view raw, MailMessage& out) {
  if (raw.size() > k_mail_message_limit) {
    return std::string(k_too_large);
  }
  const Api& g = gmime::api();
  Ref<GMimeStream> stream(g.g_mime_stream_mem_new_with_buffer(raw.data(), raw.size()));
  Ref<GMimeParser> parser(g.g_mime_parser_new_with_stream(stream.get()));
  Ref<GMimeMessage> message(g.g_mime_parser_construct_message(parser.get(), parser_options(g)));
  if (!message) {
    return std::string(k_not_mail);  // GMime found no header block
  }
  out.digest = sha256_hex(raw);
  return extract(g, parser_options(g), message.get(), out);
}

}  // namespace pm::mail_parse

namespace pm {

MailMessage parse_mail_message(std::string_view raw, const std::string& source) {
  MailMessage message;
  message.source = mail_text::clean_line(source.c_str());
  if (std::string why = mail_parse::parse_into(raw, message); !why.empty()) {
    throw Error(message.source + ": " + why);
  }
  return message;
}

}  // namespace pm
