// Tests of message building: RFC 2047 headers, quoted-printable bodies, addresses, dates.
#include <algorithm>
#include <catch2/catch.hpp>

#include <cctype>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "pm/util/error.hpp"
#include "pm/mail/message.hpp"

using namespace std::chrono_literals;

namespace {

std::vector<std::string> split_lines(std::string_view text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) {
      end = text.size();
    }
    lines.emplace_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

std::string base64_decode(std::string_view text) {
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
    REQUIRE(value != std::string_view::npos);
    bits = (bits << 6) | static_cast<std::uint32_t>(value);
    count += 6;
    if (count >= 8) {
      count -= 8;
      out += static_cast<char>((bits >> count) & 0xff);
    }
  }
  return out;
}

// The encoded-words of a header value ("=?UTF-8?B?...?=" separated by "\n "), decoded one
// by one, so a test can check each of them on its own.
std::vector<std::string> decode_words(std::string_view value) {
  std::vector<std::string> words;
  for (const std::string& line : split_lines(value)) {
    std::string_view word = line;
    if (!word.empty() && word.front() == ' ') {
      word.remove_prefix(1);
    }
    REQUIRE(word.size() <= 75);
    REQUIRE(word.starts_with("=?UTF-8?B?"));
    REQUIRE(word.ends_with("?="));
    words.push_back(base64_decode(word.substr(10, word.size() - 12)));
  }
  return words;
}

std::string join(const std::vector<std::string>& parts) {
  std::string out;
  for (const std::string& part : parts) {
    out += part;
  }
  return out;
}

// True when `text` is well-formed UTF-8 (lead byte followed by the right continuations).
bool is_utf8(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    auto lead = static_cast<unsigned char>(text[i]);
    std::size_t length = lead < 0x80 ? 1 : (lead >> 5) == 0x6 ? 2 : (lead >> 4) == 0xe ? 3
                                         : (lead >> 3) == 0x1e ? 4 : 0;
    if (length == 0 || i + length > text.size()) {
      return false;
    }
    for (std::size_t j = 1; j < length; ++j) {
      if ((static_cast<unsigned char>(text[i + j]) & 0xc0) != 0x80) {
        return false;
      }
    }
    i += length;
  }
  return true;
}

std::string qp_decode(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '=') {
      out += text[i];
    } else if (i + 1 < text.size() && text[i + 1] == '\n') {
      ++i;  // soft line break
    } else {
      REQUIRE(i + 2 < text.size());
      out += static_cast<char>(std::stoi(std::string(text.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    }
  }
  return out;
}

// Checks the QP rules that matter to readers: line lengths, complete =XX triplets, and no
// blank at the end of a line (transports strip it).
void check_qp_lines(std::string_view encoded) {
  for (const std::string& line : split_lines(encoded)) {
    CAPTURE(line);
    CHECK(line.size() <= 76);
    if (!line.empty()) {
      CHECK(line.back() != ' ');
      CHECK(line.back() != '\t');
    }
    for (std::size_t i = 0; i < line.size(); ++i) {
      if (line[i] == '=' && i + 1 != line.size()) {
        REQUIRE(i + 2 < line.size());
        CHECK(std::isxdigit(static_cast<unsigned char>(line[i + 1])));
        CHECK(std::isxdigit(static_cast<unsigned char>(line[i + 2])));
        i += 2;
      }
    }
  }
}

std::string header_value(std::string_view message, std::string_view name) {
  std::string prefix = std::string(name) + ": ";
  std::size_t start = message.starts_with(prefix) ? 0 : message.find("\n" + prefix);
  REQUIRE(start != std::string_view::npos);
  start += start == 0 ? prefix.size() : prefix.size() + 1;
  std::size_t end = start;
  // A header runs until a line that does not start with a space (folding).
  while ((end = message.find('\n', end)) != std::string_view::npos && end + 1 < message.size() &&
         message[end + 1] == ' ') {
    ++end;
  }
  return std::string(message.substr(start, end - start));
}

pm::Message sample_message() {
  pm::Message message;
  message.from = {"Анна Петрова", "anna@example.com"};
  message.to = {{"Борис Иванов", "boris@client.example.org"}};
  message.subject = "Оплата проекта";
  message.body = "Здравствуйте!\n";
  message.date = std::chrono::sys_days{std::chrono::year{2026} / 11 / 20} + 7h;
  message.utc_offset = 180min;
  message.message_id = "0123456789abcdef.1795158000@example.com";
  return message;
}

}  // namespace

