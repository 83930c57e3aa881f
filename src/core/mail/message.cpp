// MIME messages: RFC 5322 headers, RFC 2047 encoded-words, RFC 2045 quoted-printable and
// base64, a text body alone or with an HTML one (RFC 2046 multipart/alternative). Lines end
// in '\n' because `sendmail -t` and `msmtp -t` read local line ends on stdin and convert them
// to CRLF for SMTP themselves. Over 400 lines: header encoding and body encoding share the
// UTF-8 and base64 helpers, and splitting them would expose those for one caller.
#include "pm/mail/message.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdlib>
#include <optional>

#include <fmt/format.h>

#include "pm/util/check.hpp"
#include "pm/util/error.hpp"

namespace pm {
namespace {

constexpr std::size_t k_npos = std::string_view::npos;
constexpr std::size_t k_max_line = 78;          // RFC 5322 2.1.1: lines SHOULD stay within 78
constexpr std::size_t k_max_encoded_word = 75;  // RFC 2047 section 2
constexpr std::size_t k_max_qp_line = 76;       // RFC 2045 6.7 rule 5
constexpr std::string_view k_word_prefix = "=?UTF-8?B?";
constexpr std::string_view k_word_suffix = "?=";
constexpr std::string_view k_specials = "()<>[]:;@\\,.\"";
constexpr std::string_view k_fallback_domain = "localhost.localdomain";
// Headers build_message writes itself: an extra header repeating one would give readers two
// Subjects or two Content-Types to choose from.
constexpr std::array<std::string_view, 10> k_own_headers = {
    "date",       "from",         "to",           "cc", "bcc", "subject", "message-id",
    "mime-version", "content-type", "content-transfer-encoding"};

unsigned char byte_at(std::string_view text, std::size_t pos) {
  return static_cast<unsigned char>(text[pos]);
}

bool has_line_break(std::string_view text) { return text.find_first_of("\r\n") != k_npos; }


// Length of the well-formed UTF-8 sequence at text[pos], or 0 when it is malformed: stray
// continuation bytes, overlong forms, surrogates and code points past U+10FFFF.
std::size_t utf8_sequence_length(std::string_view text, std::size_t pos) {
  const unsigned char lead = byte_at(text, pos);
  if (lead < 0x80) {
    return 1;
  }
  const std::size_t length = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : 2;
  if (lead < 0xc2 || lead > 0xf4 || pos + length > text.size()) {
    return 0;
  }
  char32_t code = lead & (0x7f >> length);
  for (std::size_t i = 1; i < length; ++i) {
    if ((byte_at(text, pos + i) & 0xc0) != 0x80) {
      return 0;
    }
    code = (code << 6) | (byte_at(text, pos + i) & 0x3f);
  }
  const bool overlong = (length == 3 && code < 0x800) || (length == 4 && code < 0x10000);
  return overlong || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff) ? 0 : length;
}

// Offset of the first byte that is not part of valid UTF-8, or k_npos.
std::size_t first_invalid_utf8(std::string_view text) {
  for (std::size_t pos = 0; pos < text.size();) {
    const std::size_t length = utf8_sequence_length(text, pos);
    if (length == 0) {
      return pos;
    }
    pos += length;
  }
  return k_npos;
}

std::string base64(std::string_view bytes) {
  static constexpr std::string_view k_alphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    const std::size_t count = std::min<std::size_t>(3, bytes.size() - i);
    std::uint32_t group = 0;
    for (std::size_t j = 0; j < 3; ++j) {
      group = (group << 8) | (j < count ? byte_at(bytes, i + j) : 0u);
    }
    for (std::size_t j = 0; j < 4; ++j) {
      out += j <= count ? k_alphabet[(group >> (18 - 6 * j)) & 0x3f] : '=';
    }
  }
  return out;
}

