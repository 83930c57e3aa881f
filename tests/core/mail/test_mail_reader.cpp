// Reading mail with GMime (loaded at run time): Maildir, mbox, .eml files, decoding, problems.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <unistd.h>
#include <vector>

#include "pm/mail/mail_reader.hpp"
#include "pm/util/check.hpp"
#include "pm/util/error.hpp"
#include "pm/util/sha256.hpp"

using namespace pm;
namespace fs = std::filesystem;

namespace {

struct TempDir {
  fs::path path;
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "pm-mail-XXXXXX").string();
    path = ::mkdtemp(pattern.data());
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

void write(const fs::path& file, std::string_view content) {
  fs::create_directories(file.parent_path());
  std::ofstream out(file, std::ios::binary);
  out << content;
}

struct Read {
  std::vector<MailMessage> messages;
  std::vector<MailProblem> problems;
};

Read read(const fs::path& path) {
  Read result;
  read_mail(
      path, [&](MailMessage&& m) { result.messages.push_back(std::move(m)); },
      [&](MailProblem&& p) { result.problems.push_back(std::move(p)); });
  return result;
}

// Valid UTF-8 without C0 controls, DEL and C1 controls; LF and TAB only when `multi_line`.
bool clean(std::string_view text, bool multi_line = false) {
  if (!valid_utf8(text)) {
    return false;
  }
  for (std::size_t i = 0; i < text.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    if ((c < 0x20 && !(multi_line && (c == '\n' || c == '\t'))) || c == 0x7f) {
      return false;
    }
    if (c == 0xc2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) <= 0x9f) {
      return false;
    }
  }
  return true;
}

void check_clean(const MailMessage& m) {
  for (const std::string& line : {m.source, m.message_id, m.from.name, m.from.address, m.subject}) {
    CHECK(clean(line));
  }
  for (const auto& [name, value] : m.pm_headers) {
    CHECK(clean(name));
    CHECK(clean(value));
  }
  CHECK(clean(m.text, true));
  CHECK(m.text.size() <= k_text_limit);
}

const std::string k_first =
    "From: Anna Petrova <anna@Example.COM>\n"
    "To: Boris <boris@example.org>, team: carl@example.org, dana@example.org;\n"
    "Cc: \"Eve, QA\" <eve@example.net>\n"
    "Subject: Deadline\n"
    "  of stage 2\n"
    "Date: Tue, 1 Dec 2026 10:00:00 +0300\n"
    "Message-ID: <a1@example.com>\n"
    "\n"
    "Can we move the deadline?\r\nThanks\n";

const std::string k_reply =
    "From: boris@example.org\n"
    "To: Anna Petrova <anna@example.com>\n"
    "Subject: Re: Deadline of stage 2\n"
    "Date: Tue, 1 Dec 2026 12:30:00 +0000\n"
    "Message-ID: <b2@example.org>\n"
    "In-Reply-To: <a1@example.com>\n"
    "References: <a0@example.com>\n"
    " <a1@example.com>\n"
    "X-PM-Template: deadline-shift\n"
    "x-pm-entry: E17\n"
    "\n"
    "Yes, to 2026-12-20.\n";

}  // namespace

TEST_CASE("mail_reader: a Maildir's cur/ and new/ in name order, a thread's ids", "[mail_reader]") {
  TempDir dir;
  fs::path maildir = dir.path / "Mail";
  write(maildir / "cur" / "1764572400.1.host:2,S", k_first);
  write(maildir / "new" / "1764592200.2.host", k_reply);
  write(maildir / "new" / ".hidden", "not read");
  fs::create_directories(maildir / "tmp");
  Read got = read(maildir);
  REQUIRE(got.problems.empty());
  REQUIRE(got.messages.size() == 2);
  const MailMessage& first = got.messages[0];
  CHECK(first.source == (maildir / "cur" / "1764572400.1.host:2,S").string());
  CHECK(first.message_id == "a1@example.com");
  CHECK(first.in_reply_to.empty());
  CHECK(first.references.empty());
  CHECK(first.from.name == "Anna Petrova");
  CHECK(first.from.address == "anna@example.com");
  REQUIRE(first.to.size() == 3);
  CHECK(first.to[0].address == "boris@example.org");
  CHECK(first.to[1].address == "carl@example.org");
  CHECK(first.to[2].address == "dana@example.org");
  REQUIRE(first.cc.size() == 1);
  CHECK(first.cc[0].name == "Eve, QA");
  CHECK(first.subject == "Deadline  of stage 2");
  CHECK(format_utc(first.date) == "2026-12-01T07:00:00Z");
  CHECK(first.text == "Can we move the deadline?\nThanks\n");
  CHECK(first.digest == sha256_hex(k_first));
  CHECK(first.pm_headers.empty());
  const MailMessage& reply = got.messages[1];
  CHECK(reply.message_id == "b2@example.org");
  CHECK(reply.in_reply_to == std::vector<std::string>{"a1@example.com"});
  CHECK(reply.references == std::vector<std::string>{"a0@example.com", "a1@example.com"});
  CHECK(reply.from.name.empty());
  CHECK(reply.from.address == "boris@example.org");
  CHECK(format_utc(reply.date) == "2026-12-01T12:30:00Z");
  CHECK(reply.pm_headers == std::vector<std::pair<std::string, std::string>>{
                                {"X-PM-Template", "deadline-shift"}, {"x-pm-entry", "E17"}});
  check_clean(first);
  check_clean(reply);
}

