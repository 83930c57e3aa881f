#include "pm/util/check.hpp"

#include <array>
#include <bit>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

#include <fmt/format.h>

#include "pm/util/json.hpp"

namespace pm {

namespace {

/// The length of the well-formed UTF-8 sequence at `text[i]`, or 0 when there is none
/// (the Unicode standard's table 3-7).
std::size_t sequence_at(std::string_view text, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char c = byte(i);
  const std::size_t left = text.size() - i;
  if (c < 0x80) {
    return 1;
  }
  auto tail = [&](std::size_t k) { return (byte(k) & 0xC0) == 0x80; };
  if (c >= 0xC2 && c <= 0xDF) {
    return left >= 2 && tail(i + 1) ? 2 : 0;
  }
  if (c >= 0xE0 && c <= 0xEF) {
    if (left < 3 || !tail(i + 1) || !tail(i + 2)) {
      return 0;
    }
    const unsigned char c1 = byte(i + 1);
    if ((c == 0xE0 && c1 < 0xA0) || (c == 0xED && c1 > 0x9F)) {
      return 0;  // overlong, or a UTF-16 surrogate
    }
    return 3;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if (left < 4 || !tail(i + 1) || !tail(i + 2) || !tail(i + 3)) {
      return 0;
    }
    const unsigned char c1 = byte(i + 1);
    if ((c == 0xF0 && c1 < 0x90) || (c == 0xF4 && c1 > 0x8F)) {
      return 0;  // overlong, or past U+10FFFF
    }
    return 4;
  }
  return 0;
}

/// What a byte starts, for the skip over text that needs nothing done: printable ASCII, a
/// character JSON escapes (`"` and `\`), a 2-byte sequence's lead that is never C1 (C3..DF),
/// or anything else (a control, a C2 lead, a longer sequence, a stray byte).
enum ByteClass : unsigned char { k_ascii, k_json_special, k_lead2, k_other };

constexpr std::array<ByteClass, 256> byte_classes() {
  std::array<ByteClass, 256> table{};
  for (int c = 0; c < 256; ++c) {
    table[c] = c >= 0x20 && c < 0x7F ? k_ascii : (c >= 0xC3 && c <= 0xDF ? k_lead2 : k_other);
  }
  table['"'] = k_json_special;
  table['\\'] = k_json_special;
  return table;
}
constexpr std::array<ByteClass, 256> k_byte_class = byte_classes();

constexpr std::uint64_t k_ones = 0x0101010101010101ULL;
constexpr std::uint64_t k_high = 0x8080808080808080ULL;

/// Whether a byte of `w` is zero (exact as a whole, the SWAR way).
constexpr bool has_zero(std::uint64_t w) { return ((w - k_ones) & ~w & k_high) != 0; }

/// Whether the 8 bytes of `w` are all printable ASCII (and none `"` or `\` when `json`).
constexpr bool printable_ascii8(std::uint64_t w, bool json) {
  return (w & k_high) == 0 && ((w - 0x20 * k_ones) & ~w & k_high) == 0 &&  // none below 0x20
         ((w + k_ones) & k_high) == 0 &&                                     // no DEL
         !(json && (has_zero(w ^ ('"' * k_ones)) || has_zero(w ^ ('\\' * k_ones))));
}

/// Whether the 8 bytes of `w` (little-endian) are four two-byte letters with leads C3..DF:
/// each lead 110xxxxx with its low bits at least 3, each tail 10xxxxxx.
constexpr bool letters2x4(std::uint64_t w) {
  constexpr std::uint64_t lanes = 0x8000800080008000ULL;
  return (w & 0xC0E0C0E0C0E0C0E0ULL) == 0x80C080C080C080C0ULL &&
         (((w & 0x001F001F001F001FULL) + 0x7FFD7FFD7FFD7FFDULL) & lanes) == lanes;
}

static_assert(letters2x4(0x94D094D094D094D0ULL));   // "ДДДД"
static_assert(!letters2x4(0x94D094D094D085C2ULL));  // U+0085 (C1), then "ДДД"
static_assert(!letters2x4(0x94D094D094D0AFC1ULL));  // an overlong lead
static_assert(!letters2x4(0x94D094D02094D094ULL));  // out of step with the letters
static_assert(printable_ascii8(0x2172656E6E616C50ULL, true));    // "Planner!"
static_assert(!printable_ascii8(0x2172656E6E612250ULL, true));   // a quote
static_assert(printable_ascii8(0x2172656E6E612250ULL, false));
static_assert(!printable_ascii8(0x2172656E6E617F50ULL, false));  // DEL
static_assert(!printable_ascii8(0x2172656E6E611B50ULL, false));  // ESC

/// The first offset from `i` where `text` holds something other than printable ASCII (`"` and
/// `\` count as such when `json`) and 2-byte characters outside C1 (Cyrillic, Latin accents):
/// most of pm's text, passed over eight bytes at a time where it can be, else without the
/// full UTF-8 table.
std::size_t plain_until(std::string_view text, std::size_t i, bool json) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  while (i < n) {
    if (i + 8 <= n) {
      std::uint64_t w;
      std::memcpy(&w, p + i, 8);
      if (printable_ascii8(w, json) ||
          (std::endian::native == std::endian::little && letters2x4(w))) {
        i += 8;
        continue;
      }
    }
    const ByteClass k = k_byte_class[p[i]];
    if (k == k_ascii || (k == k_json_special && !json)) {
      ++i;
    } else if (k == k_lead2 && i + 1 < n && (p[i + 1] & 0xC0) == 0x80) {
      i += 2;
    } else {
      break;
    }
  }
  return i;
}

/// The code point of a 2-byte sequence in C1 (U+0080..U+009F), or -1.
int c1_at(std::string_view text, std::size_t i, std::size_t length) {
  if (length == 2 && static_cast<unsigned char>(text[i]) == 0xC2 &&
      static_cast<unsigned char>(text[i + 1]) <= 0x9F) {
    return static_cast<unsigned char>(text[i + 1]);
  }
  return -1;
}

std::string control_name(int c) {
  switch (c) {
    case '\n':
      return "a line break (LF)";
    case '\r':
      return "a carriage return (CR)";
    case '\t':
      return "a tab";
    default:
      return fmt::format("the control character U+{:04X}", c);
  }
}

/// pm's own colour sequences (src/cli: bold, dim and the reset after them).
std::size_t style_at(std::string_view text, std::size_t i) {
  for (std::string_view style : {"\033[0m", "\033[1m", "\033[2m", "\033[31m"}) {
    if (text.substr(i, style.size()) == style) {
      return style.size();
    }
  }
  return 0;
}

std::string printable(std::string_view text, bool keep_style, bool one_line) {
  std::string out;
  out.reserve(text.size());
  // What is printable is copied in runs: a report is mostly plain text.
  std::size_t run = 0;
  auto flush = [&](std::size_t i) {
    out.append(text.data() + run, i - run);
  };
  for (std::size_t i = plain_until(text, 0, false); i < text.size();
       i = plain_until(text, i, false)) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (!one_line && (c == '\n' || c == '\t')) {
      ++i;
      continue;
    }
    const std::size_t length = sequence_at(text, i);
    if (length > 1 && c1_at(text, i, length) < 0) {
      i += length;
      continue;
    }
    flush(i);
    if (length == 0) {
      out += "\xEF\xBF\xBD";  // U+FFFD
      ++i;
    } else if (length == 1) {  // a control character
      if (const std::size_t style = keep_style ? style_at(text, i) : 0; style != 0) {
        out.append(text.substr(i, style));
        i += style;
      } else {
        if (c == '\n') {
          out += one_line ? "\xE2\x8F\x8E" : "\n";  // U+23CE RETURN SYMBOL
        } else if (c == '\t') {
          out += one_line ? " " : "\t";
        } else if (c == '\r') {
          out += "\\r";
        } else {
          out += fmt::format("\\x{:02x}", c);
        }
        ++i;
      }
    } else {
      out += fmt::format("\\u{:04x}", c1_at(text, i, length));
      i += length;
    }
    run = i;
  }
  flush(text.size());
  return out;
}