bool needs_encoding(std::string_view text) {
  // Plain text shaped like an encoded-word ("=?") would be decoded by readers, so it is
  // encoded as well to reach them unchanged.
  return text.find("=?") != k_npos || std::any_of(text.begin(), text.end(), [](char c) {
           return static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) > 0x7e;
         });
}

// Folds readable ASCII text before runs of spaces; a word longer than a line stays whole.
std::string fold_ascii(std::string_view text, std::size_t used) {
  std::string out;
  std::size_t line = used;
  for (std::size_t pos = 0; pos < text.size();) {
    const std::size_t word = text.find_first_not_of(' ', pos);
    const std::size_t end = std::min(word == k_npos ? k_npos : text.find(' ', word), text.size());
    // Never fold before the first piece nor before trailing spaces: either would leave a
    // line holding nothing but whitespace.
    if (pos > 0 && word != k_npos && line + (end - pos) > k_max_line) {
      out += '\n';
      line = 0;
    }
    out += text.substr(pos, end - pos);  // the spaces before a word, then the word
    line += end - pos;
    pos = end;
  }
  return out;
}

// Encoded-words of whole UTF-8 sequences; readers drop the folding between adjacent words.
std::string encode_words(std::string_view text, std::size_t used) {
  const std::size_t overhead = k_word_prefix.size() + k_word_suffix.size();
  std::string out;
  for (std::size_t pos = 0; pos < text.size();) {
    const std::size_t line_used = out.empty() ? used : 1;  // later words follow "\n "
    const std::size_t room =
        std::min(k_max_encoded_word, k_max_line - std::min(k_max_line, line_used));
    const std::size_t max_bytes = room > overhead ? (room - overhead) / 4 * 3 : 0;
    std::size_t end = pos;
    std::size_t after_space = k_npos;
    while (end < text.size()) {
      const std::size_t length = std::max<std::size_t>(1, utf8_sequence_length(text, end));
      if (end + length - pos > max_bytes && end > pos) {  // one sequence at least, to progress
        // End a word just after a space whenever there is one: readers that wrongly keep the
        // folding between words (CPython gh-128110) then widen a space instead of splitting a
        // word ("Иванов-Длинно фамильный"). Only a word longer than an encoded-word holds is
        // split, between whole characters.
        end = after_space != k_npos ? after_space : end;
        break;
      }
      end += length;
      after_space = text[end - 1] == ' ' ? end : after_space;
    }
    out += out.empty() ? "" : "\n ";
    out += fmt::format("{}{}{}", k_word_prefix, base64(text.substr(pos, end - pos)), k_word_suffix);
    pos = end;
  }
  return out;
}

// The length of the current line once `text` is appended to a line `line` characters long.
std::size_t line_after(std::size_t line, std::string_view text) {
  const std::size_t fold = text.rfind('\n');
  return fold == k_npos ? line + text.size() : text.size() - fold - 1;
}

std::string encode_mailbox_at(const Mailbox& mailbox, std::size_t used) {
  const std::string& raw = mailbox.name;
  if (raw.empty()) {
    return mailbox.address;
  }
  std::string name = raw;
  if (needs_encoding(raw)) {
    name = encode_words(raw, used);
  } else if (raw.find_first_of(k_specials) != k_npos || raw.front() == ' ' || raw.back() == ' ') {
    name = "\"";
    for (char c : raw) {
      if (c == '"' || c == '\\') {
        name += '\\';
      }
      name += c;
    }
    name += '"';
  }
  const std::string angle = "<" + mailbox.address + ">";
  name += line_after(used, name) + 1 + angle.size() > k_max_line ? "\n " : " ";
  return name + angle;
}

