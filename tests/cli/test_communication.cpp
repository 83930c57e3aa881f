// The communication log end to end through the built pm: pm request, pm reply and pm sla
// against hand counts; pm send through a fake sendmail (a shell script that keeps what it is
// given); pm mail import, pm letter record, and --send on report, log-agreement.
//
// The harness's project: Europe/Moscow (UTC+3), calendar none, Monday to Friday 09:00-18:00,
// PM_NOW Friday 20 November 2026 10:00; Anna Petrova <anna@example.com> manages, Ivan Sidorov
// <ivan@acme.example> is the client's approver.
#include <catch2/catch.hpp>

#include <fstream>

#include <nlohmann/json.hpp>
#include <sys/stat.h>

#include "eml_check.hpp"
#include "harness.hpp"

using namespace pm::test;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

void write(const fs::path& file, const std::string& text) {
  fs::create_directories(file.parent_path());
  std::ofstream(file, std::ios::binary) << text;
}

/// A Maildir at `dir` (cur/, new/, tmp/) holding `message` in cur/ as `name`.
void maildir(const fs::path& dir, const std::string& name, const std::string& message) {
  for (const char* sub : {"cur", "new", "tmp"}) {
    fs::create_directories(dir / sub);
  }
  write(dir / "cur" / name, message);
}

void append_config(const Project& p, const std::string& yaml) {
  std::ofstream(p.root() / "work/.pm/project.yaml", std::ios::app) << yaml;
}

/// A fake sendmail in the project's temp dir: keeps each message it is given as
/// ROOT/outbox/N.eml and its arguments in ROOT/args, prints `say` and exits with `code`.
fs::path fake_sendmail(const Project& p, int code = 0, const std::string& say = "") {
  const fs::path script = p.root() / (code == 0 ? "fake-sendmail" : "failing-sendmail");
  const fs::path outbox = p.root() / "outbox";
  fs::create_directories(outbox);
  write(script, "#!/bin/sh\n"
                "n=$(ls '" + outbox.string() + "' | wc -l)\n"
                "cat > '" + outbox.string() + "'/$((n + 1)).eml\n"
                "printf '%s\\n' \"$*\" > '" + (p.root() / "args").string() + "'\n" +
                (say.empty() ? "" : "echo '" + say + "' >&2\n") +
                "exit " + std::to_string(code) + "\n");
  fs::permissions(script, fs::perms::owner_all);
  return script;
}

/// The messages the fake sendmail was given, in order.
std::vector<std::string> outbox(const Project& p) {
  std::vector<std::string> out;
  for (int n = 1; fs::exists(p.root() / "outbox" / (std::to_string(n) + ".eml")); ++n) {
    out.push_back(read(p.root() / "outbox" / (std::to_string(n) + ".eml")));
  }
  return out;
}

/// The value of header `name` in `message` (its first line), or "".
std::string header(const std::string& message, const std::string& name) {
  std::size_t at = 0;
  while (at < message.size()) {
    std::size_t end = message.find('\n', at);
    std::string line = message.substr(at, end == std::string::npos ? end : end - at);
    if (!line.empty() && line.back() == '\r') {
      line.pop_back();
    }
    if (line.empty()) {
      break;  // the body
    }
    if (line.size() > name.size() && line.compare(0, name.size() + 1, name + ":") == 0) {
      std::size_t v = line.find_first_not_of(' ', name.size() + 1);
      return v == std::string::npos ? "" : line.substr(v);
    }
    if (end == std::string::npos) {
      break;
    }
    at = end + 1;
  }
  return "";
}

json sla_json(const Project& p, const std::string& period = "2026-11") {
  Result r = p.pm({"sla", "--json", "--period", period});
  REQUIRE(r.code == 0);
  return json::parse(r.out);
}

const json& request_row(const json& sla, int number) {
  for (const auto& r : sla["requests"]) {
    if (r["number"] == number) {
      return r;
    }
  }
  FAIL("no request I" << number << " in " << sla.dump());
  return sla;
}

