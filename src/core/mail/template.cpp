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

const std::vector<std::string> k_variable_types = {"text", "date", "list", "number"};
const std::vector<std::string> k_context_roots = {"project", "manager", "recipient", "people",
                                                  "today",   "sla",     "plural",    "has"};

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
  bool word = !role.empty() && std::all_of(role.begin(), role.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  });
  return word ? "" : fmt::format("recipient '{}' is neither a role nor an address", spec);
}

struct Tag {
  char kind;  // 0 for a variable, or one of # ^ / ! > & =
  std::string name;
  int line;
};

/// Splits Mustache text into tags; `first_line` is the line the text starts on.
std::vector<Tag> scan_tags(const std::string& text, int first_line,
                           std::vector<TemplateProblem>& problems) {
  std::vector<Tag> tags;
  std::size_t pos = 0;
  while ((pos = text.find("{{", pos)) != std::string::npos) {
    int line = first_line + static_cast<int>(std::count(text.begin(), text.begin() + pos, '\n'));
    bool triple = text.compare(pos, 3, "{{{") == 0;
    std::string close = triple ? "}}}" : "}}";
    std::size_t end = text.find(close, pos + (triple ? 3 : 2));
    if (end == std::string::npos) {
      problems.push_back({line, "a Mustache tag is opened with '{{' but never closed"});
      break;
    }
    std::string inner = text.substr(pos + (triple ? 3 : 2), end - pos - (triple ? 3 : 2));
    pos = end + close.size();
    Tag tag{0, "", line};
    auto first = inner.find_first_not_of(' ');
    if (first != std::string::npos && std::string("#^/!>&=").find(inner[first]) != std::string::npos) {
      tag.kind = inner[first];
      inner = inner.substr(first + 1);
    }
    auto b = inner.find_first_not_of(" \t");
    auto e = inner.find_last_not_of(" \t");
    tag.name = b == std::string::npos ? "" : inner.substr(b, e - b + 1);
    tags.push_back(tag);
  }
  return tags;
}

void check_tags(const std::vector<Tag>& tags, const std::set<std::string>& declared,
                const std::set<std::string>& objects, std::vector<TemplateProblem>& problems) {
  std::vector<std::string> open;
  auto known = [&](const std::string& name) {
    if (name == ".") {
      return !open.empty();
    }
    std::string root = name.substr(0, name.find('.'));
    if (declared.count(root) != 0 || contains(k_context_roots, root)) {
      return true;
    }
    // Inside a section over a list or an object, its own fields are in scope.
    return std::any_of(open.begin(), open.end(), [&](const std::string& s) {
      return objects.count(s) != 0 || objects.count(s.substr(0, s.find('.'))) != 0;
    });
  };
  for (const auto& tag : tags) {
    switch (tag.kind) {
      case '!':
        break;
      case '>':
        problems.push_back({tag.line, fmt::format("partials ({{{{>{}}}}}) are not supported", tag.name)});
        break;
      case '=':
        problems.push_back({tag.line, "changing Mustache delimiters is not supported"});
        break;
      case '/':
        if (open.empty() || open.back() != tag.name) {
          problems.push_back({tag.line, fmt::format("section end '{{{{/{}}}}}' does not match {}",
                                                    tag.name,
                                                    open.empty() ? std::string("any open section")
                                                                 : "'{{#" + open.back() + "}}'")});
        } else {
          open.pop_back();
        }
        break;
      default:
        if (!known(tag.name)) {
          problems.push_back({tag.line, fmt::format("'{}' is not a declared variable; declare it "
                                                    "under 'variables:' or use one of the context "
                                                    "names in docs/templates.md",
                                                    tag.name)});
        }
        if (tag.kind == '#' || tag.kind == '^') {
          open.push_back(tag.name);
        }
    }
  }
  for (const auto& name : open) {
    problems.push_back({0, fmt::format("section '{{{{#{}}}}}' is never closed", name)});
  }
}

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
    const std::string& yaml, const std::string& expected_name) {
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
            problems.push_back({line, fmt::format("variable '{}': type '{}' is not one of text, "
                                                  "date, list, number",
                                                  v.name, v.type)});
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
          if (v.type == "list" || !v.from.empty()) {
            objects.insert(v.name);
          }
          t.variables.push_back(v);
        }
      }
    }
    if (!t.subject.empty()) {
      check_tags(scan_tags(t.subject, line_of(root["subject"]), problems), declared, objects,
                 problems);
    }
    if (!t.body.empty()) {
      // A block scalar's text starts on the line after its indicator.
      int first = line_of(root["body"]) + (root["body"].Tag() == "!" ? 1 : 0);
      check_tags(scan_tags(t.body, first, problems), declared, objects, problems);
    }
  } catch (const YAML::Exception& e) {
    problems.push_back({e.mark.line + 1, e.msg});
  }
  return {t, problems};
}

