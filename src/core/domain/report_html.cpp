// The report as HTML: the same walk over its sections as text and Markdown, as an <article>
// that a page (pm report --format html, pm publish) puts in its <main>.
#include <fmt/format.h>

#include "pm/domain/report.hpp"
#include "pm/util/chunked_output.hpp"
#include "pm/util/html.hpp"
#include "pm/util/words.hpp"
#include "report_sections.hpp"

namespace pm {

namespace {

class Html : public detail::SectionWriter {
 public:
  explicit Html(ChunkedOutput& out) : m_out(out) {}
  ~Html() override = default;

  void heading(const std::string& text) override {
    end_section();
    m_out.text() += "<section>\n<h2>";
    append_html(m_out.text(), text);
    m_out.text() += "</h2>\n";
    m_in_section = true;
  }
  void none(const std::string& text) override { element("<p class=\"none\">", text, "</p>\n"); }
  void paragraph(const std::string& text) override { element("<p>", text, "</p>\n"); }
  void item(const std::string& text, const std::vector<std::string>& details) override {
    if (!m_in_list) {
      m_out.text() += "<ul>\n";
      m_in_list = true;
    }
    m_out.text() += "<li>";
    append_html(m_out.text(), text);
    if (!details.empty()) {
      m_out.text() += "\n<ul class=\"details\">\n";
      for (const auto& d : details) {
        m_out.text() += "<li>";
        append_html(m_out.text(), d);
        m_out.text() += "</li>\n";
      }
      m_out.text() += "</ul>\n";
    }
    m_out.text() += "</li>\n";
    m_out.may_cut();
  }
  void element(std::string_view open, std::string_view text, std::string_view close) {
    end_list();
    m_out.text() += open;
    append_html(m_out.text(), text);
    m_out.text() += close;
    m_out.may_cut();
  }
  void end_section() {
    end_list();
    if (m_in_section) {
      m_out.text() += "</section>\n";
      m_in_section = false;
    }
  }

 private:
  void end_list() {
    if (m_in_list) {
      m_out.text() += "</ul>\n";
      m_in_list = false;
    }
  }

  ChunkedOutput& m_out;
  bool m_in_section = false;
  bool m_in_list = false;
};

}  // namespace

void write_report_html(const Report& r, const std::string& lang, const std::string& next_steps,
                       const TextSink& sink) {
  ChunkedOutput out(sink);
  Html html(out);
  out.text() += "<article class=\"report\">\n";
  html.element("<h1>", detail::title(r, lang), "</h1>\n");
  if (r.off_plan) {
    html.element("<p class=\"off-plan\"><strong>", word("report.off_plan", lang),
                 "</strong></p>\n");
    if (!next_steps.empty()) {
      html.element("<p>", word("report.next_steps", lang), "</p>\n");
      out.text() += "<p class=\"steps\">";
      std::size_t start = 0;
      while (start < next_steps.size()) {
        std::size_t end = next_steps.find('\n', start);
        if (end == std::string::npos) {
          end = next_steps.size();
        }
        if (start > 0) {
          out.text() += "<br>\n";
        }
        append_html(out.text(), std::string_view(next_steps).substr(start, end - start));
        start = end + 1;
      }
      out.text() += "</p>\n";
    }
  }
  detail::walk_sections(r, lang, html);
  html.end_section();
  html.element("<footer><p class=\"ledger\">", detail::ledger_line(r, lang), "</p></footer>\n");
  out.text() += "</article>\n";
  out.finish();
}

std::string report_html(const Report& r, const std::string& lang, const std::string& next_steps) {
  std::string out;
  write_report_html(r, lang, next_steps, [&](std::string_view chunk) { out += chunk; });
  return out;
}

}  // namespace pm
