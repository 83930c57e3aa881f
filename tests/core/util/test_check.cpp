// The door's checks and the printers' escapes (pm/util/check.hpp).
#include <catch2/catch.hpp>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "pm/util/check.hpp"

using namespace pm;

TEST_CASE("invalid_utf8_at finds the first byte that is not well-formed UTF-8", "[check]") {
  CHECK(valid_utf8(""));
  CHECK(valid_utf8("plain ASCII"));
  CHECK(valid_utf8("Ведомость \xE2\x8F\x8E \xF0\x9F\x98\x80"));
  CHECK(invalid_utf8_at("caf\xC3\x28") == 3);          // a lead byte without its tail
  CHECK(invalid_utf8_at("a\x80") == 1);                 // a lone continuation byte
  CHECK(invalid_utf8_at("\xC0\xAF") == 0);              // overlong "/"
  CHECK(invalid_utf8_at("\xE0\x80\xAF") == 0);          // overlong, three bytes
  CHECK(invalid_utf8_at("x\xED\xA0\x80") == 1);         // a UTF-16 surrogate
  CHECK(invalid_utf8_at("\xF4\x90\x80\x80") == 0);      // past U+10FFFF
  CHECK(invalid_utf8_at("Ведомость\xD0") == 18);       // Cyrillic, then a lead at the end
  CHECK(invalid_utf8_at("Д\xD0\x28") == 2);             // a lead byte without its tail
  CHECK(invalid_utf8_at("Д\xC2\x85") == std::string::npos);  // C1 is well-formed
  CHECK(invalid_utf8_at("ok\xE2\x8F") == 2);            // cut short at the end
  CHECK(invalid_utf8_at("\xFF") == 0);
}

TEST_CASE("check_line refuses line breaks, C0, C1, DEL, bad UTF-8 and long values", "[check]") {
  CHECK_NOTHROW(check_line("--with", "Ivan Sidorov, Ольга"));
  CHECK_THROWS_WITH(check_line("--with", "Ivan\nX"),
                    "--with: contains a line break (LF), which it may not hold; give it on one "
                    "line, without control characters");
  CHECK_THROWS_WITH(check_line("--by", "a\rb"), Catch::Contains("--by: contains a carriage return"));
  CHECK_THROWS_WITH(check_line("--tag", "a\tb"), Catch::Contains("a tab"));
  CHECK_THROWS_WITH(check_line("x", "a\x1B"), Catch::Contains("U+001B"));
  CHECK_THROWS_WITH(check_line("x", "a\x7F"), Catch::Contains("U+007F"));
  CHECK_THROWS_WITH(check_line("x", "a\xC2\x85"), Catch::Contains("U+0085"));
  CHECK_THROWS_WITH(check_line("x", std::string("a\0b", 3)), Catch::Contains("U+0000"));
  CHECK_THROWS_WITH(check_line("x", "caf\xC3\x28"),
                    Catch::Contains("x: not valid UTF-8 (byte 0xc3 at offset 3)"));
  CHECK_NOTHROW(check_line("x", std::string(k_line_limit, 'a')));
  CHECK_THROWS_WITH(check_line("x", std::string(k_line_limit + 1, 'a')),
                    Catch::Contains("longer than 4096 bytes"));
  try {
    check_line("--with", "a\nb", Exit::usage);
    FAIL("no error");
  } catch (const Error& e) {
    CHECK(e.code() == Exit::usage);
  }
}

TEST_CASE("check_text allows LF and TAB only", "[check]") {
  CHECK_NOTHROW(check_text("text", "one\n\ttwo\n"));
  CHECK_THROWS_WITH(check_text("text", "one\r\ntwo"), Catch::Contains("carriage return"));
  CHECK_THROWS_WITH(check_text("text", "\x1B[2J"), Catch::Contains("U+001B"));
  CHECK_NOTHROW(check_text("text", std::string(k_text_limit, 'a')));
  CHECK_THROWS(check_text("text", std::string(k_text_limit + 1, 'a')));
}

TEST_CASE("read_file_limited stops at the limit, read_line_limited too", "[check]") {
  CHECK_THROWS_WITH(read_file_limited("/dev/zero", 1024 * 1024, "--data /dev/zero"),
                    Catch::Contains("--data /dev/zero: larger than 1024 KiB"));
  CHECK_THROWS_WITH(read_file_limited("/nonexistent/x", 10, "x"), Catch::Contains("cannot read"));
  const std::string file = "check_test_file.txt";
  std::ofstream(file) << "hello\n";
  CHECK(read_file_limited(file, 6, "f") == "hello\n");
  CHECK_THROWS(read_file_limited(file, 5, "f"));
  std::remove(file.c_str());
  std::istringstream in("short\nlonger line\nlast");
  std::string line;
  CHECK(read_line_limited(in, line, 11, "in"));
  CHECK(line == "short");
  CHECK(read_line_limited(in, line, 11, "in"));
  CHECK(line == "longer line");
  CHECK(read_line_limited(in, line, 11, "in"));
  CHECK(line == "last");
  CHECK(!read_line_limited(in, line, 11, "in"));
  std::istringstream endless(std::string(100, 'x'));
  CHECK_THROWS_WITH(read_line_limited(endless, line, 10, "in:2"), Catch::StartsWith("in:2: a line"));
  std::istringstream stream(std::string(100, 'x'));
  CHECK_THROWS(read_stream_limited(stream, 99, "stdin"));
}