// Thursday 19 November 16:00: Ivan asks by mail.
const std::string k_question =
    "From: Ivan Sidorov <ivan@acme.example>\n"
    "To: Anna Petrova <anna@example.com>\n"
    "Subject: Demo date\n"
    "Date: Thu, 19 Nov 2026 16:00:00 +0300\n"
    "Message-ID: <q1@acme.example>\n"
    "\n"
    "When is the demo?\n";

}  // namespace

TEST_CASE("communication cli: request and reply and sla against hand counts", "[communication]") {
  Project p;
  // I1 Friday 13 November 17:00, answered Monday 10:00: 1 h + 1 h = 120 min, on the target.
  Result r = p.pm({"request", "Move the demo", "--from", "Ivan", "--on", "2026-11-13 17:00"});
  REQUIRE(r.code == 0);
  CHECK(r.out == "1\n");
  CHECK_THAT(r.err, Catch::Contains("reply by 2026-11-16 10:00"));
  r = p.pm({"reply", "1", "Moved to Friday", "--on", "2026-11-16 10:00"});
  REQUIRE(r.code == 0);
  CHECK_THAT(r.err, Catch::Contains("after 2 h of working time"));
  CHECK_THAT(r.err, !Catch::Contains("past the SLA"));
  // I2 Saturday 14 November 11:00 by chat, answered Monday 11:30: 150 min, a breach.
  r = p.pm({"request", "Send the invoice", "--from", "ivan@acme.example", "--via", "chat", "--on",
            "2026-11-14 11:00"});
  REQUIRE(r.code == 0);
  CHECK(r.out == "2\n");
  r = p.pm({"reply", "2", "--on", "2026-11-16 11:30", "--via", "call"});
  REQUIRE(r.code == 0);
  CHECK_THAT(r.err, Catch::Contains("2 h 30 min") && Catch::Contains("past the SLA"));
  // I3 "Thanks", closed without a reply a day later: not counted.
  REQUIRE(p.pm({"request", "Thanks", "--from", "Ivan", "--on", "2026-11-17 10:00"}).code == 0);
  r = p.pm({"reply", "3", "--no-reply-needed", "--on", "2026-11-18 10:00"});
  REQUIRE(r.code == 0);
  CHECK_THAT(r.err, Catch::Contains("closed without a reply"));
  // I4 Thursday 19 November 15:00, no reply at Friday 10:00: 3 h + 1 h = 240 min, a breach.
  REQUIRE(p.pm({"request", "Call back", "--from", "Ivan", "--on", "2026-11-19 15:00"}).code == 0);

  const json sla = sla_json(p);
  CHECK(sla["targets"]["reply_minutes"] == 120);
  CHECK(sla["targets"]["status_every_days"] == 5);
  CHECK(sla["breaches"] == 2);
  CHECK(sla["median_reply_minutes"] == 135);  // (120 + 150) / 2; I3 is not counted
  REQUIRE(sla["requests"].size() == 4);
  // Breaches first, then in order of arrival.
  CHECK(sla["requests"][0]["number"] == 2);
  CHECK(sla["requests"][1]["number"] == 4);
  CHECK(sla["requests"][2]["number"] == 1);
  CHECK(sla["requests"][3]["number"] == 3);
  const json& i1 = request_row(sla, 1);
  CHECK(i1["working_minutes"] == 120);
  CHECK(i1["breach"] == false);
  CHECK(i1["received"] == "2026-11-13T17:00:00+03:00");
  CHECK(i1["replied"] == "2026-11-16T10:00:00+03:00");
  CHECK(i1["reply_due"] == "2026-11-16T10:00:00+03:00");
  CHECK(i1["from"] == "ivan@acme.example");
  CHECK(i1["via"] == "call");
  const json& i2 = request_row(sla, 2);
  CHECK(i2["working_minutes"] == 150);
  CHECK(i2["via"] == "chat");
  CHECK(i2["breach"] == true);
  const json& i3 = request_row(sla, 3);
  CHECK(i3["needs_reply"] == false);
  CHECK(i3["breach"] == false);
  const json& i4 = request_row(sla, 4);
  CHECK(i4["replied"].is_null());
  CHECK(i4["working_minutes"] == 240);
  CHECK(i4["breach"] == true);

  r = p.pm({"sla", "--period", "2026-11"});
  REQUIRE(r.code == 0);
  CHECK_THAT(r.out, Catch::Contains("Requests: 4, 2 past the SLA; median reply time 2 h 15 min"));
  CHECK_THAT(r.out, Catch::Contains("breach, waiting"));
  CHECK_THAT(r.out, Catch::Contains("no reply needed"));
  // Another month has none of them.
  CHECK(sla_json(p, "2026-10")["requests"].empty());
  // --since and --until, both days included: Saturday 14 to Tuesday 17 November.
  r = p.pm({"sla", "--json", "--since", "2026-11-14", "--until", "2026-11-17"});
  REQUIRE(r.code == 0);
  const json some = json::parse(r.out);
  REQUIRE(some["requests"].size() == 2);
  CHECK(some["requests"][0]["number"] == 2);
  CHECK(some["requests"][1]["number"] == 3);
  CHECK(some["median_reply_minutes"] == 150);
  CHECK(p.pm({"sla", "--until", "2026-11-17"}).code == 2);
  CHECK(p.pm({"sla", "--period", "2026-11", "--since", "2026-11-01"}).code == 2);
}