TEST_CASE("encode_header_text leaves plain ASCII readable and folds it at spaces") {
  CHECK(pm::encode_header_text("Weekly status", 9) == "Weekly status");
  CHECK(pm::encode_header_text("") == "");

  std::string long_subject;
  for (int i = 0; i < 30; ++i) {
    long_subject += "word" + std::to_string(i) + " ";
  }
  long_subject += "end";
  std::string folded = pm::encode_header_text(long_subject, 9);
  auto lines = split_lines(folded);
  REQUIRE(lines.size() > 1);
  CHECK(lines[0].size() + 9 <= 78);
  for (std::size_t i = 1; i < lines.size(); ++i) {
    CHECK(lines[i].size() <= 78);
    CHECK(lines[i].front() == ' ');
  }
  // Unfolding (removing the line breaks) gives the text back unchanged.
  std::string unfolded;
  for (const auto& line : lines) {
    unfolded += line;
  }
  CHECK(unfolded == long_subject);
}

TEST_CASE("encode_header_text encodes text that only looks like an encoded-word") {
  CHECK(pm::encode_header_text("=?UTF-8?B?abc?=").starts_with("=?UTF-8?B?"));
}

TEST_CASE("a Cyrillic subject round-trips through encoded-words") {
  const std::string subject = "Оплата проекта «Сайт»: счёт №42";
  std::string encoded = pm::encode_header_text(subject, 9);
  CHECK(encoded.starts_with("=?UTF-8?B?"));
  CHECK(join(decode_words(encoded)) == subject);
}

TEST_CASE("a long Cyrillic subject is folded into short, whole-character words") {
  std::string subject;
  for (int i = 0; i < 12; ++i) {
    subject += "Ежемесячный отчёт по проекту ";  // 2-byte letters mixed with ASCII spaces
  }
  subject += "😀 конец";  // a 4-byte sequence, too
  pm::Message message = sample_message();
  message.subject = subject;
  std::string built = pm::build_message(message);
  std::string value = header_value(built, "Subject");

  auto words = decode_words(value);
  REQUIRE(words.size() > 3);
  for (const auto& word : words) {
    CHECK(is_utf8(word));  // no UTF-8 sequence split across two words
  }
  CHECK(join(words) == subject);
  for (const auto& line : split_lines(built)) {
    CAPTURE(line);
    CHECK(line.size() <= 78);
  }
}

TEST_CASE("encoded-words respect the room left on the first line") {
  const std::string text(60, 'x');
  std::string cyrillic;
  for (int i = 0; i < 40; ++i) {
    cyrillic += "ж";
  }
  for (std::size_t used : {0u, 9u, 30u, 50u}) {
    std::string encoded = pm::encode_header_text(cyrillic, used);
    auto lines = split_lines(encoded);
    CAPTURE(used);
    CHECK(lines[0].size() + used <= 78);
    CHECK(join(decode_words(encoded)) == cyrillic);
  }
}

TEST_CASE("a word too long for a header line is encoded and split, never left over 78") {
  // A --set value of 1,200 letters in a subject: folding at spaces cannot shorten it.
  const std::string word(1200, 'x');
  for (const std::string& subject : {word, "Payment " + word + " due", std::string(70, 'y')}) {
    pm::Message message = sample_message();
    message.subject = subject;
    const std::string built = pm::build_message(message);
    for (const auto& line : split_lines(built)) {
      CAPTURE(line.substr(0, 80));
      CHECK(line.size() <= 78);
    }
    CHECK(join(decode_words(header_value(built, "Subject"))) == subject);
  }
  // Plain words that fit stay readable.
  CHECK(pm::encode_header_text(std::string(60, 'z'), 9) == std::string(60, 'z'));
}