std::string file_stem_name(const fs::path& file) { return file.stem().string(); }

}  // namespace

const TemplateVariable* LetterTemplate::variable(const std::string& name) const {
  for (const auto& v : variables) {
    if (v.name == name) {
      return &v;
    }
  }
  return nullptr;
}

std::vector<TemplateProblem> check_template(const std::string& yaml,
                                            const std::string& expected_name) {
  return read_template(yaml, expected_name).second;
}

LetterTemplate parse_template(const std::string& yaml, const std::string& origin) {
  auto [t, problems] = read_template(yaml, "");
  if (!problems.empty()) {
    const auto& p = problems.front();
    throw Error(fmt::format("{}{}: {}; 'pm templates check {}' lists every problem", origin,
                            p.line > 0 ? fmt::format(":{}", p.line) : "", p.message, origin));
  }
  t.origin = origin;
  return t;
}

TemplateLibrary::TemplateLibrary(fs::path project_templates) : m_dir(std::move(project_templates)) {}

LetterTemplate TemplateLibrary::load(const std::string& name, const std::string& language) const {
  if (!m_dir.empty()) {
    for (const fs::path& file : {m_dir / language / (name + ".yaml"), m_dir / (name + ".yaml")}) {
      if (fs::is_regular_file(file)) {
        return parse_template(read_file(file), file.string());
      }
    }
  }
  for (const auto& b : builtin_templates()) {
    if (b.name == name && b.language == language) {
      return parse_template(b.yaml, "built-in " + b.path);
    }
  }
  std::set<std::string> names;
  for (const auto& info : list()) {
    names.insert(info.name);
  }
  std::string known;
  for (const auto& n : names) {
    known += (known.empty() ? "" : ", ") + n;
  }
  throw Error(fmt::format("no template '{}' in language {}; known templates: {}", name, language,
                          known));
}

std::vector<TemplateInfo> TemplateLibrary::list() const {
  std::map<std::pair<std::string, std::string>, TemplateInfo> found;
  for (const auto& b : builtin_templates()) {
    auto [t, problems] = read_template(b.yaml, b.name);
    found[{b.name, b.language}] = {b.name, b.language, t.description, "built-in"};
  }
  if (!m_dir.empty() && fs::is_directory(m_dir)) {
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(m_dir, ec);
         it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (ec || !it->is_regular_file() || it->path().extension() != ".yaml") {
        continue;
      }
      auto [t, problems] = read_template(read_file(it->path()), file_stem_name(it->path()));
      std::string language = t.language.empty() ? "?" : t.language;
      found[{file_stem_name(it->path()), language}] = {
          file_stem_name(it->path()), language,
          problems.empty() ? t.description : "(has problems: run pm templates check)",
          it->path().string()};
    }
  }
  std::vector<TemplateInfo> out;
  for (auto& [key, info] : found) {
    out.push_back(info);
  }
  return out;
}

}  // namespace pm
