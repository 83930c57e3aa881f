#pragma once
// The charts a page shows (domain/charts.hpp), each as a <figure> whose caption names it; the
// SVG's own title and description say the rest to a screen reader.
#include <string>

#include "pm/domain/charts.hpp"
#include "pm/domain/project.hpp"
#include "pm/storage/ledger.hpp"
#include "pm/time/time.hpp"

namespace pm {

/// `svg` in a <figure> captioned `caption` (plain text).
std::string figure_html(const std::string& svg, const std::string& caption);

/// The project's charts as of `as_of`, read from `ledger` (the client's view): the deadline
/// through approved changes and the work done in the k_chart_weeks weeks ending with
/// `as_of`'s; with `nps`, NPS by month too when there are answers.
std::string project_figures(Ledger& ledger, const ProjectConfig& config, Instant as_of, bool nps);

/// NPS by month as a figure, from points `pm nps --by month` computes.
std::string nps_figure_html(const std::vector<NpsPoint>& points, const std::string& language);

}  // namespace pm
