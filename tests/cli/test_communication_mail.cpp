// The communication log with real mail: a month of the client's letters and the manager's
// answers read from Maildirs and measured against hand counts; pm send through msmtp to a
// local SMTP server (aiosmtpd), whose mailbox read back holds nothing new.
#include <catch2/catch.hpp>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <fcntl.h>
#include <fstream>
#include <spawn.h>
#include <thread>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <nlohmann/json.hpp>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.hpp"

extern char** environ;

using namespace pm::test;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

void write(const fs::path& file, const std::string& text) {
  fs::create_directories(file.parent_path());
  std::ofstream(file, std::ios::binary) << text;
}

/// A client's letter (`id` on acme.example) or, with `answers`, the manager's answer to one.
std::string letter(const std::string& id, const std::string& subject, const std::string& date,
                   const std::string& answers = "") {
  if (answers.empty()) {
    return "From: Ivan Sidorov <ivan@acme.example>\nTo: Anna Petrova <anna@example.com>\n"
           "Subject: " + subject + "\nDate: " + date + " +0300\nMessage-ID: <" + id +
           "@acme.example>\n\nPlease see to it.\n";
  }
  return "From: Anna Petrova <anna@example.com>\nTo: Ivan Sidorov <ivan@acme.example>\n"
         "Subject: Re: " + subject + "\nDate: " + date + " +0300\nMessage-ID: <" + id +
         "@example.com>\nIn-Reply-To: <" + answers + "@acme.example>\n\nDone.\n";
}

}  // namespace

TEST_CASE("communication mail: a month of mail measured on the ru calendar", "[communication]") {
  // November 2026 on the ru calendar: Wednesday 4 November is a holiday; 09:00-18:00.
  Project p({"--calendar", "ru"});
  p.env["PM_NOW"] = "2026-12-01T10:00:00+03:00";  // Tuesday
  const fs::path inbox = p.root() / "Mail";
  const fs::path sent = p.root() / "Sent";
  struct Ask {
    const char* id;
    const char* subject;
    const char* asked;
    const char* answered;  // "" for never
  };
  const Ask asks[] = {
      // I1 Monday 2 Nov 10:00 -> 10:30: 30 min.
      {"r1", "Logo files", "Mon, 02 Nov 2026 10:00:00", "Mon, 02 Nov 2026 10:30:00"},
      // I2 Tuesday 3 Nov 17:00 -> Thursday 5 Nov 09:40 across the holiday: 60 + 40 = 100 min
      // (with 4 November a working day it would be 640 min, a breach).
      {"r2", "Hosting access", "Tue, 03 Nov 2026 17:00:00", "Thu, 05 Nov 2026 09:40:00"},
      // I3 Monday 9 Nov 11:00 -> 12:50: 110 min (1 h 50 min).
      {"r3", "Menu order", "Mon, 09 Nov 2026 11:00:00", "Mon, 09 Nov 2026 12:50:00"},
      // I4 Friday 13 Nov 16:30 -> Monday 16 Nov 10:30 across the weekend: 90 + 90 = 180 min
      // (3 h), a breach.
      {"r4", "Team photo", "Fri, 13 Nov 2026 16:30:00", "Mon, 16 Nov 2026 10:30:00"},
      // I5 Wednesday 18 Nov 09:15 -> 09:45: 30 min.
      {"r5", "Price list", "Wed, 18 Nov 2026 09:15:00", "Wed, 18 Nov 2026 09:45:00"},
      // I6 Thursday 19 Nov 17:30 -> Friday 20 Nov 09:20: 30 + 20 = 50 min.
      {"r6", "Contact form", "Thu, 19 Nov 2026 17:30:00", "Fri, 20 Nov 2026 09:20:00"},
      // I7 Tuesday 24 Nov 11:00, never answered; at Tuesday 1 December 10:00: 7 h (24th) +
      // 3 x 9 h (25th-27th) + 9 h (30th) + 1 h = 44 h = 2640 min, a breach, waiting.
      {"r7", "Footer text", "Tue, 24 Nov 2026 11:00:00", ""},
  };
  for (const fs::path& dir : {inbox, sent}) {
    for (const char* sub : {"cur", "new", "tmp"}) {
      fs::create_directories(dir / sub);
    }
  }
  int n = 0;
  for (const Ask& a : asks) {
    ++n;
    write(inbox / "cur" / (std::to_string(1000 + n) + ".in:2,S"), letter(a.id, a.subject, a.asked));
    if (*a.answered != '\0') {
      write(sent / "cur" / (std::to_string(2000 + n) + ".out:2,S"),
            letter(std::string("a") + a.id, a.subject, a.answered, a.id));
    }
  }
  const int before = p.entry_count();
  Result r = p.pm({"mail", "import", inbox.string(), sent.string()});
  REQUIRE(r.code == 0);
  CHECK(r.out == "13 messages: 7 requests, 6 letters (replying to 6 requests), 0 already in the "
                 "ledger, 0 not about this project\n");
  CHECK(p.entry_count() == before + 7 + 6 + 6);

  r = p.pm({"sla", "--json", "--period", "2026-11"});
  REQUIRE(r.code == 0);
  const json sla = json::parse(r.out);
  const int minutes[] = {30, 100, 110, 180, 30, 50, 2640};
  REQUIRE(sla["requests"].size() == 7);
  // Breaches first: I4 and I7, then the others in order.
  std::vector<int> order;
  for (const auto& row : sla["requests"]) {
    order.push_back(row["number"].get<int>());
    const int i = row["number"].get<int>() - 1;
    INFO("I" << i + 1);
    CHECK(row["working_minutes"] == minutes[i]);
    CHECK(row["breach"] == (minutes[i] > 120));
    CHECK(row["replied"].is_null() == (i == 6));
    CHECK(row["from"] == "ivan@acme.example");
    CHECK(row["via"] == "mail");
  }
  CHECK(order == std::vector<int>{4, 7, 1, 2, 3, 5, 6});
  CHECK(sla["breaches"] == 2);
  // The replied ones: 30 30 50 100 110 180 -> (50 + 100) / 2 = 75.
  CHECK(sla["median_reply_minutes"] == 75);
  // I4: 1 h 30 min on Friday, 30 min on Monday.
  CHECK(sla["requests"][0]["reply_due"] == "2026-11-16T09:30:00+03:00");
  // I2's due skips the holiday: 1 h on Tuesday, 1 h on Thursday.
  for (const auto& row : sla["requests"]) {
    if (row["number"] == 2) {
      CHECK(row["reply_due"] == "2026-11-05T10:00:00+03:00");
    }
  }

  r = p.pm({"sla", "--period", "2026-11"});
  REQUIRE(r.code == 0);
  CHECK_THAT(r.out, Catch::Contains("Requests: 7, 2 past the SLA; median reply time 1 h 15 min"));
  // The table's first row is I4, the next I7.
  const auto i4 = r.out.find("\nI4 ");
  const auto i7 = r.out.find("\nI7 ");
  const auto i1 = r.out.find("\nI1 ");
  REQUIRE(i4 != std::string::npos);
  REQUIRE(i7 != std::string::npos);
  REQUIRE(i1 != std::string::npos);
  CHECK(i4 < i7);
  CHECK(i7 < i1);

  // Reading the same mail again adds nothing.
  r = p.pm({"mail", "import", inbox.string(), sent.string()});
  REQUIRE(r.code == 0);
  CHECK(r.out == "13 messages: 0 requests, 0 letters (replying to 0 requests), 13 already in the "
                 "ledger, 0 not about this project\n");
  CHECK(p.entry_count() == before + 19);
  CHECK(p.pm({"verify"}).code == 0);
}