std::string address_list(const std::vector<Mailbox>& mailboxes, std::size_t used) {
  std::string out;
  std::size_t line = used;
  for (const Mailbox& mailbox : mailboxes) {
    std::string item = encode_mailbox_at(mailbox, out.empty() ? line : line + 2);
    if (!out.empty()) {
      // A mailbox that does not fit whole on this line starts the next one, so that a name
      // is not split into a stub here and the rest below.
      const bool fold = item.find('\n') != k_npos || line + 2 + item.size() > k_max_line;
      item = fold ? encode_mailbox_at(mailbox, 1) : item;
      out += fold ? ",\n " : ", ";
      line = fold ? 1 : line + 2;
    }
    out += item;
    line = line_after(line, item);
  }
  return out;
}

void append_header(std::string& out, std::string_view name, std::string_view value) {
  out += fmt::format("{}:{}{}\n", name, value.empty() ? "" : " ", value);
}

// Rejects what would break the header block: line breaks (header injection) and bytes that
// are not UTF-8 (no charset label would be true for them).
void check_header_text(std::string_view what, std::string_view value) {
  if (has_line_break(value)) {
    throw Error(fmt::format("{} {:?} contains a line break; put it on one line", what, value));
  }
  if (first_invalid_utf8(value) != k_npos) {
    throw Error(fmt::format("{} {:?} is not valid UTF-8; write it in UTF-8", what, value));
  }
}

void check_mailbox(const Mailbox& mailbox, std::string_view header) {
  check_header_text(fmt::format("display name in {}", header), mailbox.name);
  if (auto problem = address_problem(mailbox.address)) {
    throw Error(fmt::format("invalid address {:?} in {}: {}; write it as local@domain",
                            mailbox.address, header, *problem));
  }
}

void check_field_name(std::string_view name) {
  // RFC 5322 field-name: printable ASCII except ':'.
  if (name.empty() || !std::all_of(name.begin(), name.end(),
                                   [](char c) { return c > ' ' && c <= '~' && c != ':'; })) {
    throw Error(fmt::format(
        "invalid header name {:?}: use letters, digits and '-', e.g. X-PM-Entry", name));
  }
  std::string lower(name);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; });
  if (std::find(k_own_headers.begin(), k_own_headers.end(), lower) != k_own_headers.end()) {
    throw Error(fmt::format("extra header {} repeats a header pm writes itself; remove it", name));
  }
}

void append_qp_line(std::string& out, std::string_view line) {
  auto token_at = [&](std::size_t i, bool line_start) {
    const unsigned char byte = byte_at(line, i);
    const bool last = i + 1 == line.size();
    bool literal = (byte > ' ' && byte <= '~' && byte != '=') ||
                   ((byte == ' ' || byte == '\t') && !last);  // transports strip trailing blanks
    // A lone "." ends the message for a sendmail run without -i, and mbox delivery mangles a
    // leading "From ": encoding the first byte of such lines keeps both intact.
    if (line_start && (byte == '.' || line.substr(i).starts_with("From "))) {
      literal = false;
    }
    return literal ? std::string(1, static_cast<char>(byte)) : fmt::format("={:02X}", byte);
  };
  std::size_t used = 0;
  for (std::size_t i = 0; i < line.size(); ++i) {
    std::string token = token_at(i, used == 0);
    // The last token may fill the line; any other leaves room for the soft break's '='.
    if (used + token.size() > (i + 1 == line.size() ? k_max_qp_line : k_max_qp_line - 1)) {
      out += "=\n";
      used = 0;
      token = token_at(i, true);
    }
    out += token;
    used += token.size();
  }
}

// A body as the text-only message carries it: its Content-Transfer-Encoding and its
// encoded lines, ending in '\n'.
struct EncodedText {
  std::string_view encoding;
  std::string encoded;
};

EncodedText encode_text(const std::string& body) {
  // Quoted-printable keeps mostly-ASCII text readable; for text that is mostly Cyrillic it
  // would triple the size, and base64 is both shorter and just as safe.
  const auto non_ascii = static_cast<std::size_t>(std::count_if(
      body.begin(), body.end(), [](char c) { return (c & 0x80) != 0; }));
  if (non_ascii * 3 > body.size()) {
    const std::string encoded = base64(body);
    std::string out;
    for (std::size_t at = 0; at < encoded.size(); at += k_max_qp_line) {
      out += encoded.substr(at, k_max_qp_line) + "\n";
    }
    return {"base64", out};
  }
  return {"quoted-printable", quoted_printable(body) + (body.ends_with('\n') ? "" : "\n")};
}