TEST_CASE("encoded-words end at spaces, so no reader splits a name mid-word") {
  // Each word fits one encoded-word (up to 22 Cyrillic letters); a longer one must be split.
  const std::string name = "Петрова-Водкина Александра Константиновна фон Шварценберг";
  pm::Message message = sample_message();
  message.to = {{name, "a@client.example.org"}};
  message.subject = "Ежемесячный отчёт по проекту «Перезапуск сайта» за ноябрь 2026 года";
  const std::string built = pm::build_message(message);
  for (const std::string header : {"To", "Subject"}) {
    CAPTURE(header);
    std::string value = header_value(built, header);
    if (header == "To") {
      value = value.substr(0, value.rfind(' '));  // the name's words, without <address>
    }
    auto words = decode_words(value);
    REQUIRE(words.size() > 1);
    for (std::size_t i = 0; i + 1 < words.size(); ++i) {
      CAPTURE(words[i]);
      CHECK(words[i].back() == ' ');  // every word but the last ends at a space
    }
  }
  for (const auto& line : split_lines(built)) {
    CHECK(line.size() <= 78);
  }
}

TEST_CASE("quoted_printable encodes '=', non-ASCII bytes and trailing blanks") {
  CHECK(pm::quoted_printable("a=b") == "a=3Db");
  CHECK(pm::quoted_printable("trailing  \nnext") == "trailing =20\nnext");
  CHECK(pm::quoted_printable("tab\t") == "tab=09");
  CHECK(pm::quoted_printable("Привет") == "=D0=9F=D1=80=D0=B8=D0=B2=D0=B5=D1=82");
  CHECK(pm::quoted_printable("inner spaces stay") == "inner spaces stay");
  CHECK(pm::quoted_printable("line\n\nend\n") == "line\n\nend\n");
  // Lines that sendmail or mbox would act on are protected by encoding their first byte.
  CHECK(pm::quoted_printable(".\nFrom here") == "=2E\n=46rom here");
}

TEST_CASE("quoted_printable keeps long lines within 76 characters") {
  std::string ascii(200, 'a');
  std::string encoded = pm::quoted_printable(ascii);
  check_qp_lines(encoded);
  CHECK(qp_decode(encoded) == ascii);
  CHECK(pm::quoted_printable(std::string(76, 'b')) == std::string(76, 'b'));
  CHECK(pm::quoted_printable(std::string(77, 'b')) ==
        std::string(75, 'b') + "=\n" + std::string(2, 'b'));

  // Every offset of a triplet against the line end, with spaces and a trailing blank.
  for (std::size_t prefix = 0; prefix < 6; ++prefix) {
    std::string text = std::string(prefix, 'x');
    for (int i = 0; i < 30; ++i) {
      text += "Съешь же ещё = ";
    }
    text += "\nsecond line ";
    std::string qp = pm::quoted_printable(text);
    CAPTURE(prefix);
    check_qp_lines(qp);
    CHECK(qp_decode(qp) == text);
  }
}

TEST_CASE("is_valid_address accepts plausible addr-specs only") {
  for (const char* good : {"anna@example.com", "a.b+tag@mail.example.co.uk", "x_y-z@a-b.io",
                           "\"odd@local\"@example.com", "o'brien@example.ie"}) {
    CAPTURE(good);
    CHECK(pm::is_valid_address(good));
  }
  for (const char* bad : {"", "anna", "anna@", "@example.com", "anna@@example.com",
                          "a@b@example.com", "anna@localhost", "an na@example.com",
                          "anna@exa mple.com", "anna.@example.com", ".anna@example.com",
                          "an..na@example.com", "anna@-example.com", "anna@example..com",
                          "anna@example.com.", "anna@exam_ple.com", "анна@example.com",
                          "anna@example.com\n", "an\tna@example.com", "<anna@example.com>"}) {
    CAPTURE(bad);
    CHECK_FALSE(pm::is_valid_address(bad));
  }
}

