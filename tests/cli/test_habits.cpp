// Command-line habits people bring from git and taskwarrior: suggestions for typos, --json,
// relative dates, tags, tables that fit the terminal, completion, the man page, progress.
#include <catch2/catch.hpp>
#include <fstream>

#include "harness.hpp"

using namespace pm::test;

namespace {

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

/// `pm ARGS` on a pseudo-terminal (script(1)), stdout and stderr together; `env` as given.
Result on_tty(const Project& p, const std::string& args, const std::string& env = "") {
  std::string command = env + " '" + std::string(PM_BINARY) + "' " + args;
  return sh("script -qec \"" + command + "\" /dev/null", p.root() / "work", p.env);
}

bool have_script(const Project& p) { return sh("command -v script", p.root(), p.env).code == 0; }

}  // namespace

TEST_CASE("a mistyped command is answered with the most similar ones, exit 2", "[habits]") {
  Project p;
  Result typo = p.pm({"statsu"});
  CHECK(typo.code == 2);
  CHECK(typo.out.empty());
  CHECK(typo.err ==
        "pm: error: 'statsu' is not a pm command. The most similar: report (see pm --help)\n");
  Result near = p.pm({"agreemnts"});
  CHECK(near.code == 2);
  CHECK(has(near.err, "'agreemnts' is not a pm command. The most similar: agreements"));
  Result undo = p.pm({"undo"});
  CHECK(undo.code == 2);
  CHECK(has(undo.err, "The most similar: log-agreement --supersedes ID"));
  Result far = p.pm({"xyzzy"});
  CHECK(far.code == 2);
  CHECK(has(far.err, "'xyzzy' is not a pm command; the pm commands are init, log-agreement, "));
  CHECK_FALSE(has(far.err, "__complete"));
  // Global options before the command are skipped over, as git does.
  CHECK(has(p.pm({"-C", ".", "--author", "Boris", "statsu"}).err, "'statsu' is not a pm command"));
}

TEST_CASE("a mistyped subcommand lists its command's subcommands, exit 2", "[habits]") {
  Project p;
  Result update = p.pm({"risk", "update", "11"});
  CHECK(update.code == 2);
  CHECK(update.err == "pm: error: 'update' is not a `pm risk` command; the `pm risk` commands "
                      "are add, close, list (see pm risk --help)\n");
  Result near = p.pm({"change", "aprove", "3"});
  CHECK(near.code == 2);
  CHECK(has(near.err, "'aprove' is not a `pm change` command. The most similar: approve"));
  Result none = p.pm({"risk"});
  CHECK(none.code == 2);
  CHECK(has(none.err, "`pm risk` needs one of its commands: add, close, list"));
  // What is right still runs, and so does help.
  CHECK(p.pm({"risk", "list"}).code == 0);
  CHECK(p.pm({"risk", "--help"}).code == 0);
  CHECK(p.pm({"nps", "--json"}).code == 0);
  CHECK(p.pm({"templates", "show", "agreement-confirmation"}).code == 0);
}

TEST_CASE("report --json is report --format json", "[habits]") {
  Project p;
  REQUIRE(p.pm({"done", "Catalogue pages built"}).code == 0);
  Result json = p.pm({"report", "--json"});
  REQUIRE(json.code == 0);
  CHECK(json.out == p.pm({"report", "--format", "json"}).out);
  CHECK(has(json.out, "Catalogue pages built"));
  CHECK(p.pm({"report", "--json", "--format", "md"}).code == 2);
  Result nps = p.pm({"nps", "--format", "json"});
  REQUIRE(nps.code == 0);
  CHECK(nps.out == p.pm({"nps", "--json"}).out);
}

