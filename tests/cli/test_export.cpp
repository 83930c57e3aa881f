// export -> import -> export is byte-identical; an edited export is refused whole.
#include <catch2/catch.hpp>
#include <fstream>
#include <nlohmann/json.hpp>

#include "harness.hpp"

using namespace pm::test;

namespace {

void fill(const Project& p) {
  for (std::vector<std::string> args : {
           std::vector<std::string>{"log-agreement", "Launch, \"soon\"\nsecond line", "--with",
                                    "Ivan", "--due", "2026-12-12"},
           std::vector<std::string>{"log-agreement", "Launch later", "--supersedes", "1"},
           std::vector<std::string>{"nps", "add", "9", "--comment", "great, thanks"},
           std::vector<std::string>{"change", "propose", "Add a blog", "--reason", "asked",
                                    "--calendar-days",
                                    "--days", "5", "--cost", "1500", "--currency", "EUR"},
           std::vector<std::string>{"change", "approve", "1", "--side", "client", "--by", "Ivan Sidorov"},
           std::vector<std::string>{"risk", "add", "Texts late", "--probability", "high",
                                    "--impact", "medium"},
           std::vector<std::string>{"done", "Ведомость согласована"},
       }) {
    Result r = p.pm(args);
    INFO(r.err);
    REQUIRE(r.code == 0);
  }
  // An import entry, its answers after it, and an entry after them.
  Result imported = p.pm({"nps", "import", "-"},
                         "date,score,client,contact,comment\n2026-11-03,9,ACME,Ivan,\"Fast, "
                         "\"\"clear\"\"\nthanks\"\n2026-11-04T10:00:00Z,3,Globex,,\n"
                         "2026-11-04,3,Globex,,\n2026-11-04,3,Globex,,\n");
  INFO(imported.err);
  REQUIRE(imported.code == 0);
  REQUIRE(p.pm({"done", "Survey read"}).code == 0);
}

}  // namespace

TEST_CASE("an import's answers travel after its entry and are checked on import", "[export][nps]") {
  Project source;
  fill(source);
  std::string text = source.pm({"export"}).out;
  CHECK(text.find("\"kind\":\"nps-import\"") != std::string::npos);
  CHECK(text.find(R"({"pm":"nps answer","entry":8,"date":"2026-11-03","score":9,"client":"ACME",)"
                  R"("contact":"Ivan","manager":"Anna Petrova","comment":"Fast, \"clear\"\nthanks",)"
                  R"("at":null,"fingerprint":")") != std::string::npos);
  CHECK(text.find(R"("at":"2026-11-04T10:00:00Z")") != std::string::npos);
  for (const auto& [from, to] : std::vector<std::pair<std::string, std::string>>{
           {R"("score":9,"client":"ACME")", R"("score":10,"client":"ACME")"},
           {R"("comment":"Fast, )", R"("comment":"Slow, )"}}) {
    std::string edited = text;
    edited.replace(edited.find(from), from.size(), to);
    Project target;
    Result r = target.pm({"import", "-"}, edited);
    CHECK(r.code == 1);
    CHECK(r.err.find("entry 8 covers 4 NPS answers, but the 4 after it do not match its digest; "
                     "the export was edited") != std::string::npos);
    CHECK(target.entry_count() == 0);
  }
  // An answer left out.
  std::string cut = text;
  std::size_t at = cut.find(R"({"pm":"nps answer")");
  cut.erase(at, cut.find('\n', at) + 1 - at);
  Project target;
  Result r = target.pm({"import", "-"}, cut);
  CHECK(r.code == 1);
  CHECK(r.err.find("entry 8 covers 4 NPS answers, but the 3 after it") != std::string::npos);
}

TEST_CASE("export and import round-trip byte for byte, in both formats", "[export]") {
  Project source;
  fill(source);
  for (const std::string format : {"jsonl", "csv"}) {
    Result exported = source.pm({"export", "--format", format});
    REQUIRE(exported.code == 0);
    std::ofstream(source.root() / ("ledger." + format)) << exported.out;
    Project target;
    Result imported = target.pm({"import", (source.root() / ("ledger." + format)).string()});
    INFO(imported.err);
    REQUIRE(imported.code == 0);
    CHECK(target.pm({"export", "--format", format}).out == exported.out);
    CHECK(target.pm({"verify"}).code == 0);
    CHECK(nlohmann::json::parse(target.pm({"nps", "--json"}).out)["total"] ==
          nlohmann::json::parse(source.pm({"nps", "--json"}).out)["total"]);
    CHECK(target.pm({"report", "--format", "json"}).out ==
          source.pm({"report", "--format", "json"}).out);
    Result again = target.pm({"import", (source.root() / ("ledger." + format)).string()});
    CHECK(again.code == 1);
    CHECK(again.err.find("is not empty") != std::string::npos);
  }
}

TEST_CASE("an edited export is refused, naming the line, and nothing is imported", "[export]") {
  Project source;
  fill(source);
  std::string text = source.pm({"export"}).out;
  auto at = text.find("Launch later");
  REQUIRE(at != std::string::npos);
  text.replace(at, 12, "Launch never");
  std::ofstream(source.root() / "edited.jsonl") << text;
  Project target;
  Result r = target.pm({"import", (source.root() / "edited.jsonl").string()});
  CHECK(r.code == 1);
  CHECK(r.err.find("edited.jsonl:3: entry 2 does not match its hash") != std::string::npos);
  CHECK(target.entry_count() == 0);
  std::ofstream(source.root() / "junk.jsonl") << "{\"hello\": 1}\n";
  Result junk = target.pm({"import", (source.root() / "junk.jsonl").string()});
  CHECK(junk.code == 1);
  CHECK(junk.err.find("not a pm export") != std::string::npos);
}

TEST_CASE("export -o writes a file, an empty ledger exports its header", "[export]") {
  Project p;
  Result r = p.pm({"export", "-o", "backup.jsonl"});
  CHECK(r.code == 0);
  CHECK(read(p.root() / "work/backup.jsonl") ==
        "{\"pm\":\"ledger export\",\"version\":1}\n{\"pm\":\"end\",\"entries\":0,\"head\":\"\"}\n");
  CHECK(p.pm({"export", "--format", "xml"}).code == 2);
}
