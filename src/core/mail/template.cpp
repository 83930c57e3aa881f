#include "pm/mail/template.hpp"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "pm/mail/builtin_templates.hpp"
#include "pm/util/check.hpp"
#include "pm/util/error.hpp"
#include "pm/mail/message.hpp"
#include "pm/domain/project.hpp"
#include "pm/util/text.hpp"

namespace fs = std::filesystem;

namespace pm {

const std::vector<std::string> k_variable_types = {"text",   "date", "list",
                                                   "map",    "number", "money"};
const std::vector<std::string> k_context_roots = {"project", "manager", "recipient", "people",
                                                  "today",   "sla",     "plural",
                                                  "quote",   "has"};

namespace {

const std::vector<std::string> k_required_keys = {"name", "description", "language",
                                                  "to",   "subject",     "body"};
const std::vector<std::string> k_known_keys = {"name", "description", "language", "to",
                                               "cc",   "bcc",         "subject",  "body",
                                               "variables"};
// Context lists whose items have fields of their own (checked loosely inside sections).
const std::vector<std::string> k_context_lists = {"people.client", "people.team"};

int line_of(const YAML::Node& node) { return node.Mark().line + 1; }

/// A recipient spec is a role, client.ROLE, team.ROLE, manager, or an address.
std::string recipient_problem(const std::string& spec) {
  if (spec.find('@') != std::string::npos) {
    try {
      parse_mailbox(spec);
      return "";
    } catch (const Error& e) {
      return e.what();
    }
  }
  std::string role = spec;
  if (role.rfind("client.", 0) == 0 || role.rfind("team.", 0) == 0) {
    role = role.substr(role.find('.') + 1);
  }
  return is_role_name(role) ? "" : fmt::format("recipient '{}' is neither a role nor an address", spec);
}

struct Tag {
  char kind;  // 0 for a variable, or one of # ^ / ! > & =
  std::string name;
  int line;
};

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n'; }

/// Splits Mustache text into tags; `first_line` is the line the text starts on. Follows
/// delimiter changes ({{=<% %>=}}) as mstch does; a malformed change (which mstch would
/// crash on) or a partial while the delimiters are changed (which mstch misreads) is a problem.
std::vector<Tag> scan_tags(const std::string& text, int first_line,
                           std::vector<TemplateProblem>& problems) {
  std::vector<Tag> tags;
  std::string open = "{{";
  std::string close = "}}";
  std::size_t pos = 0;
  std::size_t counted = 0;
  int line = first_line;
  while ((pos = text.find(open, pos)) != std::string::npos) {
    line += static_cast<int>(std::count(text.begin() + static_cast<std::ptrdiff_t>(counted),
                                        text.begin() + static_cast<std::ptrdiff_t>(pos), '\n'));
    counted = pos;
    const bool standard = open == "{{" && close == "}}";
    const bool triple = standard && text.compare(pos, 3, "{{{") == 0;
    const std::string closing = triple ? "}}}" : close;
    const std::size_t start = pos + (triple ? 3 : open.size());
    const std::size_t end = text.find(closing, start);
    if (end == std::string::npos) {
      problems.push_back({line, fmt::format("a Mustache tag is opened with '{}' but never closed",
                                            triple ? "{{{" : open)});
      break;
    }
    std::string inner = text.substr(start, end - start);
    pos = end + closing.size();
    Tag tag{0, "", line};
    auto first = inner.find_first_not_of(' ');
    if (first != std::string::npos &&
        std::string("#^/!>&={").find(inner[first]) != std::string::npos) {
      const char sigil = inner[first];
      tag.kind = sigil == '{' ? '&' : sigil;
      inner = inner.substr(first + 1);
      if (sigil == '{' && !inner.empty() && inner.back() == '}') {
        inner.pop_back();  // <%{name}%>: the triple form under other delimiters
      }
    }
    if (tag.kind == '!') {
      if (!inner.empty() && inner.find_first_not_of(' ') == std::string::npos) {
        // mstch cannot read a comment of spaces ({{! }}): it would throw.
        problems.push_back({line, "a Mustache comment holds only spaces; write {{!}} or a "
                                  "word after the '!'"});
        continue;
      }
      tags.push_back(tag);
      continue;
    }
    if (tag.kind == '=') {
      // {{=<% %>=}}: two delimiters, no spaces or '=' in them, the tag ending in '='.
      std::vector<std::string> parts;
      bool closed = !inner.empty() && inner.back() == '=';
      if (closed) {
        inner.pop_back();
        for (std::size_t i = 0; i < inner.size();) {
          if (is_space(inner[i])) {
            ++i;
            continue;
          }
          std::size_t j = i;
          while (j < inner.size() && !is_space(inner[j])) {
            ++j;
          }
          parts.push_back(inner.substr(i, j - i));
          i = j;
        }
      }
      if (!closed || parts.size() != 2 || parts[0].find('=') != std::string::npos ||
          parts[1].find('=') != std::string::npos) {
        problems.push_back({line, fmt::format("a delimiter change is written {}=<% %>={}: two "
                                              "delimiters, a space between them, no '=' or "
                                              "spaces inside them",
                                              open, close)});
        break;  // what follows cannot be read
      }
      open = parts[0];
      close = parts[1];
      tag.name = open + " " + close;
      tags.push_back(tag);
      continue;
    }
    auto b = inner.find_first_not_of(" \t");
    auto e = inner.find_last_not_of(" \t");
    tag.name = b == std::string::npos ? "" : inner.substr(b, e - b + 1);
    if (tag.kind == '>' && !standard) {
      problems.push_back({line, fmt::format("the partial '{}' is included while the delimiters "
                                            "are {} {}; switch back first with {}={{{{ }}}}={}",
                                            tag.name, open, close, open, close)});
      continue;
    }
    tags.push_back(tag);
  }
  return tags;
}

/// A partial's name: a word, so it never names a path.
bool partial_name_ok(const std::string& name) {
  return !name.empty() && name.size() <= 64 &&
         std::all_of(name.begin(), name.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '-' || c == '_';
         });
}

/// Partials a template may include, all told, and how deep they may nest: enough for any
/// letter, and a bound on the work a template full of includes can ask for.
constexpr int k_max_partial_includes = 64;
constexpr std::size_t k_max_partial_depth = 8;

/// Checks the tags of a template and, through `{{> name}}`, of the partials it includes, in
/// the scope they are included in.
class TagChecker {
 public:
  TagChecker(const std::set<std::string>& declared, const std::set<std::string>& objects,
             const PartialFinder& finder, std::string language,
             std::map<std::string, std::string>& partials, std::vector<TemplateProblem>& problems)
      : m_declared(declared),
        m_objects(objects),
        m_finder(finder),
        m_language(std::move(language)),
        m_partials(partials),
        m_problems(problems) {}