TEST_CASE("communication cli: request and reply refuse bad input", "[communication]") {
  Project p;
  const int before = p.entry_count();
  CHECK(p.pm({"request", "X", "--from", "Anna Petrova"}).code != 0);  // not a client
  CHECK(p.pm({"request", "X", "--from", "Ivan", "--on", "2026-11-21 10:00"}).code != 0);  // future
  CHECK(p.pm({"request", "X", "--from", "Ivan", "--via", "fax"}).code != 0);
  CHECK(p.pm({"reply", "7"}).code != 0);  // no such request
  REQUIRE(p.pm({"request", "X", "--from", "Ivan", "--on", "2026-11-19 10:00"}).code == 0);
  Result r = p.pm({"reply", "1", "--on", "2026-11-19 09:00"});  // before the request
  CHECK(r.code != 0);
  CHECK_THAT(r.err, Catch::Contains("before request I1"));
  CHECK(p.entry_count() == before + 1);
}

TEST_CASE("communication cli: pm send through a fake sendmail answers an imported request", "[communication]") {
  Project p;
  const fs::path fake = fake_sendmail(p);
  append_config(p, "mail:\n  command: " + fake.string() + " -t -i\n");
  maildir(p.root() / "Mail", "1.q1:2,S", k_question);
  Result r = p.pm({"mail", "import", (p.root() / "Mail").string()});
  REQUIRE(r.code == 0);
  CHECK_THAT(r.out, Catch::StartsWith("1 message: 1 request, 0 letters"));
  const int before = p.entry_count();

  r = p.pm({"send", "delay", "--set", "new_date=2026-12-20", "--set",
            "reason=The texts came late", "--answers", "I1"});
  REQUIRE(r.code == 0);
  CHECK_THAT(r.err, Catch::Contains("it replies to I1"));
  CHECK(read(p.root() / "args") == "-t -i\n");
  auto sent = outbox(p);
  REQUIRE(sent.size() == 1);
  const std::string& m = sent[0];
  const std::string id = header(m, "Message-ID");
  CHECK_THAT(id, Catch::StartsWith("<") && Catch::EndsWith("@example.com>"));
  CHECK_THAT(r.err, Catch::Contains("Message-ID " + id));
  CHECK_THAT(header(m, "To"), Catch::Contains("ivan@acme.example"));
  CHECK_THAT(header(m, "From"), Catch::Contains("anna@example.com"));
  CHECK(header(m, "In-Reply-To") == "<q1@acme.example>");
  CHECK(header(m, "X-PM-Template") == "delay");
  check_eml(p.root(), m, "Website: delay, new date 20 December 2026", "The texts came late");
  // The letter and the reply it makes.
  CHECK(p.entry_count() == before + 2);
  // Thursday 16:00-18:00 and Friday 09:00-10:00: 180 min, past the 2 h.
  const json i1 = request_row(sla_json(p), 1);
  CHECK(i1["replied"] == "2026-11-20T10:00:00+03:00");
  CHECK(i1["working_minutes"] == 180);
  CHECK(i1["breach"] == true);
  r = p.pm({"log"});
  REQUIRE(r.code == 0);
  CHECK_THAT(r.out, Catch::Contains("Website: delay, new date 20 December 2026"));

  // The request has its reply now: --answers it again is refused, nothing sent or recorded.
  r = p.pm({"send", "delay", "--set", "new_date=2026-12-21", "--set", "reason=Again",
            "--answers", "1"});
  CHECK(r.code != 0);
  CHECK_THAT(r.err, Catch::Contains("has its reply already"));
  CHECK(outbox(p).size() == 1);
  CHECK(p.entry_count() == before + 2);
  // A request that does not exist, and a number that is not one.
  r = p.pm({"send", "delay", "--set", "new_date=2026-12-21", "--set", "reason=x", "--answers",
            "I9"});
  CHECK(r.code == 2);
  CHECK_THAT(r.err, Catch::Contains("--answers I9: there is no such request"));
  CHECK(p.pm({"send", "delay", "--set", "new_date=2026-12-21", "--set", "reason=x",
              "--answers", "soon"})
            .code == 2);
  // Nor does pm reply give it a second reply: the SLA measures the first.
  r = p.pm({"reply", "1", "--via", "call"});
  CHECK(r.code == 1);
  CHECK_THAT(r.err, Catch::Contains("request I1 has its reply already"));
  CHECK(p.entry_count() == before + 2);
  CHECK(outbox(p).size() == 1);
  CHECK(p.entry_count() == before + 2);
  // The ledger's derived tables (the messages it holds) agree with its entries.
  Result verify = p.pm({"verify"});
  CHECK(verify.code == 0);
  CHECK_THAT(verify.out + verify.err, Catch::Contains("intact"));
}

