// The HTML part of a letter: Markdown through cmark (safe mode: no raw HTML, no javascript:
// links), then the theme's styles written into each element, since Gmail and Outlook drop
// <style> blocks and <link>ed style sheets.
#include "pm/mail/html_letter.hpp"

#include <array>
#include <cstdlib>
#include <memory>

#include <cmark.h>
#include <fmt/format.h>

#include "pm/util/html.hpp"
#include "pm/util/check.hpp"
#include "pm/util/error.hpp"

namespace pm {
namespace {

// ASCII punctuation that can begin Markdown syntax somewhere: inline (emphasis, code, links,
// images, autolinks and raw HTML, entities) or at a line's start (headings, lists, block
// quotes, rules, setext underlines). Quotes are left alone: they mean nothing to CommonMark,
// and {{#quote}} reads them.
constexpr std::string_view k_markdown_punctuation = "\\`*_[]<>!#+-.()|~&=";

struct ThemeRule {
  std::string_view element;
  std::string_view style;
};

// The theme: every style of the HTML part is here. Dark grey on white (contrast 15:1), links
// in a blue that keeps 6:1 and is underlined, a system sans-serif at 16px.
constexpr std::array<ThemeRule, 24> k_theme = {{
    {"body", "margin:0;padding:0;background-color:#f3f4f6;"},
    {"page", "margin:0;padding:24px 12px;background-color:#f3f4f6;"},
    {"card",
     "width:100%;max-width:640px;margin:0 auto;border-collapse:collapse;"
     "background-color:#ffffff;border:1px solid #e1e4e8;"},
    {"content",
     "padding:24px 28px;font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;"
     "font-size:16px;line-height:1.5;color:#1f2328;text-align:left;"},
    {"p", "margin:0 0 16px 0;"},
    {"h1", "margin:24px 0 12px 0;font-size:24px;line-height:1.25;font-weight:bold;color:#1f2328;"},
    {"h2", "margin:24px 0 12px 0;font-size:20px;line-height:1.25;font-weight:bold;color:#1f2328;"},
    {"h3", "margin:20px 0 8px 0;font-size:17px;line-height:1.3;font-weight:bold;color:#1f2328;"},
    {"h4", "margin:16px 0 8px 0;font-size:16px;line-height:1.3;font-weight:bold;color:#1f2328;"},
    {"h5", "margin:16px 0 8px 0;font-size:15px;line-height:1.3;font-weight:bold;color:#1f2328;"},
    {"h6", "margin:16px 0 8px 0;font-size:14px;line-height:1.3;font-weight:bold;color:#424a53;"},
    {"ul", "margin:0 0 16px 0;padding:0 0 0 24px;"},
    {"ol", "margin:0 0 16px 0;padding:0 0 0 24px;"},
    {"li", "margin:0 0 4px 0;"},
    {"blockquote", "margin:0 0 16px 0;padding:0 0 0 12px;border-left:4px solid #d0d7de;"
                   "color:#424a53;"},
    {"a", "color:#0b57d0;text-decoration:underline;"},
    {"code", "font-family:Menlo,Consolas,'Courier New',monospace;font-size:14px;"
             "background-color:#eff1f3;padding:1px 4px;"},
    {"pre", "margin:0 0 16px 0;padding:12px;background-color:#eff1f3;white-space:pre-wrap;"
            "font-size:14px;line-height:1.4;"},
    {"pre code", "font-family:Menlo,Consolas,'Courier New',monospace;font-size:14px;"},
    {"hr", "border:0;border-top:1px solid #d0d7de;margin:24px 0;"},
    {"img", "max-width:100%;height:auto;border:0;"},
    {"table", "border-collapse:collapse;margin:0 0 16px 0;"},
    {"th", "border:1px solid #d0d7de;padding:6px 10px;text-align:left;font-weight:bold;"
           "background-color:#f6f8fa;"},
    {"td", "border:1px solid #d0d7de;padding:6px 10px;text-align:left;"},
}};

bool is_url_value(std::string_view value) {
  for (std::string_view scheme : {"https://", "http://", "mailto:"}) {
    if (value.size() > scheme.size() && value.starts_with(scheme)) {
      // An autolink holds no space, control, '<' or '>'; anything else is left to cmark, which
      // percent-encodes what a URL may not hold.
      for (char c : value) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte <= ' ' || byte == 0x7f || c == '<' || c == '>') {
          return false;
        }
      }
      return true;
    }
  }
  return false;
}