  /// The template's own text (subject or body).
  void check(const std::vector<Tag>& tags) {
    std::vector<std::string> open;
    walk(tags, open, 0, "");
    for (const auto& name : open) {
      m_problems.push_back({0, fmt::format("section '{{{{#{}}}}}' is never closed", name)});
    }
  }

 private:
  bool known(const std::string& name, const std::vector<std::string>& open) const {
    if (name == ".") {
      return !open.empty();
    }
    std::string root = name.substr(0, name.find('.'));
    if (m_declared.count(root) != 0 || contains(k_context_roots, root)) {
      return true;
    }
    // Inside a section over a list or an object, its own fields are in scope.
    return std::any_of(open.begin(), open.end(), [&](const std::string& s) {
      return m_objects.count(s) != 0 || m_objects.count(s.substr(0, s.find('.'))) != 0;
    });
  }

  /// `include_line` is the template's line of the outermost {{> name}} (0: the template's own
  /// tags) and `where` says which partial the tags are in, for messages.
  void walk(const std::vector<Tag>& tags, std::vector<std::string>& open, int include_line,
            const std::string& where) {
    const std::size_t base = open.size();
    auto problem = [&](const Tag& tag, const std::string& message) {
      m_problems.push_back({include_line > 0 ? include_line : tag.line,
                            where.empty() ? message
                                          : fmt::format("in {}:{}: {}", where, tag.line, message)});
    };
    for (const auto& tag : tags) {
      if (tag.name.empty() && tag.kind != '!' && tag.kind != '=') {
        // mstch cannot read a tag of spaces ({{ }}, {{# }}, {{{ }}}): it would throw.
        problem(tag, "a Mustache tag names nothing; write a variable's name between its braces "
                     "or remove it");
        continue;
      }
      switch (tag.kind) {
        case '!':
        case '=':
          break;
        case '>':
          include(tag, open, include_line > 0 ? include_line : tag.line, problem);
          break;
        case '/':
          if (open.size() <= base || open.back() != tag.name) {
            problem(tag, fmt::format("section end '{{{{/{}}}}}' does not match {}", tag.name,
                                     open.size() <= base ? std::string("any open section")
                                                         : "'{{#" + open.back() + "}}'"));
          } else {
            open.pop_back();
          }
          break;
        default:
          if (!known(tag.name, open)) {
            problem(tag, fmt::format("'{}' is not a declared variable; declare it under "
                                     "'variables:' or use one of the context names in "
                                     "docs/templates.md",
                                     tag.name));
          }
          if (tag.kind == '#' || tag.kind == '^') {
            open.push_back(tag.name);
          }
      }
    }
    if (!where.empty()) {
      // A partial closes what it opens; the template's own are reported by check().
      while (open.size() > base) {
        m_problems.push_back({include_line, fmt::format("in {}: section '{{{{#{}}}}}' is never "
                                                        "closed",
                                                        where, open.back())});
        open.pop_back();
      }
    }
  }

