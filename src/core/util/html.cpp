#include "pm/util/html.hpp"

#include "pm/util/check.hpp"

namespace pm {

void append_html(std::string& out, std::string_view text) {
  const std::string safe = printable_text(text);
  out.reserve(out.size() + safe.size());
  for (char c : safe) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out.push_back(c);
    }
  }
}

std::string html_escaped(std::string_view text) {
  std::string out;
  append_html(out, text);
  return out;
}

}  // namespace pm
