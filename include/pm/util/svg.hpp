#pragma once
// A small SVG writer for charts a page embeds inline (docs/ARCHITECTURE.md, "Charts"): escaped
// text, compact locale-independent numbers, the handful of elements a chart draws, and nothing
// that reaches outside the document (no scripts, no links, no stylesheets). The same calls
// always give the same bytes.
//
// Styling: every element carries a class (a page's CSS themes the chart through it) and its
// colours as presentation attributes, which any CSS rule overrides, so the chart also looks
// right standalone. Text and axes use `currentColor`: the root sets `color`, a page may too.
#include <string>
#include <string_view>
#include <vector>

namespace pm::svg {

/// Colours of the charts, all on a white background. Text colours meet WCAG AA (4.5:1);
/// lines and marks meet the 3:1 of graphical objects, except k_grid, which only guides.
inline constexpr std::string_view k_text = "#222222";     ///< labels (the root's `color`)
inline constexpr std::string_view k_muted = "#555555";    ///< secondary labels
inline constexpr std::string_view k_axis = "#767676";     ///< axes and the zero line
inline constexpr std::string_view k_grid = "#d9d9d9";     ///< grid lines (decorative)
inline constexpr std::string_view k_accent = "#1f5fa8";   ///< the data series
inline constexpr std::string_view k_accent2 = "#b3541e";  ///< a second series (the deadline)

/// The contrast ratio (WCAG 2) of `colour` ("#rrggbb") against white: 1 to 21. Throws
/// std::invalid_argument for anything but "#rrggbb".
double contrast_on_white(std::string_view colour);

/// `text` for an element's content or an attribute's value: & < > " ' as entities, invalid
/// UTF-8 and the characters XML 1.0 forbids or a reader would not see (C0 and C1 controls, DEL,
/// U+FFFE, U+FFFF) as U+FFFD, and TAB, LF and CR as spaces (a label is one line).
std::string escape(std::string_view text);

/// `value` with at most `decimals` digits after the point, trailing zeros and a bare point
/// dropped, "-0" written "0", always with '.' whatever the locale: 12.5 → "12.5", -0.001 → "0".
/// Throws std::invalid_argument for NaN and infinities (a chart that computed one is a bug).
std::string number(double value, int decimals = 2);

struct Point {
  double x = 0;
  double y = 0;
};

/// How an element is drawn. Empty strings and zero widths are not written.
struct Style {
  std::string_view css_class{};
  std::string_view fill{};  ///< "none", a colour, "currentColor"
  std::string_view stroke{};
  double stroke_width = 0;
  std::string_view dash{};  ///< stroke-dasharray, e.g. "4 3"
  double fill_opacity = 1;  ///< written when below 1
};

enum class Anchor { start, middle, end };

/// What the root says about the chart: its size in user units (the viewBox: the chart scales
/// to its container's width, keeping its proportions), its id (letters, digits, '-' and '_',
/// starting with a letter: the title and description are `ID-title` and `ID-desc`), its
/// class, and its title and description for screen readers (`role="img"`, aria-labelledby).
struct Frame {
  double width = 640;
  double height = 260;
  std::string id;
  std::string css_class;
  std::string title;
  std::string desc;
};

/// Writes one SVG document, element by element. Groups nest; finish() closes what is open.
class Writer {
 public:
  /// Opens the root, its <title> and <desc>. Throws std::invalid_argument for a bad id or a
  /// size that is not positive.
  explicit Writer(const Frame& frame);

  void open_group(std::string_view css_class);
  void close_group();

  void rect(double x, double y, double width, double height, const Style& style);
  void line(Point from, Point to, const Style& style);
  void polyline(const std::vector<Point>& points, const Style& style);
  /// A path through `points` ("M x y L x y ..."), closed with "Z" when `closed`.
  void path(const std::vector<Point>& points, bool closed, const Style& style);
  /// A circle; a non-empty `tooltip` becomes its <title> (shown on hover, read aloud).
  void circle(Point centre, double radius, const Style& style, std::string_view tooltip = {});
  /// One line of text; `size` 0 keeps the root's font size.
  void text(Point at, std::string_view content, Anchor anchor, const Style& style, double size = 0);

  /// The document, with every open group and the root closed; the writer is spent.
  std::string finish();

 private:
  void open_element(std::string_view name, const Style& style);
  void indent();

  std::string m_out;
  int m_depth = 1;
  bool m_finished = false;
};

}  // namespace pm::svg
