#pragma once
// Letter templates: YAML files (docs/templates.md), built in or overridden per project.
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace pm {

/// A variable a template declares.
struct TemplateVariable {
  std::string name;
  std::string description;
  std::string type = "text";  ///< text, date, list, map, number
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
  /// Every partial the subject and body include, directly or through other partials, by name:
  /// what mstch::render is given.
  std::map<std::string, std::string> partials;

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

/// A partial's text and where it was found.
struct PartialText {
  std::string text;
  std::string origin;  ///< the file, or "built-in templates/en/partials/NAME.mustache"
};
/// Finds the partial NAME for a letter in LANGUAGE; nullopt when there is none. Throws
/// pm::Error when a file is found but cannot be read.
using PartialFinder =
    std::function<std::optional<PartialText>(const std::string& name, const std::string& language)>;
/// The built-in partials only (templates/<lang>/partials/).
PartialFinder builtin_partial_finder();

/// Parses a template; throws pm::Error "ORIGIN:LINE: message" on the first problem. Partials
/// ({{> name}}) are looked up with `partials` and stored in the template.
LetterTemplate parse_template(const std::string& yaml, const std::string& origin,
                              const PartialFinder& partials = builtin_partial_finder());

/// Every problem in a template: YAML, missing keys, bad recipients, undeclared or unbalanced
/// Mustache tags (in the partials it includes too), unknown or recursive partials, bad
/// delimiter changes. Empty when the template is sound.
std::vector<TemplateProblem> check_template(const std::string& yaml,
                                            const std::string& expected_name = "",
                                            const PartialFinder& partials = builtin_partial_finder());

/// One directory on the template search path, and what put it there.
struct TemplateDir {
  std::filesystem::path path;
  std::string source;  ///< "project", "PM_TEMPLATE_PATH", or the user config file
};

/// The entries of a PM_TEMPLATE_PATH value: colon-separated like PATH, empty entries skipped.
/// Throws pm::Error when an entry is not a clean line of UTF-8, the value is longer than
/// k_text_limit or names more than 32 directories.
std::vector<std::filesystem::path> split_template_path(const std::string& value);

/// The shared directories searched after the project's: PM_TEMPLATE_PATH's, then the user
/// config's `templates_path` (pm/user_config.hpp). Throws pm::Error on a bad value or config.
std::vector<TemplateDir> shared_template_dirs();

/// What `pm templates` lists.
struct TemplateInfo {
  std::string name;
  std::string language;
  std::string description;
  std::string origin;  ///< "built-in" or the file
  std::string source;  ///< "project", "PM_TEMPLATE_PATH", the user config file, or "built-in"
  std::vector<std::string> shadows;  ///< origins of the templates of the same name it hides
};

/// Finds templates and partials along the search path: each directory in turn (the project's
/// .pm/templates first, then the shared ones), in it <lang>/NAME.yaml then NAME.yaml (partials:
/// <lang>/partials/NAME.mustache then partials/NAME.mustache), then the built-in ones.
/// Directories that do not exist are skipped.
class TemplateLibrary {
 public:
  /// The project's templates (may be empty: no project) and the built-ins only.
  explicit TemplateLibrary(std::filesystem::path project_templates);
  /// The project's templates, then `shared`, then the built-ins.
  TemplateLibrary(std::filesystem::path project_templates, std::vector<TemplateDir> shared);
  /// The full search path of a project: its templates, shared_template_dirs(), the built-ins.
  static TemplateLibrary for_project(const std::filesystem::path& project_templates);

  /// The template NAME in `language`, its partials resolved along the same path; throws
  /// pm::Error listing the known names.
  LetterTemplate load(const std::string& name, const std::string& language) const;
  /// Every template visible, one per name and language: the first on the path, with the
  /// ones it shadows.
  std::vector<TemplateInfo> list() const;
  /// The partial NAME for `language`, first on the path.
  std::optional<PartialText> find_partial(const std::string& name,
                                          const std::string& language) const;
  /// find_partial as a PartialFinder (for check_template).
  PartialFinder partial_finder() const;
  /// One line for each shared directory that does not exist or is not a directory, saying
  /// who named it: what `pm templates` warns about.
  std::vector<std::string> missing_dirs() const;

 private:
  std::vector<TemplateDir> m_dirs;
};

}  // namespace pm
