#include "pm/util/check.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

#include <fmt/format.h>

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
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    if ((c >= 0x20 && c < 0x7F) || (!one_line && (c == '\n' || c == '\t'))) {
      ++i;
      continue;
    }
    // A well-formed two-byte letter past U+00BF (Cyrillic, Greek, accented Latin): printable,
    // and decided here without the general check (only C2 leads to the C1 controls).
    if (c >= 0xC3 && c <= 0xDF && i + 1 < text.size() &&
        (static_cast<unsigned char>(text[i + 1]) & 0xC0) == 0x80) {
      i += 2;
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
  for (std::size_t i = 0; i < text.size();) {
    // ASCII runs are most of pm's text: skip them a byte at a time without the table.
    if (static_cast<unsigned char>(text[i]) < 0x80) {
      ++i;
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

std::string printable_text(std::string_view text, bool keep_style) {
  return printable(text, keep_style, false);
}

std::string printable_line(std::string_view text, bool keep_style) {
  return printable(text, keep_style, true);
}

}  // namespace pm