bool is_tag_name_char(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

}  // namespace

std::string escape_markdown(std::string_view value) {
  if (is_url_value(value)) {
    return "<" + std::string(value) + ">";
  }
  std::string out;
  out.reserve(value.size() + value.size() / 8);
  for (char c : value) {
    if (k_markdown_punctuation.find(c) != std::string_view::npos) {
      out += '\\';
    }
    out += c;
  }
  return out;
}

std::string unescape_markdown(std::string_view markdown) {
  if (markdown.size() > 2 && markdown.front() == '<' && markdown.back() == '>' &&
      is_url_value(markdown.substr(1, markdown.size() - 2))) {
    return std::string(markdown.substr(1, markdown.size() - 2));
  }
  std::string out;
  out.reserve(markdown.size());
  for (std::size_t i = 0; i < markdown.size(); ++i) {
    if (markdown[i] == '\\' && i + 1 < markdown.size() &&
        k_markdown_punctuation.find(markdown[i + 1]) != std::string_view::npos) {
      ++i;
    }
    out += markdown[i];
  }
  return out;
}

std::string markdown_to_html(std::string_view markdown) {
  // CMARK_OPT_SAFE is cmark's default since 0.29 (CMARK_OPT_UNSAFE turns raw HTML on); it is
  // named for older versions. HARDBREAKS: letters are written line by line, as the text part
  // shows them, and a signature's "Best regards,\nName" must stay on two lines.
  const int options = CMARK_OPT_SAFE | CMARK_OPT_HARDBREAKS | CMARK_OPT_VALIDATE_UTF8;
  std::unique_ptr<char, decltype(&std::free)> html(
      cmark_markdown_to_html(markdown.data(), markdown.size(), options), &std::free);
  if (!html) {
    throw Error("cannot render the letter's Markdown as HTML: out of memory");
  }
  return std::string(html.get());
}

std::string_view theme_style(std::string_view element) {
  for (const ThemeRule& rule : k_theme) {
    if (rule.element == element) {
      return rule.style;
    }
  }
  return {};
}

std::string inline_theme(std::string_view html) {
  std::string out;
  out.reserve(html.size() * 2);
  bool in_pre = false;
  for (std::size_t pos = 0; pos < html.size();) {
    const std::size_t open = html.find('<', pos);
    out += html.substr(pos, open == std::string_view::npos ? std::string_view::npos : open - pos);
    if (open == std::string_view::npos) {
      break;
    }
    std::size_t name_end = open + 1;
    while (name_end < html.size() && is_tag_name_char(html[name_end])) {
      ++name_end;
    }
    const std::string_view name = html.substr(open + 1, name_end - open - 1);
    if (html.substr(open).starts_with("</pre")) {
      in_pre = false;
    }
    out += html.substr(open, name_end - open);  // "<p", "</p", "<!--" up to its name
    // cmark writes href="" for a link whose URL safe mode dropped (javascript:): a link to
    // nothing is no link, and an empty href would point at the letter itself.
    if (name == "a" && html.substr(name_end).starts_with(" href=\"\"")) {
      name_end += std::string_view(" href=\"\"").size();
    }
    if (!name.empty()) {
      const std::string_view style =
          theme_style(in_pre && name == "code" ? std::string_view("pre code") : name);
      if (!style.empty()) {
        out += " style=\"";
        out += style;
        out += '"';
      }
      in_pre = in_pre || name == "pre";
    }
    pos = name_end;
  }
  return out;
}

std::string html_letter(std::string_view markdown, std::string_view subject,
                        std::string_view language) {
  // A ledger's controls and bad bytes are shown as the text part shows them.
  const std::string content = inline_theme(markdown_to_html(printable_text(markdown)));
  std::string out = "<!DOCTYPE html>\n<html lang=\"";
  append_html(out, language.empty() ? std::string_view("en") : language);
  out += "\">\n<head>\n<meta charset=\"utf-8\">\n"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>";
  append_html(out, printable_line(subject));
  out += fmt::format(
      "</title>\n</head>\n<body style=\"{}\">\n<div style=\"{}\">\n"
      "<table role=\"presentation\" style=\"{}\">\n<tr>\n<td style=\"{}\">\n",
      theme_style("body"), theme_style("page"), theme_style("card"), theme_style("content"));
  out += content;
  out += "</td>\n</tr>\n</table>\n</div>\n</body>\n</html>\n";
  return out;
}

}  // namespace pm
