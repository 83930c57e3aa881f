// The SVG writer: hostile text stays text, numbers are compact and locale-proof, the document
// is well-formed and says what it is to screen readers.
#include <catch2/catch.hpp>

#include <clocale>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "pm/util/check.hpp"
#include "pm/util/svg.hpp"
#include "xml_check.hpp"

using namespace pm;

TEST_CASE("svg escape makes markup and quotes text", "[svg]") {
  CHECK(svg::escape("</svg><script>alert(1)</script>") ==
        "&lt;/svg&gt;&lt;script&gt;alert(1)&lt;/script&gt;");
  CHECK(svg::escape("a & b") == "a &amp; b");
  CHECK(svg::escape("\"x\" 'y'") == "&quot;x&quot; &#39;y&#39;");
  CHECK(svg::escape("&amp;") == "&amp;amp;");
  CHECK(svg::escape("Сделано") == "Сделано");
}

TEST_CASE("svg escape replaces bad UTF-8 and controls", "[svg]") {
  const std::string fffd = "\xEF\xBF\xBD";
  CHECK(svg::escape("a\xFF"
                    "b") == "a" + fffd + "b");
  CHECK(svg::escape("\xC3") == fffd);                        // a truncated sequence
  CHECK(svg::escape("\xED\xA0\x80") == fffd + fffd + fffd);  // a surrogate
  CHECK(svg::escape(std::string("a\0b", 3)) == "a" + fffd + "b");
  CHECK(svg::escape("\x1b[31mred") == fffd + "[31mred");
  CHECK(svg::escape("\x7f") == fffd);
  CHECK(svg::escape("\xC2\x85") == fffd);                         // C1 NEL
  CHECK(svg::escape("\xEF\xBF\xBE\xEF\xBF\xBF") == fffd + fffd);  // U+FFFE, U+FFFF
  CHECK(svg::escape("one\ntwo\tthree\r") == "one two three ");
  // Whatever goes in, what comes out is valid UTF-8 without controls.
  std::string all;
  for (int c = 0; c < 256; ++c) {
    all += static_cast<char>(c);
  }
  const std::string out = svg::escape(all);
  CHECK(valid_utf8(out));
  CHECK(text_problem(out, false, k_text_limit).empty());
}

TEST_CASE("svg numbers are compact and never -0", "[svg]") {
  CHECK(svg::number(0) == "0");
  CHECK(svg::number(-0.0) == "0");
  CHECK(svg::number(-0.001) == "0");
  CHECK(svg::number(12.5) == "12.5");
  CHECK(svg::number(12.50001) == "12.5");
  CHECK(svg::number(100) == "100");
  CHECK(svg::number(-33.333333) == "-33.33");
  CHECK(svg::number(2.005, 0) == "2");
  CHECK(svg::number(1.0 / 3, 4) == "0.3333");
  CHECK(svg::number(1e6) == "1000000");
  CHECK_THROWS_AS(svg::number(std::nan("")), std::invalid_argument);
  CHECK_THROWS_AS(svg::number(std::numeric_limits<double>::infinity()), std::invalid_argument);
  CHECK_THROWS_AS(svg::number(-std::numeric_limits<double>::infinity()), std::invalid_argument);
}

TEST_CASE("svg numbers ignore the C locale's decimal comma", "[svg]") {
  const char* old = std::setlocale(LC_NUMERIC, nullptr);
  const std::string saved = old != nullptr ? old : "C";
  if (std::setlocale(LC_NUMERIC, "ru_RU.UTF-8") == nullptr &&
      std::setlocale(LC_NUMERIC, "de_DE.UTF-8") == nullptr) {
    WARN("no locale with a decimal comma is installed: checked in the C locale only");
  }
  CHECK(svg::number(1.25) == "1.25");
  std::setlocale(LC_NUMERIC, saved.c_str());
}

TEST_CASE("svg colours meet their contrast on white", "[svg]") {
  CHECK(svg::contrast_on_white("#ffffff") == Approx(1.0));
  CHECK(svg::contrast_on_white("#000000") == Approx(21.0));
  // Text (WCAG AA: 4.5), marks and lines (3).
  for (auto colour : {svg::k_text, svg::k_muted, svg::k_accent, svg::k_accent2}) {
    INFO(colour);
    CHECK(svg::contrast_on_white(colour) >= 4.5);
  }
  CHECK(svg::contrast_on_white(svg::k_axis) >= 4.5);
  CHECK_THROWS_AS(svg::contrast_on_white("red"), std::invalid_argument);
  CHECK_THROWS_AS(svg::contrast_on_white("#12345g"), std::invalid_argument);
}

