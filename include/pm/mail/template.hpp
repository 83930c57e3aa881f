#pragma once
// Letter templates: YAML files (docs/templates.md), built in or overridden per project.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace pm {

/// A variable a template declares.
struct TemplateVariable {
  std::string name;
  std::string description;
  std::string type = "text";  ///< text, date, list, number
  bool required = false;
  std::optional<std::string> default_value;
  std::string from;  ///< ledger kind the value comes from (agreement, change, report), or empty
};

struct LetterTemplate {
  std::string name;
  std::string description;
  std::string language;
  std::vector<std::string> to;
  std::vector<std::string> cc;
  std::vector<std::string> bcc;
  std::string subject;
  std::string body;
  std::vector<TemplateVariable> variables;
  std::string origin;  ///< "built-in" or the file it was read from
  std::string source;  ///< the YAML text itself

  const TemplateVariable* variable(const std::string& name) const;
};

/// One problem found in a template file.
struct TemplateProblem {
  int line = 0;  ///< 1-based; 0 when unknown
  std::string message;
};

/// Variable types and the roots of the context every letter sees (as data).
extern const std::vector<std::string> k_variable_types;
extern const std::vector<std::string> k_context_roots;

/// Parses a template; throws pm::Error "ORIGIN:LINE: message" on the first problem.
LetterTemplate parse_template(const std::string& yaml, const std::string& origin);

/// Every problem in a template: YAML, missing keys, bad recipients, undeclared or unbalanced
/// Mustache tags. Empty when the template is sound.
std::vector<TemplateProblem> check_template(const std::string& yaml,
                                            const std::string& expected_name = "");

/// What `pm templates` lists.
struct TemplateInfo {
  std::string name;
  std::string language;
  std::string description;
  std::string origin;
};

/// Finds templates: the project's .pm/templates/<lang>/NAME.yaml and .pm/templates/NAME.yaml
/// first, then the built-in ones.
class TemplateLibrary {
 public:
  /// `project_templates` may be empty (no project).
  explicit TemplateLibrary(std::filesystem::path project_templates);

  /// The template NAME in `language`; throws pm::Error listing the known names.
  LetterTemplate load(const std::string& name, const std::string& language) const;
  /// Every template visible, project overrides replacing built-ins of the same name/language.
  std::vector<TemplateInfo> list() const;

 private:
  std::filesystem::path m_dir;
};

}  // namespace pm