TEST_CASE("mail_reader: an mbox in file order, a message without From is a problem", "[mail_reader]") {
  TempDir dir;
  std::string broken =
      "Subject: who wrote this?\nDate: Wed, 2 Dec 2026 09:00:00 +0000\n\nNobody.\n";
  write(dir.path / "inbox.mbox", "From anna@example.com Tue Dec  1 07:00:00 2026\n" + k_first +
                                     "\nFrom nobody Wed Dec  2 09:00:00 2026\n" + broken +
                                     "\nFrom boris@example.org Tue Dec  1 12:30:00 2026\n" +
                                     k_reply);
  Read got = read(dir.path / "inbox.mbox");
  REQUIRE(got.messages.size() == 2);
  REQUIRE(got.problems.size() == 1);
  std::string path = (dir.path / "inbox.mbox").string();
  CHECK(got.messages[0].source == path + ", message 1");
  CHECK(got.messages[0].message_id == "a1@example.com");
  CHECK(got.messages[0].text == "Can we move the deadline?\nThanks\n");
  // The same bytes as in the Maildir: the "From " line and the separating blank line are
  // the mbox's.
  CHECK(got.messages[0].digest == sha256_hex(k_first));
  CHECK(got.messages[1].source == path + ", message 3");
  CHECK(got.messages[1].references.size() == 2);
  CHECK(got.messages[1].digest == sha256_hex(k_reply));
  CHECK(got.problems[0].source == path + ", message 2");
  CHECK(got.problems[0].why == "no From address");
}

TEST_CASE("mail_reader: encoded Cyrillic subjects and bodies in other charsets", "[mail_reader]") {
  std::string qp =
      "From: =?UTF-8?B?0JDQvdC90LA=?= <anna@example.com>\n"
      "Subject: =?UTF-8?B?0J/RgNC40LLQtdGCLCDQvNC40YA=?= =?UTF-8?B?0J7RgtE=?=\n"
      " =?UTF-8?B?h9GR0YI=?=\n"
      "Date: Tue, 1 Dec 2026 10:00:00 +0300\n"
      "MIME-Version: 1.0\n"
      "Content-Type: multipart/alternative; boundary=\"b1\"\n"
      "\n"
      "--b1\n"
      "Content-Type: text/plain; charset=windows-1251\n"
      "Content-Transfer-Encoding: quoted-printable\n"
      "\n"
      "=C4=EE=E1=F0=FB=E9 =E4=E5=ED=FC!\n"
      "=D1=EE=E3=EB=E0=F1=EE=E2=E0=ED=EE.\n"
      "--b1\n"
      "Content-Type: text/html; charset=utf-8\n"
      "\n"
      "<p>html</p>\n"
      "--b1--\n";
  MailMessage m = parse_mail_message(qp, "qp.eml");
  CHECK(m.from.name == "Анна");
  CHECK(m.subject == "Привет, мирОтчёт");
  CHECK(m.text == "Добрый день!\nСогласовано.");  // the last line break is the boundary's
  CHECK(m.message_id.empty());
  check_clean(m);

  std::string b64 =
      "From: anna@example.com\n"
      "Subject: =?koi8-r?Q?=F3=D2=CF=CB?=\n"
      "Date: Tue, 1 Dec 2026 10:00:00 +0300\n"
      "Content-Type: text/plain; charset=\"koi8-r\"\n"
      "Content-Transfer-Encoding: base64\n"
      "\n"
      "+sTSwdfT1NfVytTFLCDhzs7BIQ0K89LPyyDQxdLFzs/TydTT0S4NCg==\n";
  MailMessage k = parse_mail_message(b64, "b64.eml");
  CHECK(k.subject == "Срок");
  CHECK(k.text == "Здравствуйте, Анна!\nСрок переносится.\n");
  check_clean(k);
}