TEST_CASE("check_file_text names the line, CRLF line ends are fine", "[check]") {
  CHECK_NOTHROW(check_file_text("f.yaml", "a: 1\r\nb: \"\t\"\r\n"));
  CHECK_THROWS_WITH(check_file_text("f.yaml", "a: 1\nb: 2\nc: \x1B\n"),
                    Catch::StartsWith("f.yaml:3: contains the control character U+001B"));
  CHECK_THROWS_WITH(check_file_text("f.yaml", "a: 1\nb: caf\xC3\x28"),
                    Catch::StartsWith("f.yaml:2: not valid UTF-8"));
  std::size_t line = 0;
  CHECK(file_text_problem("ok\nok\n", line).empty());
}

TEST_CASE("printable_text and printable_line escape controls and replace bad bytes", "[check]") {
  CHECK(utf8_replaced("caf\xC3\x28") == "caf\xEF\xBF\xBD(");
  CHECK(utf8_replaced("fine") == "fine");
  CHECK(printable_text("a\x1B]0;X\x07\x1B[2J\r\nb\tc") == "a\\x1b]0;X\\x07\\x1b[2J\\r\nb\tc");
  CHECK(printable_text("\x7F\xC2\x85" "caf\xC3\x28") == "\\x7f\\u0085caf\xEF\xBF\xBD(");
  CHECK(printable_line("one\ntwo\tthree") == "one\xE2\x8F\x8Etwo three");
  // pm's own bold and dim stay only when asked for; any other sequence never does.
  CHECK(printable_line("\x1B[1mbold\x1B[0m \x1B[2J", true) == "\x1B[1mbold\x1B[0m \\x1b[2J");
  CHECK(printable_line("\x1B[1mbold\x1B[0m") == "\\x1b[1mbold\\x1b[0m");
  CHECK(printable_text("Ведомость") == "Ведомость");
  // Long runs go eight bytes at a time: what stops them must still be found at any offset.
  const std::string words = "Ведомость готова, client: ok. ";
  for (std::size_t at = 0; at < 40; ++at) {
    std::string text = words + words;
    text.insert(std::min(at, text.size()), "\xC2\x85");
    std::string want = words + words;
    want.insert(std::min(at, want.size()), "\\u0085");
    if (valid_utf8(words.substr(0, std::min(at, words.size())))) {  // not inside a letter
      CHECK(printable_text(text) == want);
    }
    std::string bad = words + words;
    bad.insert(std::min(at, bad.size()), "\xD0");
    CHECK(invalid_utf8_at(bad) != std::string::npos);
  }
  CHECK(printable_text("Вед\xC2\x85омость\xD0") == "Вед\\u0085омость\xEF\xBF\xBD");
}

namespace {

/// Unicode's table 3-7, decoded plainly: the reference the fast paths are held to.
std::size_t reference_invalid_at(std::string_view s) {
  auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  for (std::size_t i = 0; i < s.size();) {
    const unsigned c = b(i);
    std::size_t length = c < 0x80 ? 1 : c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3
                                      : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
    if (length == 0 || i + length > s.size()) {
      return i;
    }
    unsigned lo = 0x80, hi = 0xBF;  // the second byte's range
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
    for (std::size_t k = 1; k < length; ++k) {
      if (b(i + k) < (k == 1 ? lo : 0x80) || b(i + k) > (k == 1 ? hi : 0xBF)) {
        return i;
      }
    }
    i += length;
  }
  return std::string_view::npos;
}

}  // namespace

TEST_CASE("invalid_utf8_at and printable_text agree with a plain decoder on random text",
          "[check]") {
  // Bytes drawn from what matters: ASCII, controls, Cyrillic leads and tails, C2 (C1), longer
  // leads, stray bytes; so that eight-byte runs start, break and end everywhere.
  const unsigned char pool[] = {'a', ' ', '"', '\\', 0x7F, 0x1B, '\n', 0xD0, 0xD1, 0x94, 0xBE,
                                0x80, 0xC2, 0x85, 0xC3, 0xE2, 0x84, 0x96, 0xF0, 0x9F, 0xC0, 0xFF};
  std::uint32_t state = 12345;
  auto next = [&] {
    state = state * 1664525u + 1013904223u;
    return state >> 8;
  };
  for (int round = 0; round < 20000; ++round) {
    std::string s;
    const std::size_t length = next() % 40;
    for (std::size_t k = 0; k < length; ++k) {
      // Mostly whole Cyrillic letters and spaces, sometimes anything from the pool.
      const std::uint32_t r = next() % 10;
      if (r < 5) {
        s += "д";
      } else if (r < 7) {
        s += ' ';
      } else {
        s += static_cast<char>(pool[next() % sizeof pool]);
      }
    }
    CAPTURE(s);
    REQUIRE(invalid_utf8_at(s) == reference_invalid_at(s));
    const std::string out = printable_text(s);
    CHECK(valid_utf8(out));
    CHECK(out.find_first_of(std::string("\x1B\x7F\r", 3)) == std::string::npos);
    CHECK(out.find("\xC2\x85") == std::string::npos);
  }
}
