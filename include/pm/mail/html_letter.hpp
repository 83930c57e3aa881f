#pragma once
// A letter's HTML part: its body is Markdown (CommonMark), rendered with cmark in safe mode,
// styled by one theme whose styles are written into each element (mail clients drop <style>).
#include <string>
#include <string_view>

namespace pm {

/// A value put into a letter's Markdown as literal text: every ASCII punctuation character
/// that can start Markdown syntax (emphasis, links, images, code, raw HTML, entities, headings,
/// lists, quotes, rules) is escaped with a backslash, so a value from the ledger shows as
/// written and never makes a link, a heading or markup. A value that is one http(s) or mailto
/// URL and nothing else becomes an autolink (`<https://…>`).
std::string escape_markdown(std::string_view value);

/// Undoes escape_markdown: the value's own text (a helper such as {{#quote}} reads it).
std::string unescape_markdown(std::string_view markdown);

/// CommonMark to an HTML fragment with cmark: raw HTML is left out (a comment says so), links
/// and images with unsafe schemes (javascript:, vbscript:, file:, data: other than images)
/// lose their URL, each line break of the text is kept (<br />), and bytes that are not UTF-8
/// become U+FFFD.
std::string markdown_to_html(std::string_view markdown);

/// cmark's HTML with the theme's `style` attribute on each element the theme styles (p,
/// h1–h6, ul, ol, li, blockquote, a, code, pre, hr, img, table, th, td). Relies on cmark's
/// regular output: text never holds '<' (it is written &lt;), tags have no style of their own.
std::string inline_theme(std::string_view html);

/// The theme's style of `element` ("p", "pre code", or a part of the page: "body", "page",
/// "card", "content"); empty when the theme leaves it alone.
std::string_view theme_style(std::string_view element);

/// A complete HTML document of a letter: <!DOCTYPE html>, <html lang="LANGUAGE">, UTF-8,
/// the subject as its title, and the body (Markdown) rendered and styled inside a centred
/// column at most 640 pixels wide.
std::string html_letter(std::string_view markdown, std::string_view subject,
                        std::string_view language);

}  // namespace pm
