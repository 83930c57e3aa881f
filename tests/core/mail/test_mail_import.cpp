// The manager's mail read back into the ledger: requests, the team's letters and the replies
// they make, threads by In-Reply-To or by subject, problems, duplicates, dry runs. Every
// fixture is written by the test into a temporary directory. Times are Moscow's (+0300); the
// working calendar is Monday to Friday, 09:00 to 18:00.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <unistd.h>

#include "pm/domain/communication.hpp"
#include "pm/mail/mail_import.hpp"
#include "pm/storage/ledger.hpp"

using namespace pm;
namespace fs = std::filesystem;
using std::chrono::minutes;

namespace {

struct TempDir {
  fs::path path;
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "pm-import-XXXXXX").string();
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

Instant msk(const std::string& local) {
  return parse_instant(local.substr(0, 10) + "T" + local.substr(11) + ":00+03:00", "test");
}

ProjectConfig config() {
  ProjectConfig c;
  c.name = "Website";
  c.timezone = "Europe/Moscow";
  c.manager = Person{"Anna Petrova", "anna@agency.example", "team", {"manager"}, ""};
  c.people.push_back(Person{"Ivan Sidorov", "ivan@client.example", "client", {"approver"}, ""});
  c.people.push_back(Person{"Boris Orlov", "boris@agency.example", "team", {"developer"}, ""});
  return c;
}

/// A message: headers in order, then a blank line and the body.
std::string message(std::initializer_list<std::string> headers, const std::string& body) {
  std::string m;
  for (const auto& h : headers) {
    m += h + "\n";
  }
  return m + "\n" + body;
}

// Monday 16 November 2026, 10:00: the client asks.
const std::string k_request = message(
    {"From: Ivan Sidorov <ivan@client.example>", "To: Anna Petrova <anna@agency.example>",
     "Subject: Deadline of stage 2", "Date: Mon, 16 Nov 2026 10:00:00 +0300",
     "Message-ID: <m1@client.example>"},
    "Can we move the deadline of stage 2?\n\n-- \nIvan\n");
// 11:40 the same day: the manager answers it (In-Reply-To): 1 h 40 min of working time.
const std::string k_reply = message(
    {"From: Anna Petrova <anna@agency.example>", "To: Ivan Sidorov <ivan@client.example>",
     "Subject: Re: Deadline of stage 2", "Date: Mon, 16 Nov 2026 11:40:00 +0300",
     "Message-ID: <m2@agency.example>", "In-Reply-To: <m1@client.example>",
     "References: <m1@client.example>"},
    "Yes, to 20 December.\n\n> Can we move the deadline of stage 2?\n");
// 14:00: the client writes again in the thread, by its subject only (no In-Reply-To).
const std::string k_again = message(
    {"From: ivan@client.example", "To: anna@agency.example",
     "Subject: Re: Deadline of stage 2", "Date: Mon, 16 Nov 2026 14:00:00 +0300",
     "Message-ID: <m3@client.example>"},
    "And stage 3?\n");
// Tuesday 09:30: a forwarded letter, without a Message-ID (its digest keys it).
const std::string k_forward = message(
    {"From: ivan@client.example", "To: anna@agency.example", "Subject: Fwd: Invoice 17",
     "Date: Tue, 17 Nov 2026 09:30:00 +0300"},
    "See below.\n\n---------- Forwarded message ----------\nInvoice 17 is due.\n");
// Tuesday 10:00: an RFC 2047 subject, "Сроки этапа 3".
const std::string k_cyrillic = message(
    {"From: ivan@client.example", "To: anna@agency.example",
     "Subject: =?UTF-8?B?0KHRgNC+0LrQuCDRjdGC0LDQv9CwIDM=?=",
     "Date: Tue, 17 Nov 2026 10:00:00 +0300", "Message-ID: <m5@client.example>",
     "MIME-Version: 1.0", "Content-Type: text/plain; charset=utf-8"},
    "Когда этап 3?\n");
// Tuesday 11:00: somebody not in project.yaml answers the manager's letter.
const std::string k_stranger = message(
    {"From: Petr Ivanov <petr@client.example>", "To: anna@agency.example",
     "Subject: Re: Deadline of stage 2", "Date: Tue, 17 Nov 2026 11:00:00 +0300",
     "Message-ID: <m6@client.example>", "In-Reply-To: <m2@agency.example>"},
    "I agree with Ivan.\n");
// Tuesday 12:00: a shop's newsletter, and the manager's note to a colleague: unrelated.
const std::string k_newsletter = message(
    {"From: news@shop.example", "To: anna@agency.example", "Subject: Sale",
     "Date: Tue, 17 Nov 2026 12:00:00 +0300", "Message-ID: <n1@shop.example>"},
    "50% off\n");
const std::string k_internal = message(
    {"From: anna@agency.example", "To: boris@agency.example", "Subject: Lunch",
     "Date: Tue, 17 Nov 2026 12:30:00 +0300", "Message-ID: <l1@agency.example>"},
    "At 13:00?\n");
// No Date header: a problem.
const std::string k_broken = message(
    {"From: ivan@client.example", "To: anna@agency.example", "Subject: Broken",
     "Message-ID: <bad@client.example>"},
    "No date.\n");
// Wednesday 10:00: the manager answers the thread again, which answers both waiting requests
// of it (the 14:00 one and the stranger's).
const std::string k_reply2 = message(
    {"From: anna@agency.example", "To: ivan@client.example", "Cc: petr@client.example",
     "Subject: RE: Deadline of stage 2", "Date: Wed, 18 Nov 2026 10:00:00 +0300",
     "Message-ID: <m9@agency.example>"},
    "Stage 3 moves too.\n");
// Wednesday 16:00: Boris sends the weekly status with pm's template header.
const std::string k_status = message(
    {"From: Boris Orlov <boris@agency.example>", "To: ivan@client.example",
     "Subject: Website: status for week 47", "Date: Wed, 18 Nov 2026 16:00:00 +0300",
     "Message-ID: <s47@agency.example>", "X-PM-Template: weekly-status"},
    "Done: stage 1.\n");

fs::path make_maildir(const fs::path& dir) {
  const fs::path m = dir / "Mail";
  // Written in no particular order: the import sorts by Date.
  write(m / "cur" / "1763300000.1.host:2,S", k_reply2);
  write(m / "cur" / "1763300001.2.host:2,S", k_request);
  write(m / "cur" / "1763300002.3.host:2,S", k_reply);
  write(m / "cur" / "1763300003.4.host:2,S", k_again);
  write(m / "cur" / "1763300004.5.host:2,S", k_forward);
  write(m / "new" / "1763300005.6.host", k_cyrillic);
  write(m / "new" / "1763300006.7.host", k_stranger);
  write(m / "new" / "1763300007.8.host", k_newsletter);
  write(m / "new" / "1763300008.9.host", k_internal);
  write(m / "new" / "1763300009.10.host", k_broken);
  write(m / "new" / "1763300010.11.host", k_status);
  fs::create_directories(m / "tmp");
  return m;
}

const Instant k_now = msk("2026-11-20 10:00");

std::size_t count(Ledger& ledger, const std::string& kind = "") {
  EntryQuery q;
  if (!kind.empty()) {
    q.kinds = {kind};
  }
  return ledger.list(q).size();
}

}  // namespace

