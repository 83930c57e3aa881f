// Per-kind numbers, two-sided approval with evidence, and what replaced what, end to end.
#include <catch2/catch.hpp>
#include <fstream>
#include <future>
#include <map>
#include <nlohmann/json.hpp>

#include "harness.hpp"

using namespace pm::test;
using nlohmann::json;

namespace {

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

/// A project with a note, an agreement and a note: entry ids and per-kind numbers differ.
void mixed_ledger(Project& p) {
  REQUIRE(p.pm({"done", "Kick-off held"}).code == 0);                     // entry 1
  REQUIRE(p.pm({"log-agreement", "Launch on 12 December"}).out == "1\n");  // entry 2, A1
  REQUIRE(p.pm({"next", "Search"}).code == 0);                            // entry 3
  REQUIRE(p.pm({"change", "propose", "Add a blog", "--reason", "News", "--calendar-days",
                "--days", "5"}).out ==
          "1\n");  // entry 4, C1
}

}  // namespace

TEST_CASE("the client's side needs --by, and each side only its own people", "[numbers]") {
  Project p;
  mixed_ledger(p);
  Result r = p.pm({"change", "approve", "1", "--side", "client"});
  CHECK(r.code == 1);
  CHECK(r.err ==
        "pm: error: --side client needs --by: name the client's person who approved (one of: "
        "Ivan Sidorov; `pm people` lists them)\n");
  r = p.pm({"change", "approve", "1", "--side", "team", "--by", "Ivan Sidorov"});
  CHECK(r.code == 1);
  CHECK(r.err ==
        "pm: error: --by Ivan Sidorov: Ivan Sidorov is on the client's side (approver), and "
        "cannot approve for the team; name a person of the team's side (`pm people` lists both "
        "sides)\n");
  r = p.pm({"change", "approve", "1", "--side", "client", "--by", "anna@example.com"});
  CHECK(r.code == 1);
  CHECK(r.err ==
        "pm: error: --by anna@example.com: Anna Petrova is the project's manager, on the team's "
        "side, and cannot approve for the client; name the client's person who approved\n");
  r = p.pm({"change", "approve", "1", "--side", "client", "--by", "Somebody Else"});
  CHECK(r.code == 1);
  CHECK(contains(r.err, "nobody of that name or address is on the client's side"));
  CHECK(p.entry_count() == 4);  // nothing recorded by the refusals
  // By address, and the team by default is the manager (the author is nobody on the team).
  r = p.pm({"change", "approve", "1", "--side", "client", "--by", "IVAN@acme.example",
            "--evidence", "<reply-1@acme.example>"});
  REQUIRE(r.code == 0);
  r = p.pm({"change", "approve", "1", "--side", "team", "--evidence", "call 2026-11-20 14:00"});
  REQUIRE(r.code == 0);
  CHECK(r.err == "change 1: approved by both sides; project deadline 2026-12-30 (baseline "
                 "2026-12-25, +5 days by approved changes)\n");
  json c = json::parse(p.pm({"change", "show", "1", "--json"}).out)["change"];
  CHECK(c["number"] == 1);
  CHECK(c["entry_id"] == 4);
  CHECK(c["decisions"][0]["by"] == "Ivan Sidorov");
  CHECK(c["decisions"][0]["evidence"] == "<reply-1@acme.example>");
  CHECK(c["decisions"][1]["by"] == "Anna Petrova");
  CHECK(c["decisions"][1]["evidence"] == "call 2026-11-20 14:00");
}