// "=_pm_" and a hash of the parts. Neither part can hold it: "=_" occurs in no quoted-printable
// text ('=' starts "=XX" or a soft break) and in no base64 ('_' is not in its alphabet). The
// hash makes it differ between messages, and the same message gives the same bytes.
std::string make_boundary(std::string_view text, std::string_view html) {
  std::uint64_t hash = 0xcbf29ce484222325ULL;  // 64-bit FNV-1a
  for (std::string_view part : {text, std::string_view("\0", 1), html}) {
    for (char c : part) {
      hash = (hash ^ static_cast<unsigned char>(c)) * 0x100000001b3ULL;
    }
  }
  return fmt::format("=_pm_{:016x}", hash);
}

}  // namespace

std::string encode_header_text(std::string_view utf8, std::size_t first_line_used) {
  if (needs_encoding(utf8)) {
    return encode_words(utf8, first_line_used);
  }
  // A word too long for a line (a 1,200-letter --set value) cannot be folded: such text is
  // encoded instead, which may split the word.
  std::string folded = fold_ascii(utf8, first_line_used);
  for (std::size_t start = 0, line = first_line_used; start <= folded.size(); line = 0) {
    const std::size_t end = std::min(folded.find('\n', start), folded.size());
    if (line + end - start > k_max_line) {
      return encode_words(utf8, first_line_used);
    }
    start = end + 1;
  }
  return folded;
}

std::string encode_mailbox(const Mailbox& mailbox) { return encode_mailbox_at(mailbox, 0); }

std::string quoted_printable(std::string_view text) {
  std::string out;
  for (std::size_t start = 0;;) {
    const std::size_t end = text.find('\n', start);
    append_qp_line(out, text.substr(start, end == k_npos ? k_npos : end - start));
    if (end == k_npos) {
      return out;
    }
    out += '\n';
    start = end + 1;
  }
}

