#include <catch2/catch.hpp>

#include "pm/util/html.hpp"

using namespace pm;

TEST_CASE("text is never markup in a page", "[html]") {
  CHECK(html_escaped("O'Brien & Co <b>\"bold\"</b>") ==
        "O&#39;Brien &amp; Co &lt;b&gt;&quot;bold&quot;&lt;/b&gt;");
  CHECK(html_escaped("</main><script>alert(1)</script>").find('<') == std::string::npos);
  CHECK(html_escaped("Иван Петрович") == "Иван Петрович");
  // Bad bytes and controls are shown, not passed on: no raw ESC, NUL or broken UTF-8.
  const std::string shown = html_escaped(std::string("a\x1b[31mb\0c\xff", 10));
  CHECK(shown.find('\x1b') == std::string::npos);
  CHECK(shown.find('\0') == std::string::npos);
  CHECK(shown.find("\xEF\xBF\xBD") != std::string::npos);  // U+FFFD
  CHECK(html_escaped("line\nbreak\ttab") == "line\nbreak\ttab");
  std::string out = "x";
  append_html(out, "&");
  CHECK(out == "x&amp;");
}
