// Tests of the HTML part: values escaped for Markdown, cmark's safe mode against hostile
// values and templates, the theme written into every element, the document around it.
#include <catch2/catch.hpp>

#include <regex>
#include <set>
#include <string>

#include "pm/mail/html_letter.hpp"
#include "pm/mail/letter.hpp"

namespace {

// What a letter's template line holding one value makes of it.
std::string html_of_value(const std::string& value) {
  return pm::markdown_to_html("Hello " + pm::escape_markdown(value) + ",\n");
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// The names of the opening tags of `html`, in order.
std::vector<std::string> opening_tags(const std::string& html) {
  std::vector<std::string> names;
  const std::regex tag("<([a-z][a-z0-9]*)");
  for (auto it = std::sregex_iterator(html.begin(), html.end(), tag); it != std::sregex_iterator();
       ++it) {
    names.push_back((*it)[1]);
  }
  return names;
}

const std::string k_rich_markdown =
    "# Title\n\nText with *emphasis*, **strong**, `code` and a [link](https://example.com "
    "\"its title\").\n\n## Section\n\n### Part\n\n- one\n- two\n\n3. three\n4. four\n\n> a "
    "quote\n\n    indented code\n\n```sh\nfenced code\n```\n\n---\n\n![logo](https://example.com/"
    "logo.png)\n\nBest regards,\nAnna\n";

}  // namespace

TEST_CASE("a value with HTML shows as text and never becomes markup", "[html]") {
  const std::string html = html_of_value("<script>alert(1)</script><img src=x onerror=alert(1)>");
  CAPTURE(html);
  CHECK_FALSE(contains(html, "<script"));
  CHECK_FALSE(contains(html, "<img"));
  CHECK(contains(html, "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;"));
}

TEST_CASE("a value shaped like a javascript link stays text", "[html]") {
  const std::string html = html_of_value("[x](javascript:alert(1)) ![y](javascript:alert(2))");
  CAPTURE(html);
  CHECK_FALSE(contains(html, "<a"));
  CHECK_FALSE(contains(html, "<img"));
  CHECK(contains(html, "[x](javascript:alert(1)) ![y](javascript:alert(2))"));
}

TEST_CASE("a javascript link written in the template loses its URL in safe mode", "[html]") {
  for (const std::string markdown :
       {"[x](javascript:alert(1))", "[x](JavaScript:alert(1))", "<javascript:alert(1)>",
        "[x](vbscript:msgbox)", "[x](file:///etc/passwd)", "[x]: javascript:alert(1)\n\n[x]"}) {
    const std::string html = pm::inline_theme(pm::markdown_to_html(markdown));
    CAPTURE(markdown, html);
    const std::regex unsafe("(href|src)=\"[^\"]*(script|file):", std::regex::icase);
    CHECK_FALSE(std::regex_search(html, unsafe));
    CHECK_FALSE(contains(html, "href=\"\""));
  }
  // A value put where the template expects a URL cannot bring javascript: either.
  const std::string html = pm::markdown_to_html(
      "[the survey](" + pm::escape_markdown("javascript:alert(document.cookie)") + ")");
  CAPTURE(html);
  CHECK_FALSE(contains(html, "href=\"javascript"));
}

TEST_CASE("raw HTML in a template is left out", "[html]") {
  const std::string html =
      pm::markdown_to_html("Hi <b onclick=\"x()\">there</b>\n\n<script>\nalert(1)\n</script>\n");
  CAPTURE(html);
  CHECK_FALSE(contains(html, "<b"));
  CHECK_FALSE(contains(html, "<script"));
  CHECK(contains(html, "raw HTML omitted"));
}

TEST_CASE("values keep their quotes and ampersands and entities and Cyrillic as written",
          "[html]") {
  const std::string html = html_of_value("ООО «Ромашка» & \"O'Brien\" &copy; &#x3C;b&#x3E;");
  CAPTURE(html);
  CHECK(contains(html,
                 "ООО «Ромашка» &amp; &quot;O'Brien&quot; &amp;copy; &amp;#x3C;b&amp;#x3E;"));
}

TEST_CASE("a value makes no Markdown structure: no emphasis or headings or lists or quotes or code",
          "[html]") {
  for (const std::string value :
       {"*not emphasis* _nor this_ `nor code`", "# not a heading", "1. not a list", "- nor this",
        "> not a quote", "---", "line one\n===", "a\\*b", "\\", "<https://a.example>",
        "[ref]: https://a.example"}) {
    const std::string html = pm::markdown_to_html(pm::escape_markdown(value) + "\n");
    CAPTURE(value, html);
    CHECK(html.starts_with("<p>"));
    for (const char* tag : {"<em", "<strong", "<code", "<h1", "<h2", "<ol", "<ul", "<blockquote",
                            "<hr", "<a"}) {
      CHECK_FALSE(contains(html, tag));
    }
    CHECK(pm::unescape_markdown(pm::escape_markdown(value)) == value);
  }
}

TEST_CASE("a value that is one web or mail address becomes a link", "[html]") {
  CHECK(pm::escape_markdown("https://survey.example/s?id=1&x=2") ==
        "<https://survey.example/s?id=1&x=2>");
  CHECK(contains(html_of_value("https://survey.example/s?id=1&x=2"),
                 "<a href=\"https://survey.example/s?id=1&amp;x=2\">"));
  CHECK(contains(html_of_value("mailto:anna@example.com"), "<a href=\"mailto:anna@example.com\">"));
  // Not a whole address: text.
  CHECK_FALSE(contains(html_of_value("see https://a.example"), "<a"));
  CHECK_FALSE(contains(html_of_value("https://a.example/<script>"), "<a"));
  CHECK(pm::unescape_markdown(pm::escape_markdown("https://a.example")) == "https://a.example");
}

TEST_CASE("line breaks of the text are kept so a signature stays on its lines", "[html]") {
  CHECK(pm::markdown_to_html("Best regards,\nAnna Petrova\n") ==
        "<p>Best regards,<br />\nAnna Petrova</p>\n");
}

TEST_CASE("bytes that are not UTF-8 become U+FFFD", "[html]") {
  const std::string html = pm::markdown_to_html("a\xff\xfe b\n");
  CHECK(contains(html, "a\xEF\xBF\xBD\xEF\xBF\xBD b"));
}

TEST_CASE("the theme styles every element cmark writes", "[html][theme]") {
  const std::string html = pm::inline_theme(pm::markdown_to_html(k_rich_markdown));
  CAPTURE(html);
  const std::set<std::string> unstyled = {"em", "strong", "br"};
  std::set<std::string> seen;
  for (const std::string& name : opening_tags(html)) {
    seen.insert(name);
    if (unstyled.count(name) == 0) {
      CAPTURE(name);
      CHECK_FALSE(pm::theme_style(name).empty());
    }
  }
  for (const char* name : {"h1", "h2", "h3", "p", "ul", "ol", "li", "blockquote", "pre", "code",
                           "a", "hr", "img", "em", "strong", "br"}) {
    CAPTURE(name);
    CHECK(seen.count(name) == 1);
  }
  // Each styled opening tag carries its style right after its name, and only one.
  CHECK(contains(html, "<p style=\"" + std::string(pm::theme_style("p")) + "\">"));
  CHECK(contains(html, "<ol style=\"" + std::string(pm::theme_style("ol")) + "\" start=\"3\">"));
  CHECK(contains(html, "<a style=\"" + std::string(pm::theme_style("a")) +
                           "\" href=\"https://example.com\" title=\"its title\">"));
  CHECK(contains(html, "<pre style=\"" + std::string(pm::theme_style("pre")) + "\"><code style=\"" +
                           std::string(pm::theme_style("pre code")) + "\" class=\"language-sh\">"));
  CHECK(contains(html, "<code style=\"" + std::string(pm::theme_style("code")) + "\">code</code>"));
  CHECK_FALSE(contains(html, "style=\"\""));
  const std::regex two_styles("<[^>]*style=[^>]*style=");
  CHECK_FALSE(std::regex_search(html, two_styles));
  // Closing tags and text are untouched: without the styles it is cmark's HTML again.
  CHECK(std::regex_replace(html, std::regex(" style=\"[^\"]*\""), "") ==
        pm::markdown_to_html(k_rich_markdown));
  // Tables (the page's own, and a template's, should cmark ever write one) are in the theme.
  for (const char* name : {"table", "th", "td", "body", "page", "card", "content"}) {
    CAPTURE(name);
    CHECK_FALSE(pm::theme_style(name).empty());
  }
}

TEST_CASE("html_letter is a complete document in the letter's language", "[html]") {
  const std::string html = pm::html_letter("Здравствуйте!\n", "Сайт: <статус> & \"итоги\"", "ru");
  CAPTURE(html);
  CHECK(html.starts_with(
      "<!DOCTYPE html>\n<html lang=\"ru\">\n<head>\n<meta charset=\"utf-8\">\n"));
  CHECK(contains(html, "<title>Сайт: &lt;статус&gt; &amp; &quot;итоги&quot;</title>"));
  CHECK(contains(html, "max-width:640px"));
  CHECK(contains(html, "<p style=\"" + std::string(pm::theme_style("p")) + "\">Здравствуйте!</p>"));
  CHECK(html.ends_with("</body>\n</html>\n"));
  CHECK_FALSE(contains(html, "<style"));
  // A ledger's control characters are shown, as the text part shows them.
  CHECK(contains(pm::html_letter("a\x1b[31mb\n", "S", "en"), "a\\x1b[31mb"));
}

TEST_CASE("a template's Markdown escapes values and the helpers read their text", "[html]") {
  mstch::map context{{"name", std::string("ООО \"Ромашка\" *x*")},
                     {"days", std::string("-3")},
                     {"link", std::string("https://survey.example")}};
  const std::string text = "**{{name}}**: {{#quote}}{{name}}{{/quote}}, "
                           "{{#plural}}{{days}}|день|дня|дней{{/plural}}, {{link}}";
  const std::string plain = pm::render_mustache(text, context, "ru");
  const std::string markdown = pm::render_mustache(text, context, "ru", {}, true);
  CAPTURE(plain, markdown);
  CHECK(plain.starts_with("**ООО \"Ромашка\" *x***: «ООО „Ромашка“ *x*», "));
  CHECK(markdown.starts_with("**ООО \"Ромашка\" \\*x\\***: «ООО „Ромашка“ \\*x\\*», "));
  CHECK(markdown.ends_with(", <https://survey.example>"));
  // The helpers wrote the same words in both: the plural read the count -3, not "\-3".
  auto plural = [](const std::string& rendered, const std::string& after) {
    const std::size_t start = rendered.find("», ") + std::string("», ").size();
    return rendered.substr(start, rendered.find(after) - start);
  };
  CHECK(plural(plain, ", https") == "-3 дня");
  CHECK(pm::unescape_markdown(plural(markdown, ", <https")) == plural(plain, ", https"));
  const std::string html = pm::markdown_to_html(markdown);
  CHECK(html.starts_with("<p><strong>ООО &quot;Ромашка&quot; *x*</strong>: «ООО „Ромашка“ *x*», "));
  CHECK(contains(html, "<a href=\"https://survey.example\">https://survey.example</a></p>"));
  // The text renderer is left as it was: values unescaped.
  CHECK(pm::render_mustache("{{name}}", context, "en") == "ООО \"Ромашка\" *x*");
}
