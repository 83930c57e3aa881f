#include "pm/util/svg.hpp"

#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

#include "pm/util/check.hpp"

namespace pm::svg {

namespace {

constexpr std::string_view k_replacement = "\xEF\xBF\xBD";  // U+FFFD

/// The relative luminance of one sRGB channel (0-255), as WCAG 2 defines it.
double channel_luminance(int value) {
  const double c = value / 255.0;
  return c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  return -1;
}

/// Letters, digits, '-' and '_', starting with a letter: an id that needs no escaping in an
/// attribute, a CSS selector or aria-labelledby's list.
bool valid_id(std::string_view id) {
  if (id.empty() || !((id[0] >= 'a' && id[0] <= 'z') || (id[0] >= 'A' && id[0] <= 'Z'))) {
    return false;
  }
  for (char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_';
    if (!ok) {
      return false;
    }
  }
  return true;
}

void attribute(std::string& out, std::string_view name, std::string_view value) {
  out += ' ';
  out += name;
  out += "=\"";
  out += escape(value);
  out += '"';
}

std::string points_text(const std::vector<Point>& points) {
  std::string out;
  for (const auto& p : points) {
    if (!out.empty()) {
      out += ' ';
    }
    out += number(p.x);
    out += ',';
    out += number(p.y);
  }
  return out;
}

}  // namespace

double contrast_on_white(std::string_view colour) {
  if (colour.size() != 7 || colour[0] != '#') {
    throw std::invalid_argument(fmt::format("not a #rrggbb colour: '{}'", colour));
  }
  int rgb[3];
  for (int i = 0; i < 3; ++i) {
    const int high = hex_digit(colour[1 + 2 * i]);
    const int low = hex_digit(colour[2 + 2 * i]);
    if (high < 0 || low < 0) {
      throw std::invalid_argument(fmt::format("not a #rrggbb colour: '{}'", colour));
    }
    rgb[i] = high * 16 + low;
  }
  const double luminance = 0.2126 * channel_luminance(rgb[0]) + 0.7152 * channel_luminance(rgb[1]) +
                           0.0722 * channel_luminance(rgb[2]);
  return 1.05 / (luminance + 0.05);
}

std::string escape(std::string_view raw) {
  const std::string text = utf8_replaced(raw);  // well-formed from here on
  std::string out;
  out.reserve(text.size() + 16);
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    const auto next = [&](std::size_t k) {
      return i + k < text.size() ? static_cast<unsigned char>(text[i + k]) : 0;
    };
    switch (c) {
      case '&':
        out += "&amp;";
        continue;
      case '<':
        out += "&lt;";
        continue;
      case '>':
        out += "&gt;";
        continue;
      case '"':
        out += "&quot;";
        continue;
      case '\'':
        out += "&#39;";
        continue;
      case '\t':
      case '\n':
      case '\r':
        out += ' ';
        continue;
      default:
        break;
    }
    if (c < 0x20 || c == 0x7F) {
      out += k_replacement;
    } else if (c == 0xC2 && next(1) >= 0x80 && next(1) <= 0x9F) {
      out += k_replacement;  // a C1 control
      i += 1;
    } else if (c == 0xEF && next(1) == 0xBF && (next(2) == 0xBE || next(2) == 0xBF)) {
      out += k_replacement;  // U+FFFE, U+FFFF: not characters XML allows
      i += 2;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

std::string number(double value, int decimals) {
  if (!std::isfinite(value)) {
    throw std::invalid_argument("svg: a number that is not finite");
  }
  // fmt never uses the C locale's decimal point unless asked ("L").
  std::string out = fmt::format("{:.{}f}", value, decimals < 0 ? 0 : decimals);
  if (out.find('.') != std::string::npos) {
    while (out.back() == '0') {
      out.pop_back();
    }
    if (out.back() == '.') {
      out.pop_back();
    }
  }
  if (out == "-0") {
    out = "0";
  }
  return out;
}

Writer::Writer(const Frame& frame) {
  if (!valid_id(frame.id)) {
    throw std::invalid_argument(fmt::format("svg: not a usable id: '{}'", frame.id));
  }
  if (!(frame.width > 0) || !(frame.height > 0)) {
    throw std::invalid_argument("svg: the width and height must be positive");
  }
  m_out = "<svg xmlns=\"http://www.w3.org/2000/svg\"";
  attribute(m_out, "viewBox", "0 0 " + number(frame.width) + " " + number(frame.height));
  attribute(m_out, "preserveAspectRatio", "xMidYMid meet");
  attribute(m_out, "role", "img");
  attribute(m_out, "aria-labelledby", frame.id + "-title " + frame.id + "-desc");
  attribute(m_out, "id", frame.id);
  if (!frame.css_class.empty()) {
    attribute(m_out, "class", frame.css_class);
  }
  attribute(m_out, "font-family", "sans-serif");
  attribute(m_out, "font-size", "12");
  attribute(m_out, "color", k_text);
  m_out += ">\n";
  indent();
  m_out += "<title id=\"" + frame.id + "-title\">" + escape(frame.title) + "</title>\n";
  indent();
  m_out += "<desc id=\"" + frame.id + "-desc\">" + escape(frame.desc) + "</desc>\n";
  // A white ground, so the colours keep their contrast on a dark page too.
  rect(0, 0, frame.width, frame.height, {"background", "#ffffff"});
}

void Writer::indent() { m_out.append(static_cast<std::size_t>(m_depth) * 2, ' '); }

void Writer::open_element(std::string_view name, const Style& style) {
  if (m_finished) {
    throw std::logic_error("svg: the document is already finished");
  }
  indent();
  m_out += '<';
  m_out += name;
  if (!style.css_class.empty()) {
    attribute(m_out, "class", style.css_class);
  }
  if (!style.fill.empty()) {
    attribute(m_out, "fill", style.fill);
  }
  if (style.fill_opacity < 1) {
    attribute(m_out, "fill-opacity", number(style.fill_opacity < 0 ? 0 : style.fill_opacity));
  }
  if (!style.stroke.empty()) {
    attribute(m_out, "stroke", style.stroke);
  }
  if (style.stroke_width > 0) {
    attribute(m_out, "stroke-width", number(style.stroke_width));
  }
  if (!style.dash.empty()) {
    attribute(m_out, "stroke-dasharray", style.dash);
  }
}

void Writer::open_group(std::string_view css_class) {
  open_element("g", {css_class});
  m_out += ">\n";
  ++m_depth;
}

void Writer::close_group() {
  if (m_depth <= 1) {
    throw std::logic_error("svg: no group is open");
  }
  --m_depth;
  indent();
  m_out += "</g>\n";
}

void Writer::rect(double x, double y, double width, double height, const Style& style) {
  open_element("rect", style);
  attribute(m_out, "x", number(x));
  attribute(m_out, "y", number(y));
  attribute(m_out, "width", number(width < 0 ? 0 : width));
  attribute(m_out, "height", number(height < 0 ? 0 : height));
  m_out += "/>\n";
}

void Writer::line(Point from, Point to, const Style& style) {
  open_element("line", style);
  attribute(m_out, "x1", number(from.x));
  attribute(m_out, "y1", number(from.y));
  attribute(m_out, "x2", number(to.x));
  attribute(m_out, "y2", number(to.y));
  m_out += "/>\n";
}

void Writer::polyline(const std::vector<Point>& points, const Style& style) {
  open_element("polyline", style);
  attribute(m_out, "points", points_text(points));
  m_out += "/>\n";
}

void Writer::path(const std::vector<Point>& points, bool closed, const Style& style) {
  std::string d;
  for (std::size_t i = 0; i < points.size(); ++i) {
    d += i == 0 ? "M" : " L";
    d += number(points[i].x) + " " + number(points[i].y);
  }
  if (closed && !points.empty()) {
    d += " Z";
  }
  open_element("path", style);
  attribute(m_out, "d", d);
  m_out += "/>\n";
}

void Writer::circle(Point centre, double radius, const Style& style, std::string_view tooltip) {
  open_element("circle", style);
  attribute(m_out, "cx", number(centre.x));
  attribute(m_out, "cy", number(centre.y));
  attribute(m_out, "r", number(radius < 0 ? 0 : radius));
  if (tooltip.empty()) {
    m_out += "/>\n";
    return;
  }
  m_out += "><title>" + escape(tooltip) + "</title></circle>\n";
}

void Writer::text(Point at, std::string_view content, Anchor anchor, const Style& style,
                  double size) {
  open_element("text", style);
  attribute(m_out, "x", number(at.x));
  attribute(m_out, "y", number(at.y));
  if (anchor != Anchor::start) {
    attribute(m_out, "text-anchor", anchor == Anchor::middle ? "middle" : "end");
  }
  if (size > 0) {
    attribute(m_out, "font-size", number(size));
  }
  m_out += '>';
  m_out += escape(content);
  m_out += "</text>\n";
}

std::string Writer::finish() {
  if (m_finished) {
    throw std::logic_error("svg: the document is already finished");
  }
  while (m_depth > 1) {
    close_group();
  }
  m_out += "</svg>\n";
  m_finished = true;
  return std::move(m_out);
}

}  // namespace pm::svg
