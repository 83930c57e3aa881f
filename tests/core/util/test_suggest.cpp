#include <catch2/catch.hpp>

#include "pm/util/suggest.hpp"

using namespace pm;

TEST_CASE("edit distance counts inserts, deletes, replacements and swaps", "[suggest]") {
  CHECK(edit_distance("status", "status") == 0);
  CHECK(edit_distance("statsu", "status") == 1);
  CHECK(edit_distance("verfy", "verify") == 1);
  CHECK(edit_distance("repot", "report") == 1);
  CHECK(edit_distance("report", "reprt") == 1);
  CHECK(edit_distance("update", "add") == 5);
  CHECK(edit_distance("", "log") == 3);
  CHECK(edit_distance("log", "") == 3);
}

TEST_CASE("similar names: close ones first, prefixes, nothing for what is far", "[suggest]") {
  std::vector<std::string> commands = {"agreements", "log", "log-agreement", "report", "risk",
                                       "verify",     "nps", "people"};
  CHECK(similar_names("lgo", commands) == std::vector<std::string>{"log"});
  CHECK(similar_names("agree", commands) == std::vector<std::string>{"agreements"});
  CHECK(similar_names("repotr", commands) == std::vector<std::string>{"report"});
  CHECK(similar_names("rsik", commands) == std::vector<std::string>{"risk"});
  CHECK(similar_names("update", commands).empty());
  CHECK(similar_names("x", commands).empty());
  // "lo" is a prefix of two commands: both, in the order given.
  CHECK(similar_names("lo", commands) == std::vector<std::string>{"log", "log-agreement"});
}

TEST_CASE("closest_word offers a near word and nothing for a far one", "[suggest]") {
  std::vector<std::string> keys = {"name", "client", "deadline", "timezone", "people"};
  CHECK(closest_word("deadlin", keys) == std::optional<std::string>("deadline"));
  CHECK(closest_word("timezon", keys) == std::optional<std::string>("timezone"));
  CHECK(closest_word("peple", keys) == std::optional<std::string>("people"));
  CHECK(closest_word("colour", keys) == std::nullopt);
  CHECK(closest_word("x", keys) == std::nullopt);
  CHECK(closest_word("deadline", {}) == std::nullopt);
}
