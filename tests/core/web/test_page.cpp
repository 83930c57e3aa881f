#include <catch2/catch.hpp>

#include "pm/web/page.hpp"

using namespace pm;

TEST_CASE("a page escapes its title, language and links, and says where its style is",
          "[html]") {
  Page page;
  page.language = "ru\"><script>";
  page.title = "A & B </title>";
  page.nav = {{"a.html?x=\"1\"", "<Home>", true}, {"b.html", "B", false}};
  page.main = "<h1>Main</h1>\n";
  const std::string html = html_page(page);
  CHECK(html.rfind("<!DOCTYPE html>\n<html lang=\"ru&quot;&gt;&lt;script&gt;\">", 0) == 0);
  CHECK(html.find("<title>A &amp; B &lt;/title&gt;</title>") != std::string::npos);
  CHECK(html.find("<a href=\"a.html?x=&quot;1&quot;\" aria-current=\"page\">&lt;Home&gt;</a>") !=
        std::string::npos);
  CHECK(html.find("<a href=\"b.html\">B</a>") != std::string::npos);
  CHECK(html.find("<style>") != std::string::npos);  // no stylesheet given: inline
  page.stylesheet = "../style.css";
  const std::string linked = html_page(page);
  CHECK(linked.find("<link rel=\"stylesheet\" href=\"../style.css\">") != std::string::npos);
  CHECK(linked.find("<style>") == std::string::npos);
  CHECK(html_page(page) == linked);  // the same bytes every time
  CHECK(page_css().find("@media print") != std::string::npos);
  CHECK(page_css().find("url(") == std::string::npos);  // nothing fetched
}