TEST_CASE("parse_mailbox reads the usual forms") {
  auto named = pm::parse_mailbox("Anna Petrova <anna@example.com>");
  CHECK(named.name == "Anna Petrova");
  CHECK(named.address == "anna@example.com");

  auto quoted = pm::parse_mailbox("\"Petrov, Ivan \\\"Jr.\\\"\" <ivan@example.com>");
  CHECK(quoted.name == "Petrov, Ivan \"Jr.\"");
  CHECK(quoted.address == "ivan@example.com");

  auto bare = pm::parse_mailbox("  anna@example.com ");
  CHECK(bare.name.empty());
  CHECK(bare.address == "anna@example.com");

  auto angle = pm::parse_mailbox("<anna@example.com>");
  CHECK(angle.name.empty());
  CHECK(angle.address == "anna@example.com");

  auto cyrillic = pm::parse_mailbox("Анна Петрова <anna@example.com>");
  CHECK(cyrillic.name == "Анна Петрова");
  CHECK(pm::to_display(cyrillic) == "Анна Петрова <anna@example.com>");

  auto bracket_in_name = pm::parse_mailbox("\"Doe <Jr>\" <doe@example.com>");
  CHECK(bracket_in_name.name == "Doe <Jr>");
  CHECK(bracket_in_name.address == "doe@example.com");
}

TEST_CASE("parse_mailbox rejects bad addresses with a message naming them") {
  for (const char* bad : {"anna@@x", "Anna <anna@@example.com>", "Anna <anna@example.com",
                          "Anna anna@example.com>", "Anna <anna@example.com> extra",
                          "\"Anna <anna@example.com>", "", "Anna <>", "anna@localhost"}) {
    CAPTURE(bad);
    CHECK_THROWS_AS(pm::parse_mailbox(bad), pm::Error);
  }
  CHECK_THROWS_WITH(pm::parse_mailbox("anna@@x"),
                    Catch::Contains("invalid address \"anna@@x\"") &&
                        Catch::Contains("more than one '@'") &&
                        Catch::Contains("NAME <local@domain>"));
  CHECK_THROWS_WITH(pm::parse_mailbox("Anna\n <anna@example.com>"),
                    Catch::Contains("line break") && Catch::Contains("Anna\\n"));
}

TEST_CASE("encode_mailbox quotes ASCII specials and encodes non-ASCII names") {
  CHECK(pm::encode_mailbox({"Anna Petrova", "anna@example.com"}) ==
        "Anna Petrova <anna@example.com>");
  CHECK(pm::encode_mailbox({"", "anna@example.com"}) == "anna@example.com");
  CHECK(pm::encode_mailbox({"Petrov, Ivan \"Jr.\"", "ivan@example.com"}) ==
        "\"Petrov, Ivan \\\"Jr.\\\"\" <ivan@example.com>");
  CHECK(pm::encode_mailbox({"back\\slash", "b@example.com"}) ==
        "\"back\\\\slash\" <b@example.com>");

  std::string encoded = pm::encode_mailbox({"Анна Петрова", "anna@example.com"});
  auto angle = encoded.rfind(" <anna@example.com>");
  REQUIRE(angle != std::string::npos);
  CHECK(join(decode_words(encoded.substr(0, angle))) == "Анна Петрова");
}

