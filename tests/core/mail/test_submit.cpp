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