TEST_CASE("relative dates on a Friday evening in Moscow and past midnight in Vladivostok",
          "[habits]") {
  Project p;
  p.env["PM_NOW"] = "2026-11-20T19:00:00+03:00";  // Friday evening in Moscow
  auto due_of = [&](const std::string& due) {
    Result r = p.pm({"log-agreement", "Due " + due, "--due", due});
    REQUIRE(r.code == 0);
    Result list = p.pm({"agreements", "--json"});
    auto at = list.out.rfind("\"due\": \"");
    return list.out.substr(at + 8, 10);
  };
  CHECK(due_of("friday") == "2026-11-27");  // the next one: today is "today"
  CHECK(due_of("today") == "2026-11-20");
  CHECK(due_of("tomorrow") == "2026-11-21");
  CHECK(due_of("+3d") == "2026-11-23");
  CHECK(due_of("+1m") == "2026-12-20");
  CHECK(due_of("-2w") == "2026-11-06");
  CHECK(due_of("monday") == "2026-11-23");
  CHECK(due_of("пятница") == "2026-11-27");
  Result bad = p.pm({"log-agreement", "X", "--due", "fridya"});
  CHECK(bad.code == 1);
  CHECK(has(bad.err, "--due: 'fridya' is not a date; write YYYY-MM-DD"));

  // 00:30 on Saturday 21 November in Vladivostok is 14:30 on Friday in UTC.
  Project east;
  REQUIRE(sh("sed -i 's|^timezone: .*|timezone: Asia/Vladivostok|' .pm/project.yaml",
             east.root() / "work", east.env)
              .code == 0);
  east.env["PM_NOW"] = "2026-11-20T14:30:00Z";
  REQUIRE(east.pm({"log-agreement", "A", "--due", "today"}).code == 0);
  REQUIRE(east.pm({"log-agreement", "B", "--due", "yesterday"}).code == 0);
  REQUIRE(east.pm({"done", "Shipped", "--on", "yesterday"}).code == 0);
  Result list = east.pm({"agreements", "--json"});
  CHECK(has(list.out, "\"due\": \"2026-11-21\""));
  CHECK(has(list.out, "\"due\": \"2026-11-20\""));
  // The report of "last week" in Vladivostok is 9 to 15 November; of "this week" 16 to 22.
  Result last = east.pm({"report", "--since", "last week", "--json"});
  REQUIRE(last.code == 0);
  CHECK(has(last.out, "\"week\": \"2026-W46\""));
  Result this_week = east.pm({"report", "--since", "this week", "--json"});
  CHECK(has(this_week.out, "\"week\": \"2026-W47\""));
  Result yesterday = east.pm({"log", "--since", "yesterday", "--json"});
  CHECK(has(yesterday.out, "Shipped"));
  CHECK(east.pm({"nps", "--since", "last month", "--json"}).code == 0);
  Result nps_bad = east.pm({"nps", "--since", "last year"});
  CHECK(nps_bad.code == 1);
  CHECK(has(nps_bad.err, "this week, last week, this month or last month"));
}

TEST_CASE("tags are shown and filter agreements and the log", "[habits]") {
  Project p;
  REQUIRE(p.pm({"log-agreement", "Launch on 12 December", "--tag", "launch", "--tag", "web"})
              .code == 0);
  REQUIRE(p.pm({"log-agreement", "Texts by Friday", "--tag", "content"}).code == 0);
  REQUIRE(p.pm({"log-agreement", "Untagged"}).code == 0);
  Result all = p.pm({"agreements"});
  CHECK(has(all.out, "TAGS"));
  CHECK(has(all.out, "launch, web"));
  Result launch = p.pm({"agreements", "--tag", "launch"});
  CHECK(has(launch.out, "Launch on 12 December"));
  CHECK_FALSE(has(launch.out, "Texts by Friday"));
  CHECK_FALSE(has(launch.out, "Untagged"));
  // Repeated: all of them.
  CHECK(has(p.pm({"agreements", "--tag", "launch", "--tag", "web"}).out, "Launch on"));
  Result none = p.pm({"agreements", "--tag", "launch", "--tag", "content"});
  CHECK(none.code == 0);
  CHECK(none.out == "No agreements tagged launch, content.\n");
  CHECK(has(p.pm({"agreements", "--tag", "LAUNCH", "--json"}).out, "Launch on"));
  Result log = p.pm({"log", "--tag", "content"});
  CHECK(has(log.out, "Texts by Friday [content]"));
  CHECK_FALSE(has(log.out, "Launch"));
  Result log_json = p.pm({"log", "--tag", "web", "--json"});
  CHECK(has(log_json.out, "Launch on"));
  CHECK_FALSE(has(log_json.out, "Untagged"));
}