  template <typename Problem>
  void include(const Tag& tag, std::vector<std::string>& open, int include_line,
               const Problem& problem) {
    if (!partial_name_ok(tag.name)) {
      problem(tag, fmt::format("'{{{{> {}}}}}': a partial's name is a word of letters, digits, "
                               "'-' and '_'",
                               tag.name));
      return;
    }
    if (std::find(m_chain.begin(), m_chain.end(), tag.name) != m_chain.end()) {
      std::string chain;
      for (const auto& name : m_chain) {
        chain += name + " → ";
      }
      problem(tag, fmt::format("the partial '{}' includes itself ({}{}), which would never end; "
                               "remove the {{{{> {}}}}} inside it",
                               tag.name, chain, tag.name, tag.name));
      return;
    }
    if (m_chain.size() >= k_max_partial_depth || ++m_includes > k_max_partial_includes) {
      problem(tag, fmt::format("partials are included more than {} times or nested more than {} "
                               "deep; flatten them",
                               k_max_partial_includes, k_max_partial_depth));
      return;
    }
    std::optional<PartialText> found;
    if (contains(k_languages, m_language)) {
      try {
        found = m_finder ? m_finder(tag.name, m_language) : std::nullopt;
      } catch (const Error& e) {
        problem(tag, e.what());
        return;
      }
    }
    if (!found) {
      problem(tag, fmt::format("no partial '{}'; put it in partials/{}.mustache (or {}/partials/) "
                               "next to the templates, in .pm/templates/ or a directory of "
                               "PM_TEMPLATE_PATH",
                               tag.name, tag.name, m_language.empty() ? "LANG" : m_language));
      return;
    }
    std::size_t bad_line = 0;
    if (std::string bad = file_text_problem(found->text, bad_line); !bad.empty()) {
      problem(tag, fmt::format("the partial {}:{}: {}", found->origin, bad_line, bad));
      return;
    }
    m_partials[tag.name] = found->text;
    std::vector<TemplateProblem> scanned;
    std::vector<Tag> tags = scan_tags(found->text, 1, scanned);
    const std::string where = fmt::format("the partial {}", found->origin);
    for (const auto& p : scanned) {
      m_problems.push_back({include_line, fmt::format("in {}:{}: {}", where, p.line, p.message)});
    }
    m_chain.push_back(tag.name);
    walk(tags, open, include_line, where);
    m_chain.pop_back();
  }

