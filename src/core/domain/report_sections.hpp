#pragma once
// Inside the core: the report's sections as one walk, shared by its text, Markdown and HTML
// writers (report_format.cpp, report_html.cpp), so every format says the same things.
#include <string>
#include <vector>

#include "pm/domain/report.hpp"

namespace pm::detail {

/// What a writer of the report's sections is told, section by section.
class SectionWriter {
 public:
  virtual ~SectionWriter() = default;
  virtual void heading(const std::string& text) = 0;
  /// A section without items says so.
  virtual void none(const std::string& text) = 0;
  /// A section that is a sentence, not a list.
  virtual void paragraph(const std::string& text) = 0;
  virtual void item(const std::string& line, const std::vector<std::string>& details) = 0;
};

/// Every section of `r` in `lang`, in order, to `w`.
void walk_sections(const Report& r, const std::string& lang, SectionWriter& w);
/// "Website relaunch: week 48, 23–29 November 2026".
std::string title(const Report& r, const std::string& lang);
/// The off-plan warning with the next steps, or "" when nothing is overdue.
std::string off_plan_text(const Report& r, const std::string& lang, const std::string& steps);
/// The footer: the ledger's head, so a copy of the report anchors the chain (pm verify --head).
std::string ledger_line(const Report& r, const std::string& lang);

}  // namespace pm::detail