TEST_CASE("communication cli: a failed submission exits 8 and records nothing", "[communication]") {
  Project p;
  const int before = p.entry_count();
  SECTION("the command fails") {
    const fs::path fake = fake_sendmail(p, 1, "relay denied");
    append_config(p, "mail:\n  command: " + fake.string() + " -t -i\n");
    Result r = p.pm({"send", "delay", "--set", "new_date=2026-12-20", "--set", "reason=Late"});
    CHECK(r.code == 8);
    CHECK_THAT(r.err, Catch::Contains(fake.string() + " -t -i"));
    CHECK_THAT(r.err, Catch::Contains("relay denied"));
    CHECK_THAT(r.err, Catch::Contains("exit code 1"));
    CHECK(outbox(p).size() == 1);  // it was handed the message, and refused it
  }
  SECTION("the command does not exist") {
    append_config(p, "mail:\n  command: " + (p.root() / "no-such-sendmail").string() + " -t\n");
    Result r = p.pm({"send", "delay", "--set", "new_date=2026-12-20", "--set", "reason=Late"});
    CHECK(r.code == 8);
    CHECK_THAT(r.err, Catch::Contains("could not be started"));
    CHECK_THAT(r.err, Catch::Contains("no-such-sendmail"));
  }
  SECTION("log-agreement --send fails the same way") {
    const fs::path fake = fake_sendmail(p, 1, "relay denied");
    append_config(p, "mail:\n  command: " + fake.string() + "\n");
    Result r = p.pm({"log-agreement", "Launch on 15 December", "--with", "Ivan", "--send"});
    CHECK(r.code == 8);
    CHECK_THAT(r.err, Catch::Contains("relay denied"));
  }
  CHECK(p.entry_count() == before);
}