  const std::set<std::string>& m_declared;
  const std::set<std::string>& m_objects;
  const PartialFinder& m_finder;
  std::string m_language;
  std::map<std::string, std::string>& m_partials;
  std::vector<TemplateProblem>& m_problems;
  std::vector<std::string> m_chain;  // the partials being checked, outermost first
  int m_includes = 0;
};

std::vector<std::string> recipients(const YAML::Node& node) {
  std::vector<std::string> out;
  if (!node || node.IsNull()) {
    return out;
  }
  if (node.IsScalar()) {
    out.push_back(node.as<std::string>());
    return out;
  }
  for (const auto& item : node) {
    out.push_back(item.as<std::string>());
  }
  return out;
}

/// The template and every problem found while reading it.
std::pair<LetterTemplate, std::vector<TemplateProblem>> read_template(
    const std::string& yaml, const std::string& expected_name, const PartialFinder& finder) {
  LetterTemplate t;
  t.source = yaml;
  std::vector<TemplateProblem> problems;
  std::size_t bad_line = 0;
  if (std::string problem = file_text_problem(yaml, bad_line); !problem.empty()) {
    problems.push_back({static_cast<int>(bad_line), problem});
    return {t, problems};
  }
  YAML::Node root;
  try {
    root = YAML::Load(yaml);
  } catch (const YAML::Exception& e) {
    problems.push_back({e.mark.line + 1, "malformed YAML: " + e.msg});
    return {t, problems};
  }
  if (!root.IsMap()) {
    problems.push_back({1, "a template is a YAML map with name, description, language, to, "
                           "subject and body"});
    return {t, problems};
  }
  for (const auto& key : k_required_keys) {
    if (!root[key] || root[key].IsNull()) {
      problems.push_back({0, fmt::format("the key '{}' is missing", key)});
    }
  }
  for (const auto& item : root) {
    if (!item.first.IsScalar()) {  // "? [a]": as<std::string> would throw past the caller
      problems.push_back({line_of(item.first), "a key must be a word, such as 'subject'"});
      continue;
    }
    auto key = item.first.as<std::string>();
    if (!contains(k_known_keys, key)) {
      problems.push_back({line_of(item.first), fmt::format("unknown key '{}'", key)});
    }
  }
  try {
    auto text = [&](const char* key) {
      YAML::Node n = root[key];
      if (n && !n.IsNull() && !n.IsScalar()) {
        problems.push_back({line_of(n), fmt::format("'{}' must be text", key)});
        return std::string();
      }
      return n && !n.IsNull() ? n.as<std::string>() : std::string();
    };
    t.name = text("name");
    t.description = text("description");
    t.language = text("language");
    t.subject = text("subject");
    t.body = text("body");
    t.to = recipients(root["to"]);
    t.cc = recipients(root["cc"]);
    t.bcc = recipients(root["bcc"]);
    // Present but blank ("name: |" is an empty block): as good as missing.
    for (const auto& [key, value] : {std::pair<const char*, const std::string*>{"name", &t.name},
                                     {"language", &t.language},
                                     {"subject", &t.subject},
                                     {"body", &t.body}}) {
      if (root[key] && !root[key].IsNull() && trimmed(*value).empty()) {
        problems.push_back({line_of(root[key]), fmt::format("the key '{}' is empty", key)});
      }
    }
    if (!expected_name.empty() && !t.name.empty() && t.name != expected_name) {
      problems.push_back({line_of(root["name"]),
                          fmt::format("name '{}' differs from the file name '{}'", t.name,
                                      expected_name)});
    }
    if (!t.language.empty() && !contains(k_languages, t.language)) {
      problems.push_back({line_of(root["language"]),
                          fmt::format("language '{}' is not supported; use en or ru", t.language)});
    }
    if (root["to"] && t.to.empty()) {
      problems.push_back({line_of(root["to"]), "'to' needs at least one recipient"});
    }
    for (const char* key : {"to", "cc", "bcc"}) {
      for (const auto& spec : recipients(root[key])) {
        if (auto problem = recipient_problem(spec); !problem.empty()) {
          problems.push_back({line_of(root[key]), problem});
        }
      }
    }
    if (t.subject.find('\n') != std::string::npos) {
      problems.push_back({line_of(root["subject"]), "the subject must be one line"});
    }
    std::set<std::string> declared;
    std::set<std::string> objects(k_context_lists.begin(), k_context_lists.end());
    if (YAML::Node vars = root["variables"]; vars && !vars.IsNull()) {
      if (!vars.IsMap()) {
        problems.push_back({line_of(vars), "'variables' must be a map of name: {description: ...}"});
      } else {
        for (const auto& item : vars) {
          if (!item.first.IsScalar()) {
            problems.push_back({line_of(item.first), "a variable's name must be a word"});
            continue;
          }
          TemplateVariable v;
          v.name = item.first.as<std::string>();
          const YAML::Node& spec = item.second;
          int line = line_of(item.first);
          if (!spec.IsMap()) {
            problems.push_back({line, fmt::format("variable '{}' needs a map with a description",
                                                  v.name)});
            continue;
          }
          v.description = spec["description"] ? spec["description"].as<std::string>() : "";
          v.type = spec["type"] ? spec["type"].as<std::string>() : "text";
          v.required = spec["required"] && spec["required"].as<bool>();
          v.from = spec["from"] ? spec["from"].as<std::string>() : "";
          if (spec["default"] && !spec["default"].IsNull()) {
            v.default_value = spec["default"].as<std::string>();
          }
          if (v.description.empty()) {
            problems.push_back({line, fmt::format("variable '{}' has no description", v.name)});
          }
          if (!contains(k_variable_types, v.type)) {
            problems.push_back({line, fmt::format("variable '{}': type '{}' is not one of {}",
                                                  v.name, v.type, join(k_variable_types, ", "))});
          }
          if (v.required && v.default_value) {
            problems.push_back({line, fmt::format("variable '{}' is required and has a default; "
                                                  "keep one of the two",
                                                  v.name)});
          }
          if (contains(k_context_roots, v.name)) {
            problems.push_back({line, fmt::format("variable '{}' hides the context name of the "
                                                  "same name; rename it",
                                                  v.name)});
          }
          declared.insert(v.name);
          if (v.type == "map" && v.default_value) {
            problems.push_back({line, fmt::format("variable '{}' is a map and cannot have a "
                                                  "default; make it optional instead",
                                                  v.name)});
          }
          if (v.type == "list" || v.type == "map" || !v.from.empty()) {
            objects.insert(v.name);
          }
          t.variables.push_back(v);
        }
      }
    }
    TagChecker checker(declared, objects, finder, t.language, t.partials, problems);
    if (!t.subject.empty()) {
      checker.check(scan_tags(t.subject, line_of(root["subject"]), problems));
    }
    if (!t.body.empty()) {
      // A block scalar's text starts on the line after its indicator.
      int first = line_of(root["body"]) + (root["body"].Tag() == "!" ? 1 : 0);
      checker.check(scan_tags(t.body, first, problems));
    }
  } catch (const YAML::Exception& e) {
    problems.push_back({e.mark.line + 1, e.msg});
  }
  return {t, problems};
}

}  // namespace

const TemplateVariable* LetterTemplate::variable(const std::string& name) const {
  for (const auto& v : variables) {
    if (v.name == name) {
      return &v;
    }
  }
  return nullptr;
}

PartialFinder builtin_partial_finder() {
  return [](const std::string& name, const std::string& language) -> std::optional<PartialText> {
    for (const auto& b : builtin_partials()) {
      if (b.name == name && b.language == language) {
        return PartialText{b.yaml, "built-in " + b.path};
      }
    }
    return std::nullopt;
  };
}

std::vector<TemplateProblem> check_template(const std::string& yaml,
                                            const std::string& expected_name,
                                            const PartialFinder& partials) {
  return read_template(yaml, expected_name, partials).second;
}

LetterTemplate parse_template(const std::string& yaml, const std::string& origin,
                              const PartialFinder& partials) {
  auto [t, problems] = read_template(yaml, "", partials);
  if (!problems.empty()) {
    const auto& p = problems.front();
    throw Error(fmt::format("{}{}: {}; 'pm templates check {}' lists every problem", origin,
                            p.line > 0 ? fmt::format(":{}", p.line) : "", p.message, origin));
  }
  t.origin = origin;
  return t;
}

}  // namespace pm
