#include "pm/web/page.hpp"

#include "pm/util/html.hpp"

namespace pm {

std::string_view page_css() {
  // Contrast on white: text #1b1b1b (17:1), muted #4d4d4d (8.4:1), links #0b57d0 (6.4:1),
  // alerts #a4161a (7.5:1), good #1e6b34 (6.6:1).
  static constexpr std::string_view k_css = R"css(:root {
  color-scheme: light;
  --text: #1b1b1b;
  --muted: #4d4d4d;
  --rule: #c9c9c9;
  --head: #f0f2f5;
  --link: #0b57d0;
  --alert: #a4161a;
  --good: #1e6b34;
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body {
  margin: 0;
  color: var(--text);
  background: #fff;
  font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
}
header.site, main, footer.site { max-width: 56rem; margin: 0 auto; padding: 0 1rem; }
header.site { padding-top: 1rem; border-bottom: 1px solid var(--rule); }
header.site p { margin: 0 0 0.5rem; color: var(--muted); }
nav ul { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: 0.25rem 1.25rem; }
nav li { margin: 0 0 0.5rem; }
nav a[aria-current="page"] { color: var(--text); font-weight: 600; text-decoration: none; }
a { color: var(--link); }
a:focus-visible { outline: 2px solid var(--link); outline-offset: 2px; }
h1 { font-size: 1.6rem; line-height: 1.25; margin: 1.25rem 0 0.75rem; }
h2 { font-size: 1.25rem; margin: 1.75rem 0 0.5rem; }
h3 { font-size: 1.05rem; margin: 1.25rem 0 0.25rem; }
p, ul { margin: 0 0 0.75rem; }
ul.details { color: var(--muted); margin: 0.25rem 0; }
.none, .muted { color: var(--muted); }
.off-plan, .alert { color: var(--alert); }
.on-plan { color: var(--good); }
.state { white-space: nowrap; }
.table { overflow-x: auto; margin: 0 0 1rem; }
table { border-collapse: collapse; width: 100%; }
/* A caption names the table for a screen reader; the heading above says it to the eye. */
caption { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
th, td { text-align: left; vertical-align: top; padding: 0.4rem 0.6rem; border-bottom: 1px solid var(--rule); }
th { background: var(--head); font-weight: 600; }
td.number { white-space: nowrap; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.25rem 1rem; margin: 0 0 1rem; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; }
figure { margin: 1rem 0; }
figure svg { width: 100%; height: auto; max-width: 40rem; display: block; }
figcaption { color: var(--muted); font-size: 0.9rem; }
code { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 0.9em; word-break: break-all; }
footer.site { margin-top: 2rem; padding-top: 0.75rem; padding-bottom: 2rem; border-top: 1px solid var(--rule); color: var(--muted); font-size: 0.9rem; }
article.report footer { margin-top: 1.5rem; color: var(--muted); font-size: 0.9rem; }
@media (max-width: 40rem) {
  body { font-size: 15px; }
  h1 { font-size: 1.35rem; }
  dl.facts { grid-template-columns: 1fr; }
  dl.facts dd { margin-bottom: 0.5rem; }
  /* A row becomes a card: each cell on its own line after its column's name. */
  .table table, .table tbody, .table tr, .table td { display: block; width: 100%; }
  .table thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
  .table tr { border-bottom: 1px solid var(--rule); padding: 0.4rem 0; }
  .table td { border: 0; padding: 0.1rem 0; }
  .table td::before { content: attr(data-label) ": "; font-weight: 600; }
  .table td:empty { display: none; }
}
@media print {
  nav { display: none; }
  body { font-size: 11pt; color: #000; }
  a { color: #000; }
  header.site, main, footer.site { max-width: none; padding: 0; }
  th { background: none; }
  section, tr, figure { break-inside: avoid; }
}
)css";
  return k_css;
}

std::string html_table(const std::string& caption, const std::vector<std::string>& headers,
                       const std::vector<std::vector<std::string>>& rows) {
  std::string out = "<div class=\"table\">\n<table>\n<caption>";
  append_html(out, caption);
  out += "</caption>\n<thead>\n<tr>";
  std::vector<std::string> labels;
  for (const auto& h : headers) {
    labels.push_back(html_escaped(h));
    out += "<th scope=\"col\">" + labels.back() + "</th>";
  }
  out += "</tr>\n</thead>\n<tbody>\n";
  for (const auto& row : rows) {
    out += "<tr>";
    for (std::size_t i = 0; i < row.size(); ++i) {
      out += i == 0 ? "<td class=\"number\" data-label=\"" : "<td data-label=\"";
      out += i < labels.size() ? labels[i] : std::string();
      out += "\">";
      out += row[i];
      out += "</td>";
    }
    out += "</tr>\n";
  }
  out += "</tbody>\n</table>\n</div>\n";
  return out;
}

std::string html_page(const Page& page) {
  std::string out;
  out.reserve(page.main.size() + page.footer.size() + 4096);
  out += "<!DOCTYPE html>\n<html lang=\"";
  append_html(out, page.language);
  out += "\">\n<head>\n<meta charset=\"utf-8\">\n"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
         "<meta name=\"generator\" content=\"pm\">\n<title>";
  append_html(out, page.title);
  out += "</title>\n";
  if (page.stylesheet.empty()) {
    out += "<style>\n";
    out += page_css();
    out += "</style>\n";
  } else {
    out += "<link rel=\"stylesheet\" href=\"";
    append_html(out, page.stylesheet);
    out += "\">\n";
  }
  out += "</head>\n<body>\n";
  if (!page.nav.empty()) {
    out += "<header class=\"site\">\n<nav>\n<ul>\n";
    for (const auto& link : page.nav) {
      out += "<li><a href=\"";
      append_html(out, link.href);
      out += link.current ? "\" aria-current=\"page\">" : "\">";
      append_html(out, link.label);
      out += "</a></li>\n";
    }
    out += "</ul>\n</nav>\n</header>\n";
  }
  out += "<main>\n";
  out += page.main;
  out += "</main>\n";
  if (!page.footer.empty()) {
    out += "<footer class=\"site\">\n";
    out += page.footer;
    out += "</footer>\n";
  }
  out += "</body>\n</html>\n";
  return out;
}

}  // namespace pm
