// Text from mail made safe for pm (mail_text.hpp).
#include "mail_text.hpp"

#include <cstdint>

#include "pm/util/check.hpp"
#include "pm/util/text.hpp"

namespace pm::mail_text {
namespace {

// C0 controls, DEL and C1 controls (U+0080..U+009F) of valid UTF-8 as spaces; with
// `multi_line`, LF and TAB stay.
std::string without_controls(std::string_view valid, bool multi_line) {
  std::string out;
  out.reserve(valid.size());
  for (std::size_t i = 0; i < valid.size(); ++i) {
    auto c = static_cast<unsigned char>(valid[i]);
    if (c < 0x20 || c == 0x7f) {
      out += multi_line && (c == '\n' || c == '\t') ? static_cast<char>(c) : ' ';
    } else if (c == 0xc2 && i + 1 < valid.size() &&
               static_cast<unsigned char>(valid[i + 1]) <= 0x9f) {
      out += ' ';  // a C1 control: in valid UTF-8 the next byte is 0x80..0x9f
      ++i;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

// The bytes of lenient base64 (characters outside the alphabet skipped, '=' ends it).
std::string base64_bytes(std::string_view text) {
  static constexpr std::string_view k_alphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::uint32_t bits = 0;
  int count = 0;
  for (char c : text) {
    if (c == '=') {
      break;
    }
    std::size_t value = k_alphabet.find(c);
    if (value == std::string_view::npos) {
      continue;
    }
    bits = (bits << 6) | static_cast<std::uint32_t>(value);
    count += 6;
    if (count >= 8) {
      count -= 8;
      out += static_cast<char>((bits >> count) & 0xff);
    }
  }
  return out;
}

}  // namespace

std::string clean_line(const char* text) {
  if (text == nullptr) {
    return {};
  }
  std::string valid = utf8_replaced(text);
  std::string unfolded;
  unfolded.reserve(valid.size());
  for (std::size_t i = 0; i < valid.size(); ++i) {
    char c = valid[i];
    if (c == '\r' || c == '\n') {
      char next = i + 1 < valid.size() ? valid[i + 1] : ' ';
      if (next == ' ' || next == '\t' || next == '\r' || next == '\n') {
        continue;
      }
      c = ' ';
    }
    unfolded += c;
  }
  return trimmed(without_controls(unfolded, false));
}

std::string cut_utf8(std::string text, std::size_t limit) {
  if (text.size() <= limit) {
    return text;
  }
  std::size_t end = limit;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xc0) == 0x80) {
    --end;
  }
  text.resize(end);
  return text;
}

std::string clean_text(std::string_view text, std::size_t limit) {
  std::string valid = utf8_replaced(text);
  std::string lines;
  lines.reserve(valid.size());
  for (std::size_t i = 0; i < valid.size(); ++i) {
    if (valid[i] == '\r') {
      lines += '\n';
      if (i + 1 < valid.size() && valid[i + 1] == '\n') {
        ++i;
      }
    } else {
      lines += valid[i];
    }
  }
  return cut_utf8(without_controls(lines, true), limit);
}

std::string prepared_header(std::string_view raw) {
  static constexpr std::string_view k_hex = "0123456789ABCDEF";
  std::string out;
  out.reserve(raw.size());
  std::size_t at = 0;
  while (at < raw.size()) {
    // =?charset?B?text?=
    std::size_t start = raw.find("=?", at);
    std::size_t charset_end = start == std::string_view::npos ? start : raw.find('?', start + 2);
    bool b_word = charset_end != std::string_view::npos && charset_end + 2 < raw.size() &&
                  (raw[charset_end + 1] == 'B' || raw[charset_end + 1] == 'b') &&
                  raw[charset_end + 2] == '?';
    std::size_t end = b_word ? raw.find("?=", charset_end + 3) : std::string_view::npos;
    if (end == std::string_view::npos ||
        raw.substr(start, end - start).find_first_of(" \t\r\n") != std::string_view::npos) {
      std::size_t stop = start == std::string_view::npos ? raw.size() : start + 2;
      out.append(raw.substr(at, stop - at));
      at = stop;
      continue;
    }
    out.append(raw.substr(at, start - at));
    out.append(raw.substr(start, charset_end - start)).append("?Q?");
    for (char c : base64_bytes(raw.substr(charset_end + 3, end - charset_end - 3))) {
      auto byte = static_cast<unsigned char>(c);
      out += '=';
      out += k_hex[byte >> 4];
      out += k_hex[byte & 0xf];
    }
    out += "?=";
    at = end + 2;
  }
  for (char& c : out) {
    auto byte = static_cast<unsigned char>(c);
    if ((byte < 0x20 && c != '\t' && c != '\r' && c != '\n') || byte == 0x7f) {
      c = ' ';
    }
  }
  return out;
}

}  // namespace pm::mail_text