std::string rfc5322_date(std::chrono::sys_seconds when, std::chrono::minutes utc_offset) {
  using namespace std::chrono;
  static constexpr std::array<std::string_view, 7> k_weekdays = {"Sun", "Mon", "Tue", "Wed",
                                                                 "Thu", "Fri", "Sat"};
  static constexpr std::array<std::string_view, 12> k_months = {
      "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const long offset = static_cast<long>(utc_offset.count());
  if (std::labs(offset) >= 24 * 60) {
    throw Error(fmt::format("UTC offset of {} minutes is out of range; use one within ±23:59",
                            offset));
  }
  const auto local = when + utc_offset;  // the wall clock at that offset
  const sys_days day = floor<days>(local);
  const year_month_day date{day};
  const hh_mm_ss time{local - day};
  return fmt::format("{}, {:02} {} {:04} {:02}:{:02}:{:02} {}{:02}{:02}",
                     k_weekdays[weekday{day}.c_encoding()], static_cast<unsigned>(date.day()),
                     k_months[static_cast<unsigned>(date.month()) - 1],
                     static_cast<int>(date.year()), time.hours().count(), time.minutes().count(),
                     time.seconds().count(), offset < 0 ? '-' : '+', std::labs(offset) / 60,
                     std::labs(offset) % 60);
}

std::string make_message_id(std::string_view seed, std::chrono::sys_seconds when,
                            std::string_view domain) {
  // 64-bit FNV-1a: the same on every platform and run, unlike std::hash.
  const std::string time = std::to_string(when.time_since_epoch().count());
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  for (char c : std::string(seed) + '\0' + time) {
    hash = (hash ^ static_cast<unsigned char>(c)) * 0x100000001b3ULL;
  }
  const std::string_view host = domain.empty() ? k_fallback_domain : domain;
  if (auto problem = domain_problem(host)) {
    throw Error(fmt::format("cannot make a Message-ID: {}; fix the From address", *problem));
  }
  return fmt::format("{:016x}.{}@{}", hash, time, host);
}

std::string build_message(const Message& message) {
  const std::array<std::pair<std::string_view, const std::vector<Mailbox>*>, 3> lists = {
      {{"To", &message.to}, {"Cc", &message.cc}, {"Bcc", &message.bcc}}};
  check_mailbox(message.from, "From");
  for (const auto& [header, list] : lists) {
    for (const Mailbox& mailbox : *list) {
      check_mailbox(mailbox, header);
    }
  }
  if (message.to.empty() && message.cc.empty() && message.bcc.empty()) {
    throw Error("the message has no recipient; add a To, Cc or Bcc address");
  }
  check_header_text("header Subject", message.subject);
  for (const auto& [name, value] : message.extra_headers) {
    check_field_name(name);
    check_header_text(fmt::format("header {}", name), value);
  }
  // make_message_id's "hash.time@domain" has the shape of an addr-spec, so that check fits.
  if (address_problem(message.message_id)) {
    throw Error(fmt::format("invalid Message-ID {:?}: expected left@domain without angle brackets "
                            "(make_message_id makes one)",
                            message.message_id));
  }
  // The body may quote a ledger that holds bytes that are not UTF-8 or controls (an older
  // one): they are shown (U+FFFD, "\x1b"), never passed to a mail client raw.
  const std::string body = printable_text(message.body);

  std::string out;
  append_header(out, "Date", rfc5322_date(message.date, message.utc_offset));
  append_header(out, "From", encode_mailbox_at(message.from, 6));
  for (const auto& [header, list] : lists) {
    if (!list->empty()) {
      append_header(out, header, address_list(*list, header.size() + 2));
    }
  }
  append_header(out, "Subject", encode_header_text(message.subject, 9));
  append_header(out, "Message-ID", "<" + message.message_id + ">");
  append_header(out, "MIME-Version", "1.0");
  const EncodedText text = encode_text(body);
  std::string boundary;
  if (message.html.empty()) {
    append_header(out, "Content-Type", "text/plain; charset=utf-8");
    append_header(out, "Content-Transfer-Encoding", text.encoding);
  } else {
    if (first_invalid_utf8(message.html) != k_npos) {
      throw Error("the HTML part is not valid UTF-8; it cannot be sent as charset=utf-8");
    }
    boundary = make_boundary(text.encoded, message.html);
    append_header(out, "Content-Type", fmt::format("multipart/alternative; boundary=\"{}\"",
                                                   boundary));
  }
  for (const auto& [name, value] : message.extra_headers) {
    // X-PM-* values are tokens scripts read (X-PM-Ledger's N:HASH): one too long for a line
    // stays whole, within RFC 5322's 998, rather than being encoded out of a script's reach.
    append_header(out, name,
                  needs_encoding(value) ? encode_words(value, name.size() + 2)
                                        : fold_ascii(value, name.size() + 2));
  }
  out += "\n";
  if (message.html.empty()) {
    return out + text.encoded;
  }
  // Each part's last line break is its own; the one before "--boundary" belongs to the
  // delimiter (RFC 2046 5.1.1), so the text part decodes to what the text-only body does.
  out += fmt::format("--{}\nContent-Type: text/plain; charset=utf-8\n"
                     "Content-Transfer-Encoding: {}\n\n{}\n",
                     boundary, text.encoding, text.encoded);
  out += fmt::format("--{}\nContent-Type: text/html; charset=utf-8\n"
                     "Content-Transfer-Encoding: quoted-printable\n\n{}\n",
                     boundary, quoted_printable(message.html));
  return out + fmt::format("--{}--\n", boundary);
}

}  // namespace pm
