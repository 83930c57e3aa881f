// "Did you mean": edit distance and the nearest known word.
#include <catch2/catch.hpp>

#include "pm/util/suggest.hpp"

using namespace pm;

TEST_CASE("edit_distance counts insertions, deletions and replacements", "[suggest]") {
  CHECK(edit_distance("", "") == 0);
  CHECK(edit_distance("deadline", "deadline") == 0);
  CHECK(edit_distance("deadlin", "deadline") == 1);
  CHECK(edit_distance("emial", "email") == 2);
  CHECK(edit_distance("kitten", "sitting") == 3);
  CHECK(edit_distance("", "abc") == 3);
  CHECK(edit_distance("abc", "") == 3);
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