TEST_CASE("evidence shows in change show, the report and the change notice", "[numbers]") {
  Project p;
  mixed_ledger(p);
  REQUIRE(p.pm({"change", "approve", "1", "--side", "client", "--by", "Ivan Sidorov",
                "--evidence", "<reply-1@acme.example>"})
              .code == 0);
  std::string show = p.pm({"change", "show", "1"}).out;
  CHECK(contains(show, "Change 1: Add a blog\n"));
  CHECK(contains(show, "Client:    approved by Ivan Sidorov on 2026-11-20 10:00\n"
                       "           evidence: <reply-1@acme.example>\n"));
  std::string report = p.pm({"report"}).out;
  CHECK(contains(report, "  - #1 Add a blog: approved by the client, awaiting the team's "
                         "approval; impact: +5 days\n    client: Ivan Sidorov, "
                         "<reply-1@acme.example>\n"));
  Result letter = p.pm({"render", "change-notice", "--set", "change=1"});
  REQUIRE(letter.code == 0);
  CHECK(contains(letter.out, "Change #1: Add a blog\n"));
  CHECK(contains(letter.out, "Confirmed: client: Ivan Sidorov, <reply-1@acme.example>\n"));
  Result ru = p.pm({"render", "change-notice", "--set", "change=1", "--lang", "ru"});
  CHECK(contains(ru.out, "Подтверждение: клиент: Ivan Sidorov, <reply-1@acme.example>\n"));
}

TEST_CASE("commands take per-kind numbers, wrong kinds are named with their article",
          "[numbers]") {
  Project p;
  mixed_ledger(p);
  REQUIRE(p.pm({"risk", "add", "Texts may be late", "--probability", "high", "--impact", "low"})
              .out == "1\n");  // entry 5, R1
  // The README's approval works on change 1, which is entry 4.
  Result r = p.pm({"change", "approve", "1", "--side", "client", "--by", "Ivan Sidorov"});
  CHECK(r.code == 0);
  r = p.pm({"change", "approve", "2", "--side", "client", "--by", "Ivan Sidorov"});
  CHECK(r.code == 1);
  CHECK(r.err == "pm: error: there is no change 2; `pm change list` shows the changes\n");
  r = p.pm({"risk", "close", "1", "--note", "Texts arrived"});
  CHECK(r.code == 0);
  CHECK(r.err == "risk 1 closed\n");
  r = p.pm({"log-agreement", "Launch on 15 December", "--supersedes", "1"});
  CHECK(r.out == "2\n");
  r = p.pm({"log-agreement", "Launch on 16 December", "--supersedes", "1"});
  CHECK(r.code == 1);
  CHECK(r.err == "pm: error: agreement 1 was already replaced by agreement 2; supersede 2 "
                 "instead\n");
  r = p.pm({"log-agreement", "Launch", "--supersedes", "7"});
  CHECK(r.err == "pm: error: there is no agreement 7; `pm agreements` shows the agreements\n");
  r = p.pm({"show", "E1"});
  CHECK(r.code == 0);
  CHECK(r.out.rfind("entry 1 (done)\nText:     Kick-off held\n", 0) == 0);
  r = p.pm({"show", "E2"});
  CHECK(r.out.rfind("agreement 1 (A1, entry 2)\n", 0) == 0);
  CHECK(p.pm({"show", "a1"}).out == r.out);
  CHECK(p.pm({"show", "agreement", "1"}).out == r.out);
  CHECK(p.pm({"show", "C1"}).out.rfind("change 1 (C1, entry 4)\n", 0) == 0);
  CHECK(p.pm({"show", "R1"}).out.rfind("risk 1 (R1, entry 5)\n", 0) == 0);
  json j = json::parse(p.pm({"show", "E4", "--json"}).out);
  CHECK(j["entry"]["entry_id"] == 4);
  CHECK(j["entry"]["number"] == 1);
  CHECK(j["entry"]["reference"] == "C1");
  r = p.pm({"show", "E99"});
  CHECK(r.code == 1);
  CHECK(r.err == "pm: error: there is no entry 99; `pm log` lists the entries\n");
  r = p.pm({"show", "X1"});
  CHECK(r.code == 2);
  CHECK(contains(r.err, "'X1' names no entry"));
  r = p.pm({"show", "agreement", "zero"});
  CHECK(r.code == 2);
}