TEST_CASE("communication cli: send --dry-run prints the message and records nothing", "[communication]") {
  Project p;
  const fs::path fake = fake_sendmail(p);
  append_config(p, "mail:\n  command: " + fake.string() + " -t -i\n");
  write(p.root() / "q.eml", k_question);
  REQUIRE(p.pm({"mail", "import", (p.root() / "q.eml").string()}).code == 0);
  const int before = p.entry_count();
  Result r = p.pm({"send", "delay", "--set", "new_date=2026-12-20", "--set", "reason=Late",
                   "--answers", "I1", "--dry-run"});
  REQUIRE(r.code == 0);
  CHECK(header(r.out, "Subject") == "Website: delay, new date 20 December 2026");
  CHECK(header(r.out, "In-Reply-To") == "<q1@acme.example>");
  CHECK_FALSE(header(r.out, "Message-ID").empty());
  CHECK_THAT(r.err, Catch::Contains("dry run") && Catch::Contains("it would reply to I1"));
  CHECK(outbox(p).empty());
  CHECK(p.entry_count() == before);
  CHECK(request_row(sla_json(p), 1)["replied"].is_null());
}

TEST_CASE("communication cli: the user config's mail command when the project has none", "[communication]") {
  Project p;
  const fs::path fake = fake_sendmail(p);
  write(p.root() / ".config/pm/config.yaml", "mail:\n  command: " + fake.string() + " -t\n");
  Result r = p.pm({"send", "delay", "--set", "new_date=2026-12-20", "--set", "reason=Late"});
  REQUIRE(r.code == 0);
  CHECK(read(p.root() / "args") == "-t\n");
  CHECK(outbox(p).size() == 1);
  // The project's own wins.
  const fs::path other = p.root() / "other-sendmail";
  write(other, "#!/bin/sh\ncat > '" + (p.root() / "other.eml").string() + "'\n");
  fs::permissions(other, fs::perms::owner_all);
  append_config(p, "mail:\n  command: " + other.string() + "\n");
  r = p.pm({"send", "delay", "--set", "new_date=2026-12-21", "--set", "reason=Later"});
  REQUIRE(r.code == 0);
  CHECK(outbox(p).size() == 1);
  CHECK_THAT(read(p.root() / "other.eml"), Catch::Contains("21 December 2026"));
}

TEST_CASE("communication cli: mail import counts and a re-import that adds nothing", "[communication]") {
  Project p;
  write(p.root() / "Mail/cur/1.a:2,S", k_question);
  write(p.root() / "Mail/cur/2.b:2,S",
        "From: Anna Petrova <anna@example.com>\nTo: ivan@acme.example\nSubject: Re: Demo date\n"
        "Date: Thu, 19 Nov 2026 17:00:00 +0300\nMessage-ID: <a1@example.com>\n"
        "In-Reply-To: <q1@acme.example>\n\nOn Monday.\n");
  write(p.root() / "Mail/new/3.c", "From: shop@example.org\nTo: anna@example.com\nSubject: Sale\n"
                                   "Date: Thu, 19 Nov 2026 12:00:00 +0300\n\nBuy.\n");
  write(p.root() / "Mail/new/4.d", "From: ivan@acme.example\nSubject: No date\n\nOops.\n");
  const std::string maildir = (p.root() / "Mail").string();
  const int before = p.entry_count();
  Result r = p.pm({"mail", "import", maildir, "--dry-run"});
  REQUIRE(r.code == 0);
  CHECK_THAT(r.out, Catch::StartsWith("dry run, nothing recorded: 3 messages"));
  CHECK(p.entry_count() == before);
  r = p.pm({"mail", "import", maildir, "--dry-run", "--json"});
  REQUIRE(r.code == 0);
  const json dry = json::parse(r.out);
  CHECK(dry["dry_run"] == true);
  CHECK(dry["requests"] == 1);
  CHECK(dry["letters"] == 1);
  CHECK(dry["replies"] == 1);
  REQUIRE(dry["problems"].size() == 1);
  CHECK(dry["problems"][0]["source"] == maildir + "/new/4.d");
  CHECK(p.entry_count() == before);
  r = p.pm({"mail", "import", maildir});
  REQUIRE(r.code == 0);
  CHECK_THAT(r.out, Catch::StartsWith("3 messages: 1 request, 1 letter (replying to 1 request), "
                                      "0 already in the ledger, 1 not about this project, "
                                      "1 skipped"));
  CHECK_THAT(r.out, Catch::Contains("skipped " + maildir + "/new/4.d"));
  CHECK(p.entry_count() == before + 3);
  // Thursday 16:00 to 17:00: 60 min.
  CHECK(request_row(sla_json(p), 1)["working_minutes"] == 60);
  r = p.pm({"mail", "import", maildir, "--json"});
  REQUIRE(r.code == 0);
  const json j = json::parse(r.out);
  CHECK(j["read"] == 3);
  CHECK(j["duplicates"] == 2);
  CHECK(j["requests"] == 0);
  CHECK(j["letters"] == 0);
  CHECK(j["unrelated"] == 1);
  CHECK(j["problems"].size() == 1);
  r = p.pm({"mail", "import", maildir});
  CHECK_THAT(r.out, Catch::Contains("0 requests, 0 letters (replying to 0 requests), 2 already "
                                    "in the ledger"));
  CHECK(p.entry_count() == before + 3);
  // A path that is no mail at all.
  CHECK(p.pm({"mail", "import", (p.root() / "nothing-here").string()}).code != 0);
}