namespace {

/// A python3 that has aiosmtpd, or "".
std::string python_with_aiosmtpd() {
  for (const char* python : {"python3", "/usr/bin/python3"}) {
    const std::string command =
        std::string(python) + " -c 'import aiosmtpd' >/dev/null 2>&1";
    if (std::system(command.c_str()) == 0) {
      return python;
    }
  }
  return "";
}

int free_port() {
  const int s = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = 0;
  socklen_t size = sizeof a;
  if (::bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
      ::getsockname(s, reinterpret_cast<sockaddr*>(&a), &size) != 0) {
    ::close(s);
    return 0;
  }
  ::close(s);
  return ntohs(a.sin_port);
}

bool accepts(int port) {
  const int s = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(static_cast<std::uint16_t>(port));
  const bool ok = ::connect(s, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  ::close(s);
  return ok;
}

/// An aiosmtpd server delivering into a Maildir; stopped (killed and waited for) at the end.
class SmtpServer {
 public:
  SmtpServer(const std::string& python, int port, const fs::path& maildir, const fs::path& log) {
    std::vector<std::string> args = {python, "-m", "aiosmtpd", "-n", "-l",
                                     "127.0.0.1:" + std::to_string(port), "-c",
                                     "aiosmtpd.handlers.Mailbox", maildir.string()};
    std::vector<char*> argv;
    for (auto& a : args) {
      argv.push_back(a.data());
    }
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    ::posix_spawn_file_actions_init(&actions);
    ::posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log.c_str(),
                                       O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ::posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
    if (::posix_spawnp(&m_pid, argv[0], &actions, nullptr, argv.data(), environ) != 0) {
      m_pid = 0;
    }
    ::posix_spawn_file_actions_destroy(&actions);
  }
  ~SmtpServer() { stop(); }
  void stop() {
    if (m_pid > 0) {
      ::kill(m_pid, SIGTERM);
      int status = 0;
      ::waitpid(m_pid, &status, 0);
      m_pid = 0;
    }
  }
  bool running() const { return m_pid > 0; }

 private:
  pid_t m_pid = 0;
};

void skip(const std::string& why) {
  WARN("SKIPPED: " << why);
  std::fprintf(stderr, "SKIPPED: %s\n", why.c_str());
}

std::string header(const std::string& message, const std::string& name) {
  const auto at = message.find("\n" + name + ": ");
  if (at == std::string::npos) {
    return "";
  }
  const auto start = at + name.size() + 3;
  auto end = message.find('\n', start);
  std::string value = message.substr(start, end - start);
  if (!value.empty() && value.back() == '\r') {
    value.pop_back();
  }
  return value;
}

}  // namespace

TEST_CASE("communication mail: pm send through msmtp to a local SMTP server", "[communication][smtp]") {
  if (std::system("command -v msmtp >/dev/null 2>&1") != 0) {
    skip("msmtp is not installed (scripts/deps installs it)");
    return;
  }
  const std::string python = python_with_aiosmtpd();
  if (python.empty()) {
    skip("python3-aiosmtpd is not installed (scripts/deps installs it)");
    return;
  }
  Project p;
  const fs::path delivered = p.root() / "Delivered";
  const int port = free_port();
  REQUIRE(port > 0);
  SmtpServer server(python, port, delivered, p.root() / "smtpd.log");
  REQUIRE(server.running());
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!accepts(port) && std::chrono::steady_clock::now() < give_up) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  INFO(read(p.root() / "smtpd.log"));
  REQUIRE(accepts(port));