TEST_CASE("mail_reader: a forwarded message's own text, not the attached one's", "[mail_reader]") {
  std::string forwarded =
      "From: anna@example.com\n"
      "Date: Tue, 1 Dec 2026 10:00:00 +0300\n"
      "Subject: Fwd: Deadline\n"
      "Content-Type: multipart/mixed; boundary=\"outer\"\n"
      "\n"
      "--outer\n"
      "Content-Type: message/rfc822\n"
      "\n" +
      k_reply +
      "--outer\n"
      "Content-Type: text/plain; charset=utf-8\n"
      "\n"
      "See below.\n"
      "--outer--\n";
  MailMessage m = parse_mail_message(forwarded, "fwd.eml");
  CHECK(m.text == "See below.");
  CHECK(m.in_reply_to.empty());
  CHECK(m.pm_headers.empty());

  std::string only_attached =
      "From: anna@example.com\n"
      "Date: Tue, 1 Dec 2026 10:00:00 +0300\n"
      "Content-Type: multipart/mixed; boundary=\"outer\"\n"
      "\n"
      "--outer\n"
      "Content-Type: message/rfc822\n"
      "\n" +
      k_reply + "--outer--\n";
  CHECK(parse_mail_message(only_attached, "fwd2.eml").text.empty());
}

TEST_CASE("mail_reader: without Message-ID the digest of the raw bytes identifies", "[mail_reader]") {
  std::string raw = "From: anna@example.com\nDate: Tue, 1 Dec 2026 10:00:00 +0000\n\nHi\n";
  MailMessage m = parse_mail_message(raw, "x.eml");
  CHECK(m.message_id.empty());
  CHECK(m.digest == sha256_hex(raw));
  CHECK(m.digest.size() == 64);
  CHECK(m.subject.empty());
  CHECK(parse_mail_message(raw + "\n", "y.eml").digest != m.digest);
}

TEST_CASE("mail_reader: raw 8-bit and control bytes in headers come out clean", "[mail_reader]") {
  std::string raw =
      "From: \xff\xfe\xc3 Anna\x01 <anna@example.com>\n"
      "To: \xc0\xed\xed\xe0 <anna@example.com>\n"
      "Subject: bad \xc3\x28 bytes \x80\xbf and \x1b[31mred\x7f \xc2\x85 end\n"
      "Date: Tue, 1 Dec 2026 10:00:00 +0000\n"
      "Message-ID: <id\xff@example.com>\n"
      "X-PM-Entry: E1\x07\xe9\n"
      "Content-Type: text/plain\n"
      "\n"
      "body \xff\xfe with \x1b escape\r\nand \x00 nul\n";
  MailMessage m = parse_mail_message(std::string_view(raw.data(), raw.size()), "bad.eml");
  check_clean(m);
  CHECK(m.from.address == "anna@example.com");
  REQUIRE(m.to.size() == 1);
  CHECK(m.to[0].name == "Анна");  // raw windows-1251, the fallback charset
  CHECK(m.subject.find("red") != std::string::npos);
  REQUIRE(m.pm_headers.size() == 1);
  CHECK(m.text.find("\r") == std::string::npos);
}

TEST_CASE("mail_reader: Date with an offset is read as UTC, and a missing or bad Date is a problem", "[mail_reader]") {
  auto with_date = [](std::string date) {
    return "From: anna@example.com\n" + date + "Subject: s\n\ntext\n";
  };
  CHECK(format_utc(parse_mail_message(with_date("Date: Mon, 30 Nov 2026 01:15:00 +0300\n"), "d").date) ==
        "2026-11-29T22:15:00Z");
  CHECK(format_utc(parse_mail_message(with_date("Date: 30 Nov 2026 01:15 -0500\n"), "d").date) ==
        "2026-11-30T06:15:00Z");
  CHECK_THROWS_WITH(parse_mail_message(with_date(""), "nodate.eml"), "nodate.eml: no Date header");
  CHECK_THROWS_WITH(parse_mail_message(with_date("Date: soon\n"), "bad.eml"),
                    Catch::Contains("bad.eml: the Date header") && Catch::Contains("not a date"));
}