TEST_CASE("communication cli: letter record twice holds the letter once", "[communication]") {
  Project p;
  write(p.root() / "sent.eml",
        "From: Anna Petrova <anna@example.com>\nTo: ivan@acme.example\nSubject: Texts needed\n"
        "Date: Thu, 19 Nov 2026 12:00:00 +0300\nMessage-ID: <t1@example.com>\n\nPlease.\n");
  const int before = p.entry_count();
  Result r = p.pm({"letter", "record", (p.root() / "sent.eml").string()});
  REQUIRE(r.code == 0);
  CHECK_THAT(r.err, Catch::Contains("recorded letter 'Texts needed'") &&
                        Catch::Contains("not from a template"));
  CHECK(p.entry_count() == before + 1);
  r = p.pm({"letter", "record", (p.root() / "sent.eml").string()});
  REQUIRE(r.code == 0);
  CHECK_THAT(r.err, Catch::Contains("holds this letter already"));
  CHECK(p.entry_count() == before + 1);
  // The import of a Sent folder holding it knows it too.
  maildir(p.root() / "Sent", "1.x:2,S", read(p.root() / "sent.eml"));
  r = p.pm({"mail", "import", (p.root() / "Sent").string()});
  CHECK_THAT(r.out, Catch::Contains("1 already in the ledger"));
  CHECK(p.entry_count() == before + 1);
  // Not a mail message.
  write(p.root() / "junk.eml", "hello\n");
  CHECK(p.pm({"letter", "record", (p.root() / "junk.eml").string()}).code != 0);
}

TEST_CASE("communication cli: report --send and log-agreement --send record letters", "[communication]") {
  Project p;
  const fs::path fake = fake_sendmail(p);
  append_config(p, "mail:\n  command: " + fake.string() + " -t -i\n");
  Result r = p.pm({"sla", "--period", "2026-11"});
  REQUIRE(r.code == 0);
  CHECK_THAT(r.out, Catch::Contains("No status updates yet."));
  const int before = p.entry_count();
  r = p.pm({"report", "--format", "eml", "--send"});
  REQUIRE(r.code == 0);
  CHECK(r.out.empty());  // sent, not printed
  auto sent = outbox(p);
  REQUIRE(sent.size() == 1);
  CHECK(header(sent[0], "X-PM-Template") == "weekly-status");
  CHECK_THAT(header(sent[0], "To"), Catch::Contains("ivan@acme.example"));
  CHECK_FALSE(header(sent[0], "Message-ID").empty());
  CHECK(p.entry_count() == before + 1);
  json sla = sla_json(p);
  REQUIRE(sla["status_updates"].size() >= 1);
  CHECK(sla["status_updates"].back()["from"] == "2026-11-20T10:00:00+03:00");
  CHECK(sla["status_updates"].back()["to"].is_null());
  r = p.pm({"sla", "--period", "2026-11"});
  CHECK_THAT(r.out, Catch::Contains("2026-11-20 10:00") && Catch::Contains("(none yet)"));
  CHECK_THAT(r.out, !Catch::Contains("No status updates yet."));
  // Importing the Sent copy of the report adds nothing.
  maildir(p.root() / "Sent", "1.r:2,S", sent[0]);
  r = p.pm({"mail", "import", (p.root() / "Sent").string()});
  CHECK_THAT(r.out, Catch::Contains("1 already in the ledger"));
  CHECK(p.entry_count() == before + 1);

  r = p.pm({"log-agreement", "Launch on 15 December", "--with", "Ivan", "--send"});
  REQUIRE(r.code == 0);
  sent = outbox(p);
  REQUIRE(sent.size() == 2);
  CHECK(header(sent[1], "X-PM-Template") == "agreement-confirmation");
  CHECK_THAT(sent[1], Catch::Contains("Launch on 15 December"));
  CHECK(p.entry_count() == before + 3);  // the agreement and its letter
}