TEST_CASE("mail_import: a Maildir of requests and replies and letters", "[mail_import]") {
  TempDir dir;
  const fs::path maildir = make_maildir(dir.path);
  Ledger ledger(":memory:", Ledger::Mode::create);
  const ProjectConfig c = config();
  MailImportResult r = import_mail(ledger, c, {maildir}, k_now, false);
  CHECK(r.read == 10);
  CHECK(r.requests == 5);    // m1, m3, the forward, the Cyrillic one, the stranger's
  CHECK(r.letters == 3);     // m2, m9, the status
  CHECK(r.replies == 3);     // m2 answers I1; m9 answers I2 and I5
  CHECK(r.duplicates == 0);
  CHECK(r.unrelated == 2);   // the newsletter, the manager's note to Boris
  REQUIRE(r.problems.size() == 1);
  CHECK(r.problems[0].source == (maildir / "new" / "1763300009.10.host").string());
  CHECK_THAT(r.problems[0].why, Catch::Contains("Date"));
  REQUIRE(r.notes.size() == 1);
  CHECK_THAT(r.notes[0], Catch::Contains("petr@client.example") &&
                             Catch::Contains("not in project.yaml"));
  CHECK(count(ledger) == 5 + 3 + 3);

  // Requests are numbered by Date, whatever the files' order.
  auto i1 = ledger.find_numbered("request", 1);
  REQUIRE(i1);
  CHECK(i1->text == "Deadline of stage 2");
  CHECK(i1->source == "mail");
  CHECK(i1->effective_at == msk("2026-11-16 10:00"));
  CHECK(i1->data.value("from", "") == "ivan@client.example");
  CHECK(i1->data.value("from_name", "") == "Ivan Sidorov");
  CHECK(i1->data.value("message_id", "") == "m1@client.example");
  CHECK(i1->data.value("thread", "") == "deadline of stage 2");
  CHECK_FALSE(i1->data.contains("in_thread"));
  // The excerpt stops at the signature.
  CHECK(i1->data.value("excerpt", "") == "Can we move the deadline of stage 2?");

  auto i2 = ledger.find_numbered("request", 2);
  REQUIRE(i2);
  CHECK(i2->text == "Re: Deadline of stage 2");
  CHECK(i2->data.value("in_thread", false));
  CHECK(i2->data.value("thread", "") == "deadline of stage 2");

  auto i3 = ledger.find_numbered("request", 3);
  REQUIRE(i3);
  CHECK(i3->text == "Fwd: Invoice 17");
  CHECK(i3->data.value("thread", "") == "invoice 17");
  CHECK(i3->data.value("message_id", "").rfind("sha256:", 0) == 0);

  auto i4 = ledger.find_numbered("request", 4);
  REQUIRE(i4);
  CHECK(i4->text == "Сроки этапа 3");
  CHECK(i4->data.value("thread", "") == "сроки этапа 3");
  CHECK(i4->data.value("excerpt", "") == "Когда этап 3?");

  auto i5 = ledger.find_numbered("request", 5);
  REQUIRE(i5);
  CHECK(i5->data.value("from", "") == "petr@client.example");
  CHECK(i5->data.value("in_thread", false));
  CHECK(i5->data.value("thread", "") == "deadline of stage 2");
  CHECK_FALSE(ledger.find_numbered("request", 6));

  // The letters: the status keeps its template, the others have none.
  EntryQuery letters;
  letters.kinds = {"letter"};
  auto sent = ledger.list(letters);
  REQUIRE(sent.size() == 3);
  CHECK(sent[0].data.value("message_id", "") == "m2@agency.example");
  CHECK(sent[0].data.value("template", "x") == "");
  CHECK(sent[0].author == "Anna Petrova");
  CHECK(sent[0].data["to"] == Json::array({"ivan@client.example"}));
  CHECK(sent[1].data["cc"] == Json::array({"petr@client.example"}));
  CHECK(sent[2].text == "Website: status for week 47");
  CHECK(sent[2].data.value("template", "") == "weekly-status");
  CHECK(sent[2].author == "Boris Orlov");

  // Reply times by hand: I1 Monday 10:00 -> 11:40 = 100 min. I2 Monday 14:00 -> Wednesday
  // 10:00 = 4 h + 9 h + 1 h = 14 h. I5 Tuesday 11:00 -> Wednesday 10:00 = 7 h + 1 h = 8 h.
  // I3 and I4 still wait at Friday 10:00: from Tuesday 09:30 = 8 h 30 min + 9 h + 9 h + 1 h.
  const Calendar calendar(find_zone("Europe/Moscow"));
  auto rows = requests_between(ledger, calendar, sla_targets(c), msk("2026-11-01 00:00"),
                               msk("2026-12-01 00:00"), k_now);
  REQUIRE(rows.size() == 5);
  CHECK(rows[0].reply->effective_at == msk("2026-11-16 11:40"));
  CHECK(rows[0].waited == minutes(100));
  CHECK_FALSE(rows[0].breach);
  CHECK(rows[0].reply->data.value("letter", EntryId(0)) == sent[0].id);
  CHECK(rows[1].waited == minutes(14 * 60));
  CHECK(rows[1].breach);
  CHECK(rows[1].reply->data.value("letter", EntryId(0)) == sent[1].id);
  CHECK_FALSE(rows[2].replied());
  CHECK(rows[2].waited == minutes(27 * 60 + 30));
  CHECK_FALSE(rows[3].replied());
  CHECK(rows[4].waited == minutes(8 * 60));
  CHECK(median_reply(rows) == minutes(8 * 60));
}

