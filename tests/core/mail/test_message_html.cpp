// Tests of multipart/alternative messages: the text part exactly as a text-only message's body,
// the HTML part in quoted-printable, a boundary that no part holds.
#include <catch2/catch.hpp>

#include <string>
#include <string_view>
#include <vector>

#include "pm/mail/html_letter.hpp"
#include "pm/mail/message.hpp"
#include "pm/util/error.hpp"

using namespace std::chrono_literals;

namespace {

pm::Message html_sample(const std::string& body) {
  pm::Message m;
  m.from = {"Anna Petrova", "anna@example.com"};
  m.to = {{"Ivan Sidorov", "ivan@acme.example"}};
  m.subject = "Website: status";
  m.body = body;
  m.date = std::chrono::sys_days{std::chrono::November / 20 / 2026} + 7h;
  m.utc_offset = 180min;
  m.message_id = "0123456789abcdef.1795158000@example.com";
  m.extra_headers = {{"X-PM-Template", "weekly-status"}};
  return m;
}

int hex_value(char c) {
  return c >= '0' && c <= '9' ? c - '0' : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
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
      const int high = hex_value(text[i + 1]);
      const int low = hex_value(text[i + 2]);
      REQUIRE(high >= 0);
      REQUIRE(low >= 0);
      out += static_cast<char>(high * 16 + low);
      i += 2;
    }
  }
  return out;
}

std::string header_value(const std::string& message, const std::string& name) {
  const std::string head = message.substr(0, message.find("\n\n") + 1);
  const std::size_t at = head.find("\n" + name + ": ");
  if (at == std::string::npos) {
    return {};
  }
  const std::size_t start = at + name.size() + 3;
  return head.substr(start, head.find('\n', start) - start);
}

struct Parts {
  std::string boundary;
  std::string text_headers;
  std::string text;  ///< the text part's bytes, as encoded
  std::string html_headers;
  std::string html;  ///< the HTML part's bytes, as encoded
  std::string after;  ///< what follows the closing delimiter
};

// Splits a multipart/alternative message pm built along its boundary (RFC 2046 5.1.1: the
// line break before each delimiter belongs to it).
Parts split_parts(const std::string& message) {
  Parts parts;
  const std::string type = header_value(message, "Content-Type");
  const std::string prefix = "multipart/alternative; boundary=\"";
  REQUIRE(type.starts_with(prefix));
  REQUIRE(type.ends_with("\""));
  parts.boundary = type.substr(prefix.size(), type.size() - prefix.size() - 1);
  const std::string body = message.substr(message.find("\n\n") + 2);
  const std::string delimiter = "--" + parts.boundary + "\n";
  REQUIRE(body.starts_with(delimiter));
  const std::size_t second = body.find("\n" + delimiter, delimiter.size());
  REQUIRE(second != std::string::npos);
  const std::size_t close = body.find("\n--" + parts.boundary + "--\n", second + 1);
  REQUIRE(close != std::string::npos);
  auto split = [](const std::string& part, std::string& headers, std::string& content) {
    const std::size_t blank = part.find("\n\n");
    REQUIRE(blank != std::string::npos);
    headers = part.substr(0, blank + 1);
    content = part.substr(blank + 2);
  };
  split(body.substr(delimiter.size(), second - delimiter.size()), parts.text_headers, parts.text);
  const std::size_t html_start = second + 1 + delimiter.size();
  split(body.substr(html_start, close - html_start), parts.html_headers, parts.html);
  parts.after = body.substr(close + 1 + parts.boundary.size() + 5);  // past "--B--\n"
  return parts;
}

}  // namespace

TEST_CASE("an HTML part makes the message multipart/alternative with the text part first",
          "[html][message]") {
  for (const std::string& body :
       {std::string("Hello Ivan,\n\nthe launch stays on 12 December.\n\nBest regards,\nAnna\n"),
        std::string("Здравствуйте, Иван!\n\nЗапуск остаётся 12 декабря.\n"),
        std::string("no line break at the end")}) {
    pm::Message message = html_sample(body);
    const std::string text_only = pm::build_message(message);
    message.html = pm::html_letter(pm::escape_markdown(body), message.subject, "en");
    const std::string built = pm::build_message(message);
    CAPTURE(built);
    const Parts parts = split_parts(built);

    CHECK(header_value(built, "MIME-Version") == "1.0");
    CHECK(header_value(built, "Content-Transfer-Encoding").empty());
    CHECK(header_value(built, "X-PM-Template") == "weekly-status");
    // The text-only message's headers, up to its Content-Type, are the multipart's too.
    CHECK(built.substr(0, built.find("\nContent-Type: ")) ==
          text_only.substr(0, text_only.find("\nContent-Type: ")));

    // The text part: the text-only message's body, byte for byte, under its own headers.
    const std::string text_body = text_only.substr(text_only.find("\n\n") + 2);
    CHECK(parts.text == text_body);
    CHECK(parts.text_headers == "Content-Type: text/plain; charset=utf-8\n"
                                "Content-Transfer-Encoding: " +
                                    header_value(text_only, "Content-Transfer-Encoding") + "\n");

    // The HTML part: quoted-printable, lines within 76, decoding to the document.
    CHECK(parts.html_headers ==
          "Content-Type: text/html; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n");
    CHECK(qp_decode(parts.html) == message.html);
    for (std::size_t start = 0, end; (end = built.find('\n', start)) != std::string::npos;
         start = end + 1) {
      CHECK(end - start <= 78);
    }
    CHECK(parts.after.empty());

    // The boundary: in no part, and "=_" can be in neither encoding.
    CHECK(parts.boundary.starts_with("=_pm_"));
    CHECK(parts.text.find(parts.boundary) == std::string::npos);
    CHECK(parts.html.find(parts.boundary) == std::string::npos);
    CHECK(parts.text.find("=_") == std::string::npos);
    CHECK(parts.html.find("=_") == std::string::npos);
  }
}

TEST_CASE("the boundary is the same for the same message and differs for another",
          "[html][message]") {
  pm::Message message = html_sample("Hello\n");
  message.html = pm::html_letter("Hello\n", message.subject, "en");
  const std::string first = pm::build_message(message);
  CHECK(pm::build_message(message) == first);
  message.html = pm::html_letter("Hello again\n", message.subject, "en");
  CHECK(split_parts(pm::build_message(message)).boundary != split_parts(first).boundary);
}

TEST_CASE("a message without an HTML part is text/plain as before", "[html][message]") {
  pm::Message message = html_sample("Hello\n");
  const std::string built = pm::build_message(message);
  CHECK(header_value(built, "Content-Type") == "text/plain; charset=utf-8");
  CHECK(header_value(built, "Content-Transfer-Encoding") == "quoted-printable");
  CHECK(built.find("multipart") == std::string::npos);
  CHECK(built.ends_with("\n\nHello\n"));
}

TEST_CASE("an HTML part that is not UTF-8 is refused", "[html][message]") {
  pm::Message message = html_sample("Hello\n");
  message.html = "<p>\xff</p>\n";
  CHECK_THROWS_AS(pm::build_message(message), pm::Error);
}
