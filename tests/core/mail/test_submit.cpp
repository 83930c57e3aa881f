// Handing a message to the mail command: its words, the command chosen, what a failure says.
#include <catch2/catch.hpp>

#include "pm/mail/submit.hpp"
#include "pm/util/error.hpp"

using namespace pm;
using Words = std::vector<std::string>;

TEST_CASE("submit: split_command splits at spaces and groups quoted words", "[mail_import]") {
  CHECK(split_command("sendmail -t -i") == Words{"sendmail", "-t", "-i"});
  CHECK(split_command("  msmtp\t-t   -a work ") == Words{"msmtp", "-t", "-a", "work"});
  CHECK(split_command("msmtp -C '/home/anna/my mail/msmtprc' -t") ==
        Words{"msmtp", "-C", "/home/anna/my mail/msmtprc", "-t"});
  CHECK(split_command("sh -c \"cat > '/tmp/x y'\"") == Words{"sh", "-c", "cat > '/tmp/x y'"});
  CHECK(split_command("a''b \"\"") == Words{"ab", ""});  // an empty quoted word is a word
  CHECK(split_command("$HOME/bin/send") == Words{"$HOME/bin/send"});  // nothing is expanded
  CHECK_THROWS_AS(split_command("msmtp -C 'unclosed"), Error);
  CHECK_THROWS_AS(split_command(""), Error);
  CHECK_THROWS_AS(split_command("   "), Error);
}

TEST_CASE("submit: mail_command prefers the project's then the user's", "[mail_import]") {
  ProjectConfig project;
  UserConfig user;
  CHECK(mail_command(project, user) == "sendmail -t -i");
  user.mail_command = "msmtp -t -a home";
  CHECK(mail_command(project, user) == "msmtp -t -a home");
  project.mail_command = "msmtp -t -a work";
  CHECK(mail_command(project, user) == "msmtp -t -a work");
}

TEST_CASE("submit: submit_message says why a command did not send", "[mail_import]") {
  const std::string message = "From: a@example.com\nTo: b@example.com\nSubject: x\n\nHi\n";
  CHECK_NOTHROW(submit_message("sh -c 'cat >/dev/null'", message));
  try {
    submit_message("sh -c 'cat >/dev/null; echo; echo \"  relay denied  \"; echo more; exit 3'",
                   message);
    FAIL("no error");
  } catch (const Error& e) {
    CHECK(e.code() == Exit::not_sent);
    const std::string what = e.what();
    CHECK_THAT(what, Catch::Contains("failed with exit code 3"));
    // The first line it printed, trimmed, and no more.
    CHECK_THAT(what, Catch::Contains("exit code 3 (relay denied): nothing was recorded"));
  }
  try {
    submit_message("/nonexistent/sendmail -t", message);
    FAIL("no error");
  } catch (const Error& e) {
    CHECK(e.code() == Exit::not_sent);
    CHECK_THAT(e.what(), Catch::Contains("could not be started") &&
                             Catch::Contains("/nonexistent/sendmail"));
  }
  try {
    submit_message("sh -c 'kill -9 $$'", message);
    FAIL("no error");
  } catch (const Error& e) {
    CHECK(e.code() == Exit::not_sent);
    CHECK_THAT(e.what(), Catch::Contains("killed by a signal"));
  }
}

TEST_CASE("submit: a Message-ID in the sender's domain and the message as read back", "[mail_import]") {
  Letter letter;
  letter.template_name = "delay";
  letter.from = Mailbox{"Anna Petrova", "anna@agency.example"};
  letter.to = {Mailbox{"Ivan", "ivan@client.example"}};
  letter.cc = {Mailbox{"", "petr@client.example"}};
  letter.subject = "Website: delay";
  letter.body = "Hello\n";
  const Instant now = parse_instant("2026-11-20T07:00:00Z", "test");
  const std::string id = new_message_id(letter, now);
  CHECK_THAT(id, Catch::EndsWith("@agency.example"));
  CHECK(id.find('<') == std::string::npos);
  CHECK(new_message_id(letter, now) == id);  // the same letter at the same moment
  CHECK(new_message_id(letter, now + std::chrono::seconds(1)) != id);
  Letter other = letter;
  other.body = "Hello again\n";
  CHECK(new_message_id(other, now) != id);
  other = letter;
  other.to = {Mailbox{"", "olga@client.example"}};
  CHECK(new_message_id(other, now) != id);

  letter.message_id = id;
  letter.in_reply_to = "q1@client.example";
  const MailMessage m = sent_message(letter, now);
  CHECK(m.message_id == id);
  CHECK(m.in_reply_to == std::vector<std::string>{"q1@client.example"});
  CHECK(m.references == std::vector<std::string>{"q1@client.example"});
  CHECK(m.from.address == "anna@agency.example");
  REQUIRE(m.to.size() == 1);
  CHECK(m.to[0].address == "ivan@client.example");
  REQUIRE(m.cc.size() == 1);
  CHECK(m.subject == "Website: delay");
  CHECK(m.date == now);
  CHECK(m.pm_headers ==
        std::vector<std::pair<std::string, std::string>>{{"X-PM-Template", "delay"}});
}