TEST_CASE("mail_import: importing the same mail again adds nothing", "[mail_import]") {
  TempDir dir;
  const fs::path maildir = make_maildir(dir.path);
  Ledger ledger(":memory:", Ledger::Mode::create);
  const ProjectConfig c = config();
  import_mail(ledger, c, {maildir}, k_now, false);
  const std::size_t before = count(ledger);
  REQUIRE(before == 11);
  MailImportResult again = import_mail(ledger, c, {maildir}, k_now + minutes(5), false);
  CHECK(again.read == 10);
  // Everything the first import recorded, the message without a Message-ID included (by its
  // digest); the unrelated ones are unrelated again.
  CHECK(again.duplicates == 8);
  CHECK(again.unrelated == 2);
  CHECK(again.requests == 0);
  CHECK(again.letters == 0);
  CHECK(again.replies == 0);
  CHECK(again.problems.size() == 1);
  CHECK(count(ledger) == before);
}

TEST_CASE("mail_import: a dry run records nothing", "[mail_import]") {
  TempDir dir;
  const fs::path maildir = make_maildir(dir.path);
  Ledger ledger(":memory:", Ledger::Mode::create);
  MailImportResult r = import_mail(ledger, config(), {maildir}, k_now, true);
  CHECK(r.requests == 5);
  CHECK(r.letters == 3);
  CHECK(r.replies == 3);
  CHECK(count(ledger) == 0);
  // And the real import afterwards still records it all.
  MailImportResult real = import_mail(ledger, config(), {maildir}, k_now, false);
  CHECK(real.requests == 5);
  CHECK(real.duplicates == 0);
  CHECK(count(ledger) == 11);
}