TEST_CASE("mail_reader: the body is cut at 64 KiB between characters", "[mail_reader]") {
  std::string body;
  while (body.size() < 70 * 1024) {
    body += "ж";
  }
  std::string raw = "From: anna@example.com\nDate: Tue, 1 Dec 2026 10:00:00 +0000\n"
                    "Content-Type: text/plain; charset=utf-8\n\nx" + body;
  MailMessage m = parse_mail_message(raw, "long.eml");
  CHECK(m.text.size() == k_text_limit - 1);  // "x" and whole two-byte letters
  CHECK(valid_utf8(m.text));
}

TEST_CASE("mail_reader: paths that are no mailbox, files that are not mail", "[mail_reader]") {
  TempDir dir;
  CHECK_THROWS_AS(read(dir.path / "missing"), Error);
  CHECK_THROWS_WITH(read(dir.path / "missing"), Catch::Contains("no such file or directory"));
  CHECK_THROWS_WITH(read(dir.path), Catch::Contains("not a Maildir"));  // empty directory

  std::string not_mail = "Hello,\nthis is a shopping list.\n- milk\n";
  write(dir.path / "list.txt", not_mail);
  CHECK_THROWS_WITH(read(dir.path / "list.txt"), Catch::Contains("not a Maildir"));
  CHECK_THROWS_WITH(parse_mail_message(not_mail, "list.txt"), "list.txt: not a mail message");
  CHECK_THROWS_WITH(parse_mail_message("", "empty.eml"), "empty.eml: not a mail message");

  // In a directory of .eml files, a file that is not mail is one problem among the messages.
  fs::path emls = dir.path / "letters";
  write(emls / "b.eml", k_reply);
  write(emls / "a.EML", k_first);
  write(emls / "c.eml", not_mail);
  write(emls / "notes.txt", not_mail);
  Read got = read(emls);
  REQUIRE(got.messages.size() == 2);
  CHECK(got.messages[0].message_id == "a1@example.com");
  CHECK(got.messages[1].message_id == "b2@example.org");
  REQUIRE(got.problems.size() == 1);
  CHECK(got.problems[0].source == (emls / "c.eml").string());
  CHECK(got.problems[0].why == "not a mail message");

  // One .eml file given by itself; without a Date it is a problem, not an error.
  write(dir.path / "one.eml", k_first);
  CHECK(read(dir.path / "one.eml").messages.size() == 1);
  write(dir.path / "undated.eml", "From: anna@example.com\nSubject: s\n\nx\n");
  Read undated = read(dir.path / "undated.eml");
  CHECK(undated.messages.empty());
  REQUIRE(undated.problems.size() == 1);
  CHECK(undated.problems[0].why == "no Date header");

  // Larger than 32 MiB: a problem, and not read (a sparse file, so the test writes nothing).
  write(emls / "huge.eml", k_first);
  fs::resize_file(emls / "huge.eml", k_mail_message_limit + 1);
  Read with_huge = read(emls);
  CHECK(with_huge.messages.size() == 2);
  REQUIRE(with_huge.problems.size() == 2);
  CHECK(with_huge.problems[1].source == (emls / "huge.eml").string());
  CHECK(with_huge.problems[1].why == "larger than 32 MiB");
}

TEST_CASE("mail_reader: an mbox holding one message and problems of Date and address", "[mail_reader]") {
  TempDir dir;
  write(dir.path / "mbox",
        "From x Tue Dec  1 07:00:00 2026\n"
        "From: not an address\nDate: Tue, 1 Dec 2026 10:00:00 +0300\n\nA\n\n"
        "From x Tue Dec  1 07:00:00 2026\n"
        "From: anna@example.com\nDate: yesterday\n\nB\n\n"
        "From x Tue Dec  1 07:00:00 2026\n"
        "From: =?UTF-8?B?0JDQvdC90LA=?= <anna@example.com>\nDate: Tue, 1 Dec 2026 10:00:00 +0300\n"
        "Subject: =?UTF-8?B?0J/RgNC40LLQtdGCLCDQvNC40YA=?= =?UTF-8?B?IQ==?=\n\n"
        ">From the start\n");
  Read got = read(dir.path / "mbox");
  REQUIRE(got.messages.size() == 1);
  CHECK(got.messages[0].source == (dir.path / "mbox").string() + ", message 3");
  CHECK(got.messages[0].from.name == "Анна");
  CHECK(got.messages[0].subject == "Привет, мир!");
  CHECK(got.messages[0].text == ">From the start\n");
  REQUIRE(got.problems.size() == 2);
  CHECK(got.problems[0].why == "no From address");
  CHECK(got.problems[1].why == "the Date header \"yesterday\" is not a date");
}
