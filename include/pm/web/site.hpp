#pragma once
// pm publish: the client's status site, static and self-contained. What it shows comes from the
// client's view of the ledger (client_view.hpp): nothing marked internal, no NPS comment.
#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include "pm/domain/project.hpp"
#include "pm/domain/report.hpp"
#include "pm/storage/integrity.hpp"
#include "pm/storage/ledger.hpp"
#include "pm/time/calendar.hpp"
#include "pm/time/time.hpp"

namespace pm {

struct SiteInput {
  const ProjectConfig& config;
  const Calendar& calendar;  ///< confirmation windows and reply times are counted on it
  Instant now{};
  unsigned file_mode = 0644;  ///< for the pages: a web server reads them
};

struct PublishResult {
  std::vector<std::string> written;  ///< pages new or changed, relative to the directory
  std::size_t unchanged = 0;         ///< pages that already held the same bytes: not touched
  std::size_t hidden = 0;            ///< entries left out as internal
  ChainHead head;                    ///< the ledger's head the site shows
};

/// A report as a page's <main>: the report (domain/report.hpp), then the deadline and the
/// work-done charts as of the end of its period (or `now`, when that is earlier). `ledger` is
/// the one the report was built from: the client's view.
std::string report_main(Ledger& ledger, const ProjectConfig& config, const Report& report,
                        Instant now, const std::string& next_steps = "");

/// Writes the site into `dir` (created if missing; its parent must exist): index.html (the
/// project's state), agreements.html, changes.html, risks.html, reports/YYYY-Www.html for
/// every week from the first entry's to this one, reports/index.html and style.css. A page
/// whose bytes would not change is not written (its mtime stays); every write is atomic.
/// Files of the directory pm did not write are left alone.
PublishResult publish_site(Ledger& ledger, const SiteInput& input,
                           const std::filesystem::path& dir);

}  // namespace pm
