#pragma once
// An HTML page of pm's: one document shape and one stylesheet for the client's status site
// (pm publish) and the single pages (pm report --format html). No scripts, no external
// requests: a page works from file:// and from any static host.
#include <string>
#include <string_view>
#include <vector>

namespace pm {

/// The stylesheet: readable type, tables with headers, AA contrast, a phone layout and a
/// print layout (no navigation, black on white).
std::string_view page_css();

struct PageLink {
  std::string href;   ///< relative to the page
  std::string label;  ///< plain text
  bool current = false;
};

struct Page {
  std::string language = "en";  ///< <html lang>
  std::string title;            ///< plain text: <title>
  /// The stylesheet's href relative to the page; empty: the stylesheet inline, in <style>.
  std::string stylesheet;
  std::vector<PageLink> nav;    ///< the site's pages; none: no <nav>
  std::string main;             ///< HTML of <main>, every text in it already escaped
  std::string footer;           ///< HTML of <footer>, likewise
};

/// A table in a scrolling box, with a caption (for screen readers; the heading above says it
/// to the eye) and column headers; `rows` hold cells of escaped HTML. Each cell names its
/// column (data-label): a phone shows a row as a card of labelled lines.
std::string html_table(const std::string& caption, const std::vector<std::string>& headers,
                       const std::vector<std::vector<std::string>>& rows);

/// The whole document, deterministic bytes: a page written twice is the same file.
std::string html_page(const Page& page);

}  // namespace pm
