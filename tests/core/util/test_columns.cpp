#include <catch2/catch.hpp>

#include "pm/util/columns.hpp"

using namespace pm;

TEST_CASE("display width counts columns, not bytes", "[columns]") {
  CHECK(display_width("abc") == 3);
  CHECK(display_width("Привет") == 6);
  CHECK(display_width("日本") == 4);
  CHECK(display_width("e\xCC\x81") == 1);  // e + combining acute
  CHECK(display_width("\033[2mdim\033[0m") == 3);
  CHECK(display_width("\xFF") == 1);  // not UTF-8: one column, as a terminal shows a box
}

TEST_CASE("cutting ends in an ellipsis and never splits a character", "[columns]") {
  CHECK(cut_to_width("Launch moves", 20) == "Launch moves");
  CHECK(cut_to_width("Launch moves", 12) == "Launch moves");
  CHECK(cut_to_width("Launch moves", 7) == "Launch\u2026");
  CHECK(cut_to_width("Запуск переносится", 7) == "Запуск\u2026");
  CHECK(display_width(cut_to_width("Запуск переносится", 7)) == 7);
  // A wide character that does not fit leaves its column empty rather than half-drawn.
  CHECK(cut_to_width("日本語", 4) == "日\u2026");
  CHECK(cut_to_width("abc", 1) == "\u2026");
  CHECK(cut_to_width("abc", 0).empty());
  // Colour is reset after a cut so it does not run into the next column.
  CHECK(cut_to_width("\033[2mdimmed text\033[0m", 4) == "\033[2mdim\u2026\033[0m");
}

TEST_CASE("a table is narrowed from its widest column", "[columns]") {
  // ID, DATE, TEXT with two spaces between: 2 + 10 + 60 + 4 = 76 columns.
  std::vector<std::size_t> widths = {2, 10, 60};
  CHECK(fit_widths(widths, 2, 0) == widths);   // no limit
  CHECK(fit_widths(widths, 2, 80) == widths);  // fits already
  CHECK(fit_widths(widths, 2, 60) == std::vector<std::size_t>{2, 10, 44});
  // Two long columns share the cut once the widest is down to the other.
  CHECK(fit_widths({2, 30, 40}, 2, 50) == std::vector<std::size_t>{2, 22, 22});
  // Never below the narrowest readable width: the table stays wider than asked.
  CHECK(fit_widths({2, 10, 60}, 2, 10) == std::vector<std::size_t>{2, 8, 8});
  // Rounding: the column left over goes to the rightmost cut column.
  CHECK(fit_widths({2, 30, 40}, 2, 51) == std::vector<std::size_t>{2, 22, 23});
}