TEST_CASE("communication cli: change propose and approve with --send", "[communication]") {
  Project p;
  const fs::path fake = fake_sendmail(p);
  append_config(p, "mail:\n  command: " + fake.string() + " -t -i\n");
  const int before = p.entry_count();
  Result r = p.pm({"change", "propose", "Add a blog", "--reason", "Marketing", "--days", "5",
                   "--send"});
  REQUIRE(r.code == 0);
  CHECK_THAT(r.err, Catch::Contains("sent 'Website: change #1 for your approval'"));
  auto sent = outbox(p);
  REQUIRE(sent.size() == 1);
  CHECK(header(sent[0], "X-PM-Template") == "change-notice");
  CHECK_THAT(header(sent[0], "To"), Catch::Contains("ivan@acme.example"));
  CHECK(p.entry_count() == before + 2);  // the change and its letter
  // The team's approval alone decides nothing: there is no notice to send, nothing recorded.
  r = p.pm({"change", "approve", "1", "--side", "team", "--send"});
  CHECK(r.code != 0);
  CHECK_THAT(r.err, Catch::StartsWith("pm: error: --send: this approval does not decide change 1"));
  CHECK(outbox(p).size() == 1);
  CHECK(p.entry_count() == before + 2);
  REQUIRE(p.pm({"change", "approve", "1", "--side", "team"}).code == 0);
  // The client's approval decides it: the notice goes out and is recorded.
  r = p.pm({"change", "approve", "1", "--side", "client", "--by", "Ivan Sidorov", "--send"});
  REQUIRE(r.code == 0);
  sent = outbox(p);
  REQUIRE(sent.size() == 2);
  CHECK(header(sent[1], "X-PM-Template") == "change-notice");
  CHECK(header(sent[1], "Message-ID") != header(sent[0], "Message-ID"));
  CHECK(p.entry_count() == before + 5);  // two approvals and the letter
}

TEST_CASE("communication cli: without mail.command pm send runs sendmail -t -i from PATH", "[communication]") {
  Project p;
  const fs::path bin = p.root() / "bin";
  fs::create_directories(bin);
  SECTION("found") {
    fs::rename(fake_sendmail(p), bin / "sendmail");
    p.env["PATH"] = bin.string() + ":/usr/bin:/bin";
    Result r = p.pm({"send", "delay", "--set", "new_date=2026-12-20", "--set", "reason=Late"});
    REQUIRE(r.code == 0);
    CHECK(read(p.root() / "args") == "-t -i\n");
    CHECK(outbox(p).size() == 1);
  }
  SECTION("missing") {
    p.env["PATH"] = bin.string();
    const int before = p.entry_count();
    Result r = p.pm({"send", "delay", "--set", "new_date=2026-12-20", "--set", "reason=Late"});
    CHECK(r.code == 8);
    CHECK_THAT(r.err, Catch::Contains("'sendmail -t -i' could not be started"));
    CHECK(p.entry_count() == before);
  }
}