TEST_CASE("mail_import: an mbox of two messages and a single eml file", "[mail_import]") {
  TempDir dir;
  write(dir.path / "inbox.mbox", "From ivan@client.example Mon Nov 16 07:00:00 2026\n" +
                                     k_request +
                                     "\nFrom anna@agency.example Mon Nov 16 08:40:00 2026\n" +
                                     k_reply + "\n");
  write(dir.path / "status.eml", k_status);
  Ledger ledger(":memory:", Ledger::Mode::create);
  const ProjectConfig c = config();
  MailImportResult r = import_mail(ledger, c, {dir.path / "inbox.mbox"}, k_now, false);
  CHECK(r.read == 2);
  CHECK(r.requests == 1);
  CHECK(r.letters == 1);
  CHECK(r.replies == 1);
  CHECK(r.problems.empty());
  r = import_mail(ledger, c, {dir.path / "status.eml"}, k_now, false);
  CHECK(r.read == 1);
  CHECK(r.letters == 1);
  CHECK(r.replies == 0);
  CHECK(count(ledger, "letter") == 2);
  // Both paths at once, again: all duplicates.
  r = import_mail(ledger, c, {dir.path / "inbox.mbox", dir.path / "status.eml"}, k_now, false);
  CHECK(r.read == 3);
  CHECK(r.duplicates == 3);
  CHECK(count(ledger) == 4);
  // The same messages in a Maildir are the same messages.
  write(dir.path / "Mail" / "cur" / "1.a:2,S", k_request);
  write(dir.path / "Mail" / "new" / "2.b", k_reply);
  r = import_mail(ledger, c, {dir.path / "Mail"}, k_now, false);
  CHECK(r.duplicates == 2);
  CHECK(count(ledger) == 4);
}

TEST_CASE("mail_import: a letter answers only requests that came before it", "[mail_import]") {
  TempDir dir;
  // The manager's letter in the thread at 09:00, the client's request at 10:00: the letter
  // does not answer a request that came after it.
  const std::string early = message(
      {"From: anna@agency.example", "To: ivan@client.example", "Subject: Deadline of stage 2",
       "Date: Mon, 16 Nov 2026 09:00:00 +0300", "Message-ID: <e1@agency.example>"},
      "Heads up.\n");
  write(dir.path / "a.eml", early);
  write(dir.path / "b.eml", k_request);
  Ledger ledger(":memory:", Ledger::Mode::create);
  MailImportResult r =
      import_mail(ledger, config(), {dir.path / "a.eml", dir.path / "b.eml"}, k_now, false);
  CHECK(r.letters == 1);
  CHECK(r.requests == 1);
  CHECK(r.replies == 0);
  auto i1 = ledger.find_numbered("request", 1);
  REQUIRE(i1);
  // The client's letter is in the thread the manager's letter started.
  CHECK(i1->data.value("in_thread", false));
  CHECK(count(ledger, "reply") == 0);
}

TEST_CASE("mail_import: record_letter_message records a letter once", "[mail_import]") {
  Ledger ledger(":memory:", Ledger::Mode::create);
  const ProjectConfig c = config();
  TempDir dir;
  write(dir.path / "in.eml", k_request);
  import_mail(ledger, c, {dir.path / "in.eml"}, k_now, false);
  const MailMessage m = parse_mail_message(k_reply, "reply.eml");
  const EntryId id = record_letter_message(ledger, c, m, k_now);
  REQUIRE(id != 0);
  CHECK(ledger.find(id)->kind == "letter");
  CHECK(count(ledger, "reply") == 1);  // it answers I1
  CHECK(record_letter_message(ledger, c, m, k_now) == 0);
  CHECK(count(ledger) == 3);
  // And the import of the same message later knows it.
  write(dir.path / "reply.eml", k_reply);
  MailImportResult r = import_mail(ledger, c, {dir.path / "reply.eml"}, k_now, false);
  CHECK(r.duplicates == 1);
  CHECK(count(ledger) == 3);
}