TEST_CASE("a table on a terminal is cut to COLUMNS with an ellipsis, overdue is red",
          "[habits]") {
  Project p;
  if (!have_script(p)) {
    WARN("script(1) is not installed: the terminal cases are not run");
    return;
  }
  std::string long_text(120, 'x');
  REQUIRE(p.pm({"log-agreement", "Начало " + long_text, "--due", "2026-11-01"}).code == 0);
  Result piped = p.pm({"agreements"});
  CHECK(has(piped.out, long_text));  // not a terminal: no limit
  Result tty = on_tty(p, "agreements", "COLUMNS=60 NO_COLOR=1");
  REQUIRE(tty.code == 0);
  CHECK(has(tty.out, "Начало xxx"));
  CHECK(has(tty.out, "\u2026"));
  CHECK_FALSE(has(tty.out, long_text));
  CHECK_FALSE(has(tty.out, "\033["));  // NO_COLOR: no colour even on a terminal
  for (std::size_t at = 0, end; (end = tty.out.find('\n', at)) != std::string::npos;
       at = end + 1) {
    std::string line = tty.out.substr(at, end - at);
    std::size_t columns = 0;
    for (unsigned char c : line) {
      columns += (c & 0xC0) != 0x80 && c != '\r' ? 1 : 0;
    }
    CHECK(columns <= 60);
  }
  Result colour = on_tty(p, "agreements", "COLUMNS=200");
  CHECK(has(colour.out, "\033[31m2026-11-01\033[0m"));  // due 1 November, now 20 November
}

TEST_CASE("completion offers template names, ids, people and choices", "[habits]") {
  Project p;
  REQUIRE(p.pm({"log-agreement", "Launch on 12 December"}).code == 0);
  Result bash = p.pm({"generate", "bash"});
  REQUIRE(bash.code == 0);
  CHECK(has(bash.out, "report/*/--format) _pm_reply \"text md json html eml\""));
  CHECK(has(bash.out, "people/add/--side) _pm_reply \"client team\""));
  CHECK(has(bash.out, "render/*) words="));
  CHECK(has(bash.out, "dyn=templates"));
  CHECK(has(bash.out, "_pm_words people"));
  std::ofstream(p.root() / "pm.bash") << bash.out;
  CHECK(sh("bash -n pm.bash", p.root(), p.env).code == 0);
  Result zsh = p.pm({"generate", "zsh"});
  CHECK(has(zsh.out, "compadd -- text md json html eml"));
  if (sh("command -v zsh", p.root(), p.env).code == 0) {
    std::ofstream(p.root() / "_pm") << zsh.out;
    CHECK(sh("zsh -n _pm", p.root(), p.env).code == 0);
  }
  // The words only the project knows.
  Result templates = p.pm({"__complete", "templates"});
  CHECK(has(templates.out, "agreement-confirmation\t"));
  CHECK(has(p.pm({"__complete", "people"}).out, "Ivan Sidorov\tivan@acme.example\n"));
  CHECK(has(p.pm({"__complete", "agreements"}).out, "\tLaunch on 12 December\n"));
  // Run the bash completion itself: pm render agr<TAB>, pm report --format <TAB>.
  std::string script = "PATH=\"$(dirname '" + std::string(PM_BINARY) +
                       "'):$PATH\"; . ../pm.bash; "
                       "COMP_WORDS=(pm render agr); COMP_CWORD=2; _pm; echo \"${COMPREPLY[*]}\"; "
                       "COMP_WORDS=(pm report --format ''); COMP_CWORD=3; _pm; "
                       "echo \"${COMPREPLY[*]}\"; "
                       "COMP_WORDS=(pm log-agreement X --with ''); COMP_CWORD=4; _pm; "
                       "echo \"${COMPREPLY[*]}\"";
  std::ofstream(p.root() / "run.bash") << script;
  Result completed = sh("bash ../run.bash", p.root() / "work", p.env);
  CHECK(completed.out == "agreement-confirmation\ntext md json html eml\nIvan\\ Sidorov\n");
  // Outside a project it is quiet.
  TempDir elsewhere;
  Result quiet = run({"__complete", "agreements"}, elsewhere.path(), test_env(elsewhere.path()));
  CHECK(quiet.code == 0);
  CHECK(quiet.out.empty());
  CHECK(quiet.err.empty());
}