TEST_CASE("8 writers x 50 appends of mixed kinds: each kind numbered 1..n", "[numbers]") {
  Project p;
  const std::string pm = PM_BINARY;
  const int each = stress(50);  // 10 under the sanitizers
  std::vector<std::future<Result>> writers;
  for (int w = 1; w <= 8; ++w) {
    std::string script =
        "i=1; while [ $i -le " + std::to_string(each) + " ]; do case $((i % 3)) in "
        "0) '" + pm + "' -q log-agreement \"w" + std::to_string(w) + " $i\" ;; "
        "1) '" + pm + "' -q change propose \"w" + std::to_string(w) + " $i\" --reason r ;; "
        "2) '" + pm + "' -q risk add \"w" + std::to_string(w) +
        " $i\" --probability low --impact low ;; esac >/dev/null || exit 1; i=$((i+1)); done";
    writers.push_back(std::async(std::launch::async, [&p, script] {
      return sh(script, p.root() / "work", p.env);
    }));
  }
  for (auto& w : writers) {
    Result r = w.get();
    INFO(r.err);
    CHECK(r.code == 0);
  }
  json log = json::parse(p.pm({"log", "--json", "--all"}).out)["entries"];
  REQUIRE(log.size() == static_cast<std::size_t>(8 * each));
  std::map<std::string, std::vector<std::int64_t>> numbers;
  for (const auto& e : log) {
    numbers[e["kind"].get<std::string>()].push_back(e["number"].get<std::int64_t>());
  }
  // Each writer appends an agreement for i % 3 == 0, a change for 1, a risk for 2.
  auto count = [&](int rest) {
    std::size_t n = 0;
    for (int i = 1; i <= each; ++i) {
      n += i % 3 == rest ? 8 : 0;
    }
    return n;
  };
  CHECK(numbers["agreement"].size() == count(0));
  CHECK(numbers["change"].size() == count(1));
  CHECK(numbers["risk"].size() == count(2));
  for (auto& [kind, list] : numbers) {
    std::sort(list.begin(), list.end());
    for (std::size_t i = 0; i < list.size(); ++i) {
      INFO(kind << " " << i);
      REQUIRE(list[i] == static_cast<std::int64_t>(i + 1));
    }
  }
  CHECK(p.pm({"verify"}).code == 0);
}

TEST_CASE("letters number agreements and changes by their kind's count", "[numbers]") {
  Project p;
  mixed_ledger(p);
  REQUIRE(p.pm({"done", "More"}).code == 0);
  REQUIRE(p.pm({"log-agreement", "Texts by Monday"}).out == "2\n");
  std::string letter = p.pm({"render", "agreement-confirmation", "--format", "text"}).out;
  CHECK(contains(letter, "For reference, this is agreement #2 in our project record."));
  letter = p.pm({"render", "agreement-confirmation", "--set", "agreement=1", "--lang", "ru"}).out;
  CHECK(contains(letter, "в журнале проекта это договорённость № 1."));
  letter = p.pm({"render", "change-notice", "--lang", "ru"}).out;
  CHECK(contains(letter, "Изменение № 1: Add a blog"));
  Result r = p.pm({"render", "change-notice", "--set", "change=2"});
  CHECK(r.code == 1);
  CHECK(r.err == "pm: error: there is no change 2; `pm change list` shows the changes\n");
}

TEST_CASE("export and import keep the numbers", "[numbers]") {
  Project p;
  mixed_ledger(p);
  REQUIRE(p.pm({"log-agreement", "Launch on 15 December", "--supersedes", "1"}).out == "2\n");
  for (const char* format : {"jsonl", "csv"}) {
    Result out = p.pm({"export", "--format", format});
    REQUIRE(out.code == 0);
    Project copy;
    Result in = copy.pm({"import", "-"}, out.out);
    INFO(in.err);
    REQUIRE(in.code == 0);
    CHECK(copy.pm({"export", "--format", format}).out == out.out);
    CHECK(copy.pm({"show", "A2"}).out == p.pm({"show", "A2"}).out);
    CHECK(copy.pm({"verify"}).code == 0);
  }
  std::string jsonl = p.pm({"export"}).out;
  CHECK(contains(jsonl, R"("number":2)"));
  // A number that is not the next of its kind is refused, naming the line.
  std::string edited = jsonl;
  auto at = edited.find(R"("number":2)");
  edited.replace(at, 10, R"("number":3)");
  Project copy;
  Result bad = copy.pm({"import", "-"}, edited);
  CHECK(bad.code == 1);
  CHECK(contains(bad.err, "would be agreement 2, but it is numbered 3"));
}