  const fs::path config = p.root() / "msmtprc";
  write(config, "defaults\nauth off\ntls off\n\naccount local\nhost 127.0.0.1\nport " +
                    std::to_string(port) + "\nfrom anna@example.com\n\naccount default : local\n");
  fs::permissions(config, fs::perms::owner_read | fs::perms::owner_write);
  std::ofstream(p.root() / "work/.pm/project.yaml", std::ios::app)
      << "mail:\n  command: msmtp -C " << config.string() << " -t\n";

  // Thursday 19 November 16:00: a request by mail, imported first.
  write(p.root() / "q.eml",
        "From: Ivan Sidorov <ivan@acme.example>\nTo: Anna Petrova <anna@example.com>\n"
        "Subject: Demo date\nDate: Thu, 19 Nov 2026 16:00:00 +0300\n"
        "Message-ID: <q1@acme.example>\n\nWhen is the demo?\n");
  REQUIRE(p.pm({"mail", "import", (p.root() / "q.eml").string()}).code == 0);
  Result r = p.pm({"send", "delay", "--set", "new_date=2026-12-20", "--set",
                   "reason=The texts came late", "--answers", "I1"});
  INFO(r.err);
  REQUIRE(r.code == 0);
  CHECK_THAT(r.err, Catch::Contains("it replies to I1"));
  r = p.pm({"send", "delay", "--set", "new_date=2026-12-22", "--set", "reason=Hosting"});
  REQUIRE(r.code == 0);
  const int after_send = p.entry_count();
  server.stop();

  // The server's mailbox: both letters, as msmtp handed them over.
  std::vector<std::string> messages;
  for (const auto& e : fs::directory_iterator(delivered / "new")) {
    messages.push_back(read(e.path()));
  }
  REQUIRE(messages.size() == 2);
  int answering = 0;
  for (const auto& m : messages) {
    CHECK_THAT(header(m, "To"), Catch::Contains("ivan@acme.example"));
    CHECK_FALSE(header(m, "Message-ID").empty());
    answering += header(m, "In-Reply-To") == "<q1@acme.example>" ? 1 : 0;
  }
  CHECK(answering == 1);

  // Read back, they are the letters pm recorded when it sent them.
  r = p.pm({"mail", "import", delivered.string()});
  REQUIRE(r.code == 0);
  CHECK(r.out == "2 messages: 0 requests, 0 letters (replying to 0 requests), 2 already in the "
                 "ledger, 0 not about this project\n");
  CHECK(p.entry_count() == after_send);
  // I1 was answered at PM_NOW, Friday 10:00: Thursday 16:00-18:00 + Friday 09:00-10:00.
  r = p.pm({"sla", "--json", "--period", "2026-11"});
  REQUIRE(r.code == 0);
  const json sla = json::parse(r.out);
  REQUIRE(sla["requests"].size() == 1);
  CHECK(sla["requests"][0]["working_minutes"] == 180);
}