TEST_CASE("mail_import: a reply by In-Reply-To answers a request without a subject", "[mail_import]") {
  TempDir dir;
  // The client's letter has no Subject, so no thread key; the manager's answer names it in
  // In-Reply-To, 30 minutes later.
  write(dir.path / "a.eml", message({"From: ivan@client.example", "To: anna@agency.example",
                                     "Date: Thu, 19 Nov 2026 16:00:00 +0300",
                                     "Message-ID: <ns1@client.example>"},
                                    "Call me.\n"));
  write(dir.path / "b.eml", message({"From: anna@agency.example", "To: ivan@client.example",
                                     "Date: Thu, 19 Nov 2026 16:30:00 +0300",
                                     "Message-ID: <ns2@agency.example>",
                                     "In-Reply-To: <ns1@client.example>"},
                                    "Calling.\n"));
  // Another subjectless request the answer does not name stays waiting.
  write(dir.path / "c.eml", message({"From: ivan@client.example", "To: anna@agency.example",
                                     "Date: Thu, 19 Nov 2026 16:10:00 +0300",
                                     "Message-ID: <ns3@client.example>"},
                                    "And another thing.\n"));
  Ledger ledger(":memory:", Ledger::Mode::create);
  const ProjectConfig c = config();
  MailImportResult r = import_mail(
      ledger, c, {dir.path / "a.eml", dir.path / "b.eml", dir.path / "c.eml"}, k_now, false);
  CHECK(r.requests == 2);
  CHECK(r.letters == 1);
  CHECK(r.replies == 1);
  const Calendar calendar(find_zone("Europe/Moscow"));
  auto rows = requests_between(ledger, calendar, sla_targets(c), msk("2026-11-01 00:00"),
                               msk("2026-12-01 00:00"), k_now);
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].request.text == "(no subject)");
  REQUIRE(rows[0].replied());
  CHECK(rows[0].waited == minutes(30));
  CHECK_FALSE(rows[1].replied());
  // Importing it again answers nothing twice.
  r = import_mail(ledger, c, {dir.path / "b.eml"}, k_now, false);
  CHECK(r.duplicates == 1);
  CHECK(count(ledger, "reply") == 1);
}

TEST_CASE("mail_import: a forward inside the team is no reply to the client", "[mail_import]") {
  TempDir dir;
  // Monday 10:00 the client asks; 10:20 the manager forwards it to Boris only; 13:00 she
  // answers the client: 3 h of working time, past the 2 h.
  write(dir.path / "a.eml", k_request);
  write(dir.path / "b.eml",
        message({"From: anna@agency.example", "To: Boris Orlov <boris@agency.example>",
                 "Subject: Fwd: Deadline of stage 2", "Date: Mon, 16 Nov 2026 10:20:00 +0300",
                 "Message-ID: <f1@agency.example>", "In-Reply-To: <m1@client.example>"},
                "Boris, can we?\n"));
  write(dir.path / "c.eml",
        message({"From: anna@agency.example", "To: ivan@client.example",
                 "Subject: Re: Deadline of stage 2", "Date: Mon, 16 Nov 2026 13:00:00 +0300",
                 "Message-ID: <r1@agency.example>"},
                "No.\n"));
  Ledger ledger(":memory:", Ledger::Mode::create);
  const ProjectConfig c = config();
  MailImportResult r = import_mail(
      ledger, c, {dir.path / "a.eml", dir.path / "b.eml", dir.path / "c.eml"}, k_now, false);
  CHECK(r.requests == 1);
  CHECK(r.unrelated == 1);  // the forward
  CHECK(r.letters == 1);
  CHECK(r.replies == 1);
  const Calendar calendar(find_zone("Europe/Moscow"));
  auto rows = requests_between(ledger, calendar, sla_targets(c), msk("2026-11-01 00:00"),
                               msk("2026-12-01 00:00"), k_now);
  REQUIRE(rows.size() == 1);
  REQUIRE(rows[0].replied());
  CHECK(rows[0].reply->effective_at == msk("2026-11-16 13:00"));
  CHECK(rows[0].waited == minutes(180));
  CHECK(rows[0].breach);
}