TEST_CASE("build_message writes the headers in order") {
  pm::Message message = sample_message();
  message.cc = {{"", "cc@example.com"}};
  message.bcc = {{"Hidden", "hidden@example.com"}};
  message.extra_headers = {{"X-PM-Entry", "42"}};
  std::string built = pm::build_message(message);

  std::vector<std::string> names;
  for (const auto& line : split_lines(built)) {
    if (line.empty()) {
      break;
    }
    if (line.front() != ' ') {
      names.push_back(line.substr(0, line.find(':')));
    }
  }
  CHECK(names == std::vector<std::string>{"Date", "From", "To", "Cc", "Bcc", "Subject",
                                          "Message-ID", "MIME-Version", "Content-Type",
                                          "Content-Transfer-Encoding", "X-PM-Entry"});
  CHECK(header_value(built, "Date") == "Fri, 20 Nov 2026 10:00:00 +0300");
  CHECK(header_value(built, "Message-ID") == "<0123456789abcdef.1795158000@example.com>");
  CHECK(header_value(built, "Cc") == "cc@example.com");
  CHECK(header_value(built, "Bcc") == "Hidden <hidden@example.com>");
  CHECK(header_value(built, "Content-Type") == "text/plain; charset=utf-8");
  CHECK(header_value(built, "X-PM-Entry") == "42");
  auto body_start = built.find("\n\n");
  REQUIRE(body_start != std::string::npos);
  std::string body = built.substr(body_start + 2);
  CHECK(body.ends_with("\n"));
  // A body that is mostly Cyrillic goes as base64: shorter than quoted-printable.
  CHECK(header_value(built, "Content-Transfer-Encoding") == "base64");
  body.erase(std::remove(body.begin(), body.end(), '\n'), body.end());
  CHECK(base64_decode(body) == "Здравствуйте!\n");
}

TEST_CASE("build_message keeps a mostly ASCII body readable as quoted-printable") {
  pm::Message message = sample_message();
  message.body = "Hello Ivan, the launch stays on 12 December. Спасибо!\n";
  std::string built = pm::build_message(message);
  CHECK(header_value(built, "Content-Transfer-Encoding") == "quoted-printable");
  std::string body = built.substr(built.find("\n\n") + 2);
  CHECK(body.rfind("Hello Ivan, the launch stays on 12 December. ", 0) == 0);
  CHECK(qp_decode(body) == message.body);
}

TEST_CASE("build_message folds long recipient lists and body lines") {
  pm::Message message = sample_message();
  message.to.clear();
  for (int i = 0; i < 8; ++i) {
    message.to.push_back({"Получатель номер " + std::to_string(i),
                          "recipient" + std::to_string(i) + "@example.com"});
  }
  message.body = std::string(300, 'z') + "\n" + "Длинная строка " + std::string(100, '=');
  std::string built = pm::build_message(message);
  for (const auto& line : split_lines(built)) {
    CAPTURE(line);
    CHECK(line.size() <= 78);
  }
  CHECK(header_value(built, "To").find(",\n ") != std::string::npos);
  std::string body = built.substr(built.find("\n\n") + 2);
  check_qp_lines(body);
  CHECK(qp_decode(body) == message.body + "\n");
}

