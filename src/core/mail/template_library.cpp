// The template search path: the project's templates, PM_TEMPLATE_PATH, the user config's
// templates_path, the built-ins (docs/templates.md, "Where templates are found").
#include <algorithm>
#include <cstdlib>
#include <map>
#include <set>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "pm/domain/project.hpp"
#include "pm/domain/user_config.hpp"
#include "pm/mail/builtin_templates.hpp"
#include "pm/mail/template.hpp"
#include "pm/util/check.hpp"
#include "pm/util/error.hpp"
#include "pm/util/text.hpp"

namespace fs = std::filesystem;

namespace pm {

namespace {

/// Directories PM_TEMPLATE_PATH may name: enough for any agency, few enough to list.
constexpr std::size_t k_max_path_entries = 32;
/// Templates read from one directory by `pm templates`: a checkout of templates, not a disk.
constexpr std::size_t k_max_listed_files = 1000;

bool is_dir(const fs::path& dir) {
  std::error_code ec;
  return !dir.empty() && fs::is_directory(dir, ec);
}

bool is_file(const fs::path& file) {
  std::error_code ec;
  return fs::is_regular_file(file, ec);
}

/// The template's name and language as a directory of the path holds them: DIR/<lang>/*.yaml
/// are that language's, DIR/*.yaml the language their `language:` says.
struct Candidate {
  std::string name;
  std::string language;
  TemplateInfo info;
};

std::vector<Candidate> candidates_in(const TemplateDir& dir, const PartialFinder& partials) {
  std::vector<Candidate> out;
  std::vector<std::pair<fs::path, std::string>> folders = {{dir.path, ""}};
  for (const auto& language : k_languages) {
    folders.emplace_back(dir.path / language, language);
  }
  std::size_t read = 0;
  for (const auto& [folder, folder_language] : folders) {
    if (!is_dir(folder)) {
      continue;
    }
    std::error_code ec;
    std::vector<fs::path> files;
    for (auto it = fs::directory_iterator(folder, ec); !ec && it != fs::directory_iterator();
         it.increment(ec)) {
      std::error_code fec;
      if (it->path().extension() == ".yaml" && it->is_regular_file(fec)) {
        files.push_back(it->path());
      }
    }
    std::sort(files.begin(), files.end());
    for (const auto& file : files) {
      if (++read > k_max_listed_files) {
        return out;
      }
      const std::string name = file.stem().string();
      std::string description = "(has problems: run pm templates check)";
      std::string language = folder_language;
      try {
        const std::string yaml = read_file(file);
        if (check_template(yaml, name, partials).empty()) {
          LetterTemplate t = parse_template(yaml, file.string(), partials);
          description = t.description;
          language = language.empty() ? t.language : language;
        } else if (language.empty()) {
          // Listed under the language it says, so `pm templates check` can be pointed at it.
          YAML::Node root = YAML::Load(yaml);
          if (root.IsMap() && root["language"] && root["language"].IsScalar()) {
            language = root["language"].Scalar();
          }
        }
      } catch (const std::exception&) {
        description = "(cannot be read: run pm templates check)";
      }
      out.push_back({name, language.empty() ? "?" : language,
                     TemplateInfo{name, language.empty() ? "?" : language, description,
                                  file.string(), dir.source, {}}});
    }
  }
  return out;
}

}  // namespace

std::vector<fs::path> split_template_path(const std::string& value) {
  check_text("PM_TEMPLATE_PATH", value);
  if (value.find('\n') != std::string::npos || value.find('\t') != std::string::npos) {
    throw Error("PM_TEMPLATE_PATH holds a line break or a tab; give directories separated by ':'");
  }
  std::vector<fs::path> out;
  std::size_t start = 0;
  while (start <= value.size()) {
    std::size_t end = value.find(':', start);
    std::string entry = value.substr(start, end == std::string::npos ? std::string::npos
                                                                     : end - start);
    if (!entry.empty()) {  // PATH reads an empty entry as ".", which nobody means here
      out.emplace_back(entry);
    }
    if (end == std::string::npos) {
      break;
    }
    start = end + 1;
  }
  if (out.size() > k_max_path_entries) {
    throw Error(fmt::format("PM_TEMPLATE_PATH names {} directories; at most {} are searched",
                            out.size(), k_max_path_entries));
  }
  return out;
}

std::vector<TemplateDir> shared_template_dirs() {
  std::vector<TemplateDir> out;
  if (const char* value = std::getenv("PM_TEMPLATE_PATH"); value != nullptr) {
    for (auto& dir : split_template_path(value)) {
      out.push_back({std::move(dir), "PM_TEMPLATE_PATH"});
    }
  }
  UserConfig config = load_user_config(user_config_path());
  for (auto& dir : config.templates_path) {
    out.push_back({std::move(dir), config.file.string()});
  }
  return out;
}

TemplateLibrary::TemplateLibrary(fs::path project_templates)
    : TemplateLibrary(std::move(project_templates), {}) {}

TemplateLibrary::TemplateLibrary(fs::path project_templates, std::vector<TemplateDir> shared) {
  if (!project_templates.empty()) {
    m_dirs.push_back({std::move(project_templates), "project"});
  }
  for (auto& dir : shared) {
    m_dirs.push_back(std::move(dir));
  }
}

TemplateLibrary TemplateLibrary::for_project(const fs::path& project_templates) {
  return TemplateLibrary(project_templates, shared_template_dirs());
}

std::optional<PartialText> TemplateLibrary::find_partial(const std::string& name,
                                                         const std::string& language) const {
  const std::string file_name = name + ".mustache";
  for (const auto& dir : m_dirs) {
    for (const fs::path& file :
         {dir.path / language / "partials" / file_name, dir.path / "partials" / file_name}) {
      if (is_file(file)) {
        return PartialText{read_file_limited(file, k_text_limit, file.string()), file.string()};
      }
    }
  }
  return builtin_partial_finder()(name, language);
}

PartialFinder TemplateLibrary::partial_finder() const {
  return [this](const std::string& name, const std::string& language) {
    return find_partial(name, language);
  };
}

LetterTemplate TemplateLibrary::load(const std::string& name, const std::string& language) const {
  // A name is a file name in the template directories, never a path: "../x" would read a file
  // outside them.
  const bool word = !name.empty() && name.size() <= 64 &&
                    std::all_of(name.begin(), name.end(), [](char c) {
                      return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                             (c >= '0' && c <= '9') || c == '-' || c == '_';
                    });
  if (!word) {
    throw Error(fmt::format("'{}' is not a template name: names are words of letters, digits, "
                            "'-' and '_' (pm templates lists them)",
                            name));
  }
  const PartialFinder partials = partial_finder();
  for (const auto& dir : m_dirs) {
    for (const fs::path& file :
         {dir.path / language / (name + ".yaml"), dir.path / (name + ".yaml")}) {
      if (is_file(file)) {
        return parse_template(read_file(file), file.string(), partials);
      }
    }
  }
  for (const auto& b : builtin_templates()) {
    if (b.name == name && b.language == language) {
      return parse_template(b.yaml, "built-in " + b.path, partials);
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
  // In search order: the first of a name and language is the one used, the rest it shadows.
  std::map<std::pair<std::string, std::string>, TemplateInfo> found;
  const PartialFinder partials = partial_finder();
  auto add = [&](const std::string& name, const std::string& language, TemplateInfo info) {
    auto [it, fresh] = found.try_emplace({name, language}, info);
    if (!fresh) {
      it->second.shadows.push_back(info.origin);
    }
  };
  for (const auto& dir : m_dirs) {
    for (auto& c : candidates_in(dir, partials)) {
      add(c.name, c.language, std::move(c.info));
    }
  }
  for (const auto& b : builtin_templates()) {
    LetterTemplate t = parse_template(b.yaml, "built-in " + b.path);
    add(b.name, b.language, {b.name, b.language, t.description, "built-in", "built-in", {}});
  }
  std::vector<TemplateInfo> out;
  for (auto& [key, info] : found) {
    out.push_back(std::move(info));
  }
  return out;
}

std::vector<std::string> TemplateLibrary::missing_dirs() const {
  std::vector<std::string> out;
  for (const auto& dir : m_dirs) {
    if (dir.source == "project") {
      continue;  // a project without templates of its own is the usual case
    }
    std::error_code ec;
    const bool exists = fs::exists(dir.path, ec);
    if (!exists || !fs::is_directory(dir.path, ec)) {
      out.push_back(fmt::format("{} names {}, which {}; it is skipped",
                                dir.source == "PM_TEMPLATE_PATH"
                                    ? std::string("PM_TEMPLATE_PATH")
                                    : "templates_path in " + dir.source,
                                dir.path.string(),
                                exists ? "is not a directory" : "does not exist"));
    }
  }
  return out;
}

}  // namespace pm