TEST_CASE("a chain of three agreements: the current one shown once, all marked with --all",
          "[numbers]") {
  Project p;
  REQUIRE(p.pm({"log-agreement", "Launch on 12 December"}).out == "1\n");
  REQUIRE(p.pm({"done", "Between"}).code == 0);
  REQUIRE(p.pm({"log-agreement", "Launch on 15 December", "--supersedes", "1"}).out == "2\n");
  REQUIRE(p.pm({"log-agreement", "Launch on 16 December", "--supersedes", "2"}).out == "3\n");
  std::string list = p.pm({"agreements"}).out;
  CHECK(contains(list, "Launch on 16 December (replaces № 2)"));
  CHECK(!contains(list, "Launch on 12 December"));
  CHECK(!contains(list, "Launch on 15 December"));
  std::string all = p.pm({"agreements", "--all"}).out;
  CHECK(contains(all, "1   2026-11-20  -    superseded             -     Launch on 12 December "
                      "(replaced by № 2)\n"));
  CHECK(contains(all, "2   2026-11-20  -    superseded             -     Launch on 15 December "
                      "(replaces № 1) (replaced by № 3)\n"));
  CHECK(contains(all, "3   2026-11-20  -    open (to 11-24)        -     Launch on 16 December "
                      "(replaces № 2)\n"));
  std::string report = p.pm({"report"}).out;
  CHECK(contains(report, "  - #3 Launch on 16 December (replaces #2)\n"));
  CHECK(!contains(report, "12 December"));
  CHECK(!contains(report, "15 December"));
  std::string ru = p.pm({"report", "--lang", "ru"}).out;
  CHECK(contains(ru, "  - № 3 Launch on 16 December (заменяет № 2)\n"));
  json j = json::parse(p.pm({"report", "--format", "json"}).out);
  REQUIRE(j["agreements"].size() == 1);
  CHECK(j["agreements"][0]["number"] == 3);
  CHECK(j["agreements"][0]["supersedes_number"] == 2);
  std::string letter = p.pm({"render", "agreement-confirmation", "--format", "text"}).out;
  CHECK(contains(letter, "This replaces agreement #2, which no longer applies."));
}

TEST_CASE("Decision: trailers appear in the report's own section", "[numbers]") {
  Project p;
  Result git = sh("git init -q && git config user.name 'Dev One' && git config user.email "
                  "dev@example.com && git config commit.gpgsign false && printf 'Pick the "
                  "stack\\n\\nDecision: use PostgreSQL\\n' > msg.txt && "
                  "GIT_AUTHOR_DATE=2026-11-20T09:00:00+03:00 "
                  "GIT_COMMITTER_DATE=2026-11-20T09:00:00+03:00 git commit -q "
                  "--allow-empty -F msg.txt",
                  p.root() / "work", p.env);
  REQUIRE(git.code == 0);
  REQUIRE(p.pm({"log-agreement", "--from-commit", "HEAD"}).code == 0);
  std::string report = p.pm({"report"}).out;
  CHECK(contains(report, "\nDecided\n  - #1 use PostgreSQL (20 November)\n"));
  CHECK(contains(p.pm({"report", "--lang", "ru"}).out, "\nРешения\n  - № 1 use PostgreSQL ("));
  CHECK(contains(p.pm({"report", "--format", "md"}).out, "## Decided\n\n- #1 use PostgreSQL"));
  json j = json::parse(p.pm({"report", "--format", "json"}).out);
  REQUIRE(j["decisions"].size() == 1);
  CHECK(j["decisions"][0]["text"] == "use PostgreSQL");
  CHECK(j["decisions"][0]["number"] == 1);
  Result eml = p.pm({"report", "--format", "eml"});
  CHECK(contains(eml.out, "Decided"));
  CHECK(contains(eml.out, "use PostgreSQL"));
  CHECK(p.pm({"show", "D1"}).out.rfind("decision 1 (D1, entry 1)\n", 0) == 0);
  // A week without decisions says so.
  std::string empty = p.pm({"report", "--week", "2026-W45"}).out;
  CHECK(contains(empty, "\nDecided\n  No decisions this period.\n"));
}