TEST_CASE("svg writer is spent after finish", "[svg]") {
  svg::Writer w({200, 100, "c1", "", "t", "d"});
  w.open_group("open");
  const std::string out = w.finish();
  CHECK(out.substr(out.size() - 14) == "  </g>\n</svg>\n");
  CHECK_THROWS_AS(w.finish(), std::logic_error);
  CHECK_THROWS_AS(w.rect(0, 0, 1, 1, {}), std::logic_error);
}

TEST_CASE("svg writer writes the accessible root and closes groups", "[svg]") {
  svg::Writer w({200, 100, "c1", "pm-chart", "Title <1>", "Desc & more"});
  w.open_group("marks");
  w.line({0, 0.5}, {10, -0.0001}, {.stroke = "#000000", .stroke_width = 1, .dash = "4 3"});
  w.polyline({{1, 2}, {3, 4.25}}, {.fill = "none", .stroke = "#111111", .stroke_width = 2});
  w.path({{0, 0}, {5, 5}, {10, 0}}, true, {.fill = "#222222", .fill_opacity = 0.18});
  w.circle({5, 5}, 3.5, {.css_class = "dot", .fill = "#333333"}, "2026-11: \"33\"");
  w.text({100, 50}, "</svg><script>", svg::Anchor::middle, {.fill = "currentColor"}, 11);
  w.rect(1, 2, 3, -4, {});
  const std::string out = w.finish();
  CHECK(
      out ==
      "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 200 100\" "
      "preserveAspectRatio=\"xMidYMid meet\" role=\"img\" aria-labelledby=\"c1-title c1-desc\" "
      "id=\"c1\" class=\"pm-chart\" font-family=\"sans-serif\" font-size=\"12\" "
      "color=\"#222222\">\n"
      "  <title id=\"c1-title\">Title &lt;1&gt;</title>\n"
      "  <desc id=\"c1-desc\">Desc &amp; more</desc>\n"
      "  <rect class=\"background\" fill=\"#ffffff\" x=\"0\" y=\"0\" width=\"200\" "
      "height=\"100\"/>\n"
      "  <g class=\"marks\">\n"
      "    <line stroke=\"#000000\" stroke-width=\"1\" stroke-dasharray=\"4 3\" x1=\"0\" "
      "y1=\"0.5\" x2=\"10\" y2=\"0\"/>\n"
      "    <polyline fill=\"none\" stroke=\"#111111\" stroke-width=\"2\" points=\"1,2 3,4.25\"/>\n"
      "    <path fill=\"#222222\" fill-opacity=\"0.18\" d=\"M0 0 L5 5 L10 0 Z\"/>\n"
      "    <circle class=\"dot\" fill=\"#333333\" cx=\"5\" cy=\"5\" r=\"3.5\"><title>2026-11: "
      "&quot;33&quot;</title></circle>\n"
      "    <text fill=\"currentColor\" x=\"100\" y=\"50\" text-anchor=\"middle\" "
      "font-size=\"11\">&lt;/svg&gt;&lt;script&gt;</text>\n"
      "    <rect x=\"1\" y=\"2\" width=\"3\" height=\"0\"/>\n"
      "  </g>\n"
      "</svg>\n");
  CHECK(out.find("<script") == std::string::npos);
  test::check_well_formed(out, "the writer's sample");
}

TEST_CASE("svg writer refuses bad ids and sizes", "[svg]") {
  CHECK_THROWS_AS(svg::Writer({200, 100, "", "", "t", "d"}), std::invalid_argument);
  CHECK_THROWS_AS(svg::Writer({200, 100, "a\" onload=\"x", "", "t", "d"}), std::invalid_argument);
  CHECK_THROWS_AS(svg::Writer({200, 100, "1abc", "", "t", "d"}), std::invalid_argument);
  CHECK_THROWS_AS(svg::Writer({0, 100, "ok", "", "t", "d"}), std::invalid_argument);
  CHECK_THROWS_AS(svg::Writer({200, std::nan(""), "ok", "", "t", "d"}), std::invalid_argument);
  svg::Writer w({200, 100, "ok", "", "t", "d"});
  CHECK_THROWS_AS(w.close_group(), std::logic_error);
}

TEST_CASE("svg hostile text in every place stays well-formed", "[svg]") {
  const std::string hostile = std::string("</svg><script>alert('x')</script>\"&\xFF\x01\xC2\x85") +
                              std::string("\0", 1) + "]]><!--";
  svg::Writer w({200, 100, "h", hostile, hostile, hostile});
  w.open_group(hostile);
  w.text({1, 2}, hostile, svg::Anchor::start, {.css_class = hostile});
  w.circle({1, 1}, 1, {}, hostile);
  const std::string out = w.finish();
  CHECK(out.find("<script") == std::string::npos);
  CHECK(out.find("<!--") == std::string::npos);
  CHECK(valid_utf8(out));
  test::check_well_formed(out, "hostile text");
}