[[noreturn]] void too_large(std::string_view what, std::size_t limit) {
  throw Error(fmt::format("{}: larger than {} KiB, the limit for it (docs/reliability.md); is "
                          "it the right file?",
                          what, limit / 1024));
}

}  // namespace

std::size_t invalid_utf8_at(std::string_view text) {
  for (std::size_t i = plain_until(text, 0, false); i < text.size();
       i = plain_until(text, i, false)) {
    if (static_cast<unsigned char>(text[i]) < 0x80) {
      ++i;  // a control: well-formed UTF-8
      continue;
    }
    const std::size_t length = sequence_at(text, i);
    if (length == 0) {
      return i;
    }
    i += length;
  }
  return std::string_view::npos;
}

std::string text_problem(std::string_view text, bool multi_line, std::size_t limit) {
  if (text.size() > limit) {
    return fmt::format("longer than {} bytes, the limit for it ({} given)", limit, text.size());
  }
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t length = sequence_at(text, i);
    if (length == 0) {
      return fmt::format("not valid UTF-8 (byte 0x{:02x} at offset {}); give the text in UTF-8",
                         static_cast<unsigned char>(text[i]), i);
    }
    const auto c = static_cast<unsigned char>(text[i]);
    int control = -1;
    if (length == 1 && (c < 0x20 || c == 0x7F)) {
      control = c;
    } else {
      control = c1_at(text, i, length);
    }
    if (control >= 0 && !(multi_line && (control == '\n' || control == '\t'))) {
      return fmt::format("contains {}, which it may not hold{}", control_name(control),
                         multi_line ? " (only line breaks and tabs are allowed)"
                                    : "; give it on one line, without control characters");
    }
    i += length;
  }
  return "";
}

