#include "pm/web/figures.hpp"

#include <algorithm>

#include "pm/util/html.hpp"
#include "pm/util/words.hpp"

namespace pm {

std::string figure_html(const std::string& svg, const std::string& caption) {
  std::string out = "<figure>\n";
  out += svg;
  if (!svg.empty() && svg.back() != '\n') {
    out += '\n';
  }
  out += "<figcaption>";
  append_html(out, caption);
  out += "</figcaption>\n</figure>\n";
  return out;
}

std::string nps_figure_html(const std::vector<NpsPoint>& points, const std::string& language) {
  return figure_html(nps_chart(points, language), word("chart.nps.title", language));
}

std::string project_figures(Ledger& ledger, const ProjectConfig& config, Instant as_of,
                            bool nps) {
  const std::string& lang = config.language;
  const Zone zone = find_zone(config.timezone);
  std::string out;
  out += figure_html(deadline_chart(deadline_history(ledger, config.deadline, as_of, zone), lang),
                     word("chart.deadline.title", lang));
  out += figure_html(done_chart(done_per_week(ledger, local_date(as_of, zone), zone), lang),
                     word("chart.done.title", lang));
  if (nps) {
    std::vector<NpsPoint> points = nps_month_points(ledger);
    if (std::any_of(points.begin(), points.end(),
                    [](const NpsPoint& p) { return p.answers > 0; })) {
      out += nps_figure_html(points, lang);
    }
  }
  return out;
}

}  // namespace pm