TEST_CASE("build_message refuses header injection and missing recipients") {
  pm::Message message = sample_message();
  message.subject = "Hi\nBcc: evil@x.com";
  CHECK_THROWS_WITH(pm::build_message(message),
                    Catch::Contains("Subject") && Catch::Contains("line break"));
  message.subject = "Hi\rthere";
  CHECK_THROWS_AS(pm::build_message(message), pm::Error);

  message = sample_message();
  message.to[0].name = "Boris\nBcc: evil@x.com";
  CHECK_THROWS_WITH(pm::build_message(message), Catch::Contains("line break"));
  message = sample_message();
  message.from.name = "Anna\r\nBcc: evil@x.com";
  CHECK_THROWS_AS(pm::build_message(message), pm::Error);

  message = sample_message();
  message.extra_headers = {{"X-PM-Entry", "1\nBcc: evil@x.com"}};
  CHECK_THROWS_AS(pm::build_message(message), pm::Error);
  message.extra_headers = {{"Bad Name", "1"}};
  CHECK_THROWS_WITH(pm::build_message(message), Catch::Contains("invalid header name"));
  message.extra_headers = {{"X:Colon", "1"}};
  CHECK_THROWS_AS(pm::build_message(message), pm::Error);
  message.extra_headers = {{"subject", "again"}};
  CHECK_THROWS_AS(pm::build_message(message), pm::Error);

  message = sample_message();
  message.to.clear();
  CHECK_THROWS_WITH(pm::build_message(message), Catch::Contains("no recipient"));
  message.bcc = {{"", "only-bcc@example.com"}};
  CHECK_NOTHROW(pm::build_message(message));

  message = sample_message();
  message.cc = {{"", "anna@@example.com"}};
  CHECK_THROWS_WITH(pm::build_message(message), Catch::Contains("anna@@example.com"));
  message = sample_message();
  message.from.address = "not-an-address";
  CHECK_THROWS_AS(pm::build_message(message), pm::Error);
  message = sample_message();
  message.message_id.clear();
  CHECK_THROWS_AS(pm::build_message(message), pm::Error);
}

TEST_CASE("build_message refuses headers that are not UTF-8 and shows such body bytes safely") {
  pm::Message message = sample_message();
  message.subject = "\xd0";  // a truncated sequence
  CHECK_THROWS_WITH(pm::build_message(message), Catch::Contains("UTF-8"));
  message = sample_message();
  message.to = {{"Caf\xe9", "anna@example.com"}};  // Latin-1 in a display name
  CHECK_THROWS_AS(pm::build_message(message), pm::Error);
  // A body may quote an older ledger's bad bytes: they become U+FFFD, a control a visible
  // escape, never raw bytes handed to a mail client.
  message = sample_message();
  message.body = "caf\xe9 \x1b[31m\n";
  const std::string built = pm::build_message(message);
  CHECK(built.find("caf=EF=BF=BD \\x1b[31m") != std::string::npos);
  CHECK(built.find('\x1b') == std::string::npos);
  CHECK(built.find("\xe9") == std::string::npos);
}

TEST_CASE("rfc5322_date shows the instant at the given offset") {
  const std::chrono::sys_seconds instant =
      std::chrono::sys_days{std::chrono::year{2026} / 11 / 20} + 7h;
  CHECK(pm::rfc5322_date(instant, 180min) == "Fri, 20 Nov 2026 10:00:00 +0300");
  CHECK(pm::rfc5322_date(instant, 0min) == "Fri, 20 Nov 2026 07:00:00 +0000");
  CHECK(pm::rfc5322_date(instant, -510min) == "Thu, 19 Nov 2026 22:30:00 -0830");
  CHECK(pm::rfc5322_date(std::chrono::sys_seconds{0s} + 3s, 0min) ==
        "Thu, 01 Jan 1970 00:00:03 +0000");
  CHECK_THROWS_AS(pm::rfc5322_date(instant, 1440min), pm::Error);
}

TEST_CASE("make_message_id is deterministic and depends on the seed") {
  const std::chrono::sys_seconds when{1795158000s};
  std::string id = pm::make_message_id("kickoff/acme", when, "example.com");
  CHECK(id == pm::make_message_id("kickoff/acme", when, "example.com"));
  CHECK(id != pm::make_message_id("payment/acme", when, "example.com"));
  CHECK(id != pm::make_message_id("kickoff/acme", when + 1s, "example.com"));
  CHECK(id.size() == 16 + 1 + 10 + 1 + 11);
  CHECK(id.find_first_of("<> ") == std::string::npos);
  CHECK(id.substr(16) == ".1795158000@example.com");
  CHECK(pm::make_message_id("x", when, "").ends_with("@localhost.localdomain"));
  CHECK_THROWS_AS(pm::make_message_id("x", when, "bad domain"), pm::Error);
}