TEST_CASE("the man page has examples, see also and choices, and help once", "[habits]") {
  TempDir home;
  Result man = run({"generate", "man"}, home.path(), test_env(home.path()));
  REQUIRE(man.code == 0);
  CHECK(has(man.out, ".SH EXAMPLES\n"));
  CHECK(has(man.out, ".SH SEE ALSO\n"));
  CHECK(has(man.out, "\\fB\\-\\-format\\fR \\fItext|md|json|html|eml\\fR"));
  std::size_t count = 0;
  for (std::size_t at = 0; (at = man.out.find("Print this help message", at)) != std::string::npos;
       ++at) {
    ++count;
  }
  CHECK(count == 1);
  CHECK_FALSE(has(man.out, "__complete"));
}

TEST_CASE("a semicolon-separated NPS CSV with a byte order mark imports", "[habits]") {
  Project p;
  std::ofstream(p.root() / "excel.csv")
      << "\xEF\xBB\xBF"
         "date;score;comment\r\n2026-11-03;9;Быстро, ясно\r\n2026-11-04;6;Долго\r\n";
  Result r = p.pm({"nps", "import", "../excel.csv"});
  CHECK(r.code == 0);
  CHECK(has(r.err, "Imported 2 answers"));
  Result json = p.pm({"nps", "--json"});
  CHECK(has(json.out, "\"answers\": 2"));
  std::ofstream(p.root() / "wrong.csv") << "when;score\n2026-11-03;9\n";
  Result wrong = p.pm({"nps", "import", "../wrong.csv"});
  CHECK(wrong.code == 1);
  CHECK(has(wrong.err, "read as ';'-separated: columns when, score; expected a 'date' column"));
}

TEST_CASE("long work shows progress on a terminal's stderr, never otherwise", "[habits]") {
  Project p;
  REQUIRE(p.pm({"log-agreement", "One"}).code == 0);
  Result plain = p.pm({"verify"});
  CHECK(plain.code == 0);
  CHECK_FALSE(has(plain.err, "verify:"));
  Result nps_plain = p.pm({"nps", "import", "-"}, "date,score\n2026-11-03,9\n");
  CHECK(nps_plain.err == "Imported 1 answer from stdin\n");
  if (!have_script(p)) {
    WARN("script(1) is not installed: the terminal cases are not run");
    return;
  }
  Result tty = on_tty(p, "verify");
  CHECK(tty.code == 0);
  CHECK(has(tty.out, "\rverify: 1 entries of 2 (50%)"));
  CHECK(has(tty.out, "ok: 2 entries"));  // the agreement and the NPS answer
  Result export_tty = on_tty(p, "export -o ../backup.jsonl");
  CHECK(has(export_tty.out, "export: "));
  Result quiet = on_tty(p, "-q verify");
  CHECK_FALSE(has(quiet.out, "verify:"));
  // stderr a file, stdout a terminal: no progress.
  Result redirected = on_tty(p, "verify 2>../err.txt");
  CHECK_FALSE(has(redirected.out, "verify:"));
  CHECK(read(p.root() / "err.txt").empty());
}