void check_line(std::string_view field, std::string_view text, Exit code, std::size_t limit) {
  if (std::string problem = text_problem(text, false, limit); !problem.empty()) {
    throw Error(fmt::format("{}: {}", field, problem), code);
  }
}

void check_text(std::string_view field, std::string_view text, Exit code, std::size_t limit) {
  if (std::string problem = text_problem(text, true, limit); !problem.empty()) {
    throw Error(fmt::format("{}: {}", field, problem), code);
  }
}

std::string read_file_limited(const std::filesystem::path& file, std::size_t limit,
                              std::string_view what) {
  // O_NONBLOCK so that opening a FIFO without a writer does not hang; cleared right after,
  // so reading it waits for its writer as usual.
  int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) {
    throw Error(fmt::format("cannot read {}: {}", file.string(), std::strerror(errno)));
  }
  if (int flags = ::fcntl(fd, F_GETFL); flags >= 0) {
    ::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
  }
  std::string content;
  char buffer[65536];
  for (;;) {
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n < 0) {
      int error = errno;
      ::close(fd);
      throw Error(fmt::format("cannot read {}: {}", file.string(), std::strerror(error)));
    }
    if (n == 0) {
      break;
    }
    if (content.size() + static_cast<std::size_t>(n) > limit) {
      ::close(fd);
      too_large(what, limit);
    }
    content.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return content;
}

std::string read_stream_limited(std::istream& in, std::size_t limit, std::string_view what) {
  std::string content;
  char buffer[65536];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    if (content.size() + static_cast<std::size_t>(in.gcount()) > limit) {
      too_large(what, limit);
    }
    content.append(buffer, static_cast<std::size_t>(in.gcount()));
  }
  return content;
}

bool read_line_limited(std::istream& in, std::string& line, std::size_t limit,
                       std::string_view what) {
  line.clear();
  std::streambuf* buffer = in.rdbuf();
  for (;;) {
    const int c = buffer->sbumpc();
    if (c == std::char_traits<char>::eof()) {
      in.setstate(std::ios::eofbit);
      return !line.empty();
    }
    if (c == '\n') {
      return true;
    }
    if (line.size() == limit) {
      throw Error(fmt::format("{}: a line longer than {} KiB, the limit for one; is it the right "
                              "file?",
                              what, limit / 1024));
    }
    line.push_back(static_cast<char>(c));
  }
}

std::string file_text_problem(std::string_view content, std::size_t& line_number) {
  line_number = 1;
  for (std::size_t start = 0; start < content.size(); ++line_number) {
    std::size_t end = content.find('\n', start);
    std::string_view line =
        content.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    if (!line.empty() && line.back() == '\r') {
      line.remove_suffix(1);  // CRLF line ends, as some editors write
    }
    if (std::string problem = text_problem(line, true, content.size()); !problem.empty()) {
      return problem;
    }
    if (end == std::string_view::npos) {
      break;
    }
    start = end + 1;
  }
  return "";
}

void check_file_text(std::string_view name, std::string_view content) {
  std::size_t line = 0;
  if (std::string problem = file_text_problem(content, line); !problem.empty()) {
    throw Error(fmt::format("{}:{}: {}", name, line, problem));
  }
}

std::string utf8_replaced(std::string_view text) {
  if (valid_utf8(text)) {
    return std::string(text);
  }
  std::string out;
  out.reserve(text.size() + 8);
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t length = sequence_at(text, i);
    if (length == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
    } else {
      out.append(text.substr(i, length));
      i += length;
    }
  }
  return out;
}

void append_printable_json_string(std::string& out, std::string_view text) {
  out += '"';
  for (std::size_t i = 0, run = 0;;) {
    i = plain_until(text, i, true);
    out.append(text.data() + run, i - run);
    if (i == text.size()) {
      break;
    }
    const std::size_t length = sequence_at(text, i);
    if (length == 0) {
      out += "\xEF\xBF\xBD";  // U+FFFD
      ++i;
    } else if (length == 1) {  // `"`, `\`, the C0 controls and DEL
      append_json_escape(out, static_cast<unsigned char>(text[i]));
      ++i;
    } else if (const int c1 = c1_at(text, i, length); c1 >= 0) {
      append_json_escape(out, static_cast<unsigned>(c1));
      i += length;
    } else {
      out.append(text.data() + i, length);
      i += length;
    }
    run = i;
  }
  out += '"';
}

std::string printable_text(std::string_view text, bool keep_style) {
  return printable(text, keep_style, false);
}

std::string printable_line(std::string_view text, bool keep_style) {
  return printable(text, keep_style, true);
}

}  // namespace pm
