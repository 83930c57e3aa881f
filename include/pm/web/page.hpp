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

/// The whole document, deterministic bytes: a page written twice is the same file.
std::string html_page(const Page& page);

}  // namespace pm
