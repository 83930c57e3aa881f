// pm templates [show NAME | check FILE...]: the letters pm can write.
#include <cstdio>
#include <filesystem>

#include <fmt/format.h>

#include "cli/cli.hpp"
#include "pm/util/check.hpp"
#include "pm/util/error.hpp"
#include "pm/mail/template.hpp"

namespace pm::cli {

namespace {

struct TemplatesOptions {
  std::string name;
  std::string language;
  std::vector<std::string> files;
  bool json = false;
};

/// The project's template directory and language, when there is a project.
std::pair<std::filesystem::path, std::string> project_templates(const Globals& globals) {
  try {
    Session session = open_session(globals);
    return {session.paths.templates(), session.config.language};
  } catch (const Error& e) {
    if (e.code() != Exit::no_project) {
      throw;
    }
    return {{}, "en"};
  }
}

/// The project's search path; says on stderr which shared directories are not there (render
/// skips them silently: a checkout not yet cloned should not stop a letter).
TemplateLibrary library_for(const std::filesystem::path& dir) {
  TemplateLibrary library = TemplateLibrary::for_project(dir);
  for (const auto& line : library.missing_dirs()) {
    std::fprintf(stderr, "pm: warning: %s\n", printable_line(line).c_str());
  }
  return library;
}

void run_list(const Globals& globals, const TemplatesOptions& options) {
  auto [dir, language] = project_templates(globals);
  auto infos = library_for(dir).list();
  if (options.json) {
    Json out;
    out["version"] = 1;
    out["templates"] = Json::array();
    for (const auto& t : infos) {
      out["templates"].push_back({{"name", t.name},
                                  {"language", t.language},
                                  {"description", t.description},
                                  {"origin", t.origin},
                                  {"source", t.source},
                                  {"shadows", t.shadows}});
    }
    emit(dump_json(out, 2) + "\n", "");
    return;
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& t : infos) {
    if (options.language.empty() || t.language == options.language) {
      std::string shadows;
      for (const auto& origin : t.shadows) {
        shadows += (shadows.empty() ? "" : ", ") + origin;
      }
      rows.push_back({t.name, t.language, t.description,
                      t.origin == "built-in" ? dim(t.origin) : t.origin, shadows});
    }
  }
  print_table({"NAME", "LANG", "DESCRIPTION", "FROM", "SHADOWS"}, rows);
}

void run_show(const Globals& globals, const TemplatesOptions& options) {
  auto [dir, language] = project_templates(globals);
  LetterTemplate t = library_for(dir).load(options.name,
                                           options.language.empty() ? language : options.language);
  if (stdout_is_terminal()) {
    std::fprintf(stderr, "# %s (%s)\n", t.origin.c_str(), t.language.c_str());
  }
  emit(t.source, "");
}

void run_check(const Globals& globals, const TemplatesOptions& options) {
  // Partials are looked up as a letter of this project would look them up; a file can be
  // checked even where the project itself cannot be read.
  std::filesystem::path dir;
  try {
    dir = project_templates(globals).first;
  } catch (const Error&) {
  }
  TemplateLibrary library = library_for(dir);
  int failed = 0;
  for (const auto& file : options.files) {
    auto problems = check_template(read_file(file), std::filesystem::path(file).stem().string(),
                                   library.partial_finder());
    for (const auto& p : problems) {
      std::fprintf(stderr, "%s:%s %s\n", file.c_str(),
                   p.line > 0 ? fmt::format("{}:", p.line).c_str() : "", p.message.c_str());
    }
    if (problems.empty()) {
      std::printf("%s: ok\n", file.c_str());
    } else {
      ++failed;
    }
  }
  if (failed > 0) {
    throw Error(fmt::format("{} of {} template{} {} problems", failed, options.files.size(),
                            options.files.size() == 1 ? "" : "s", failed == 1 ? "has" : "have"));
  }
}

}  // namespace

void setup_templates(CLI::App& app, const Globals& globals) {
  auto options = std::make_shared<TemplatesOptions>();
  CLI::App* cmd = app.add_subcommand("templates", "List the letter templates: the project's "
                                                  "(.pm/templates/), PM_TEMPLATE_PATH's, the "
                                                  "user config's templates_path, the built-ins");
  cmd->add_option("--lang", options->language, "Only this language")
      ->check(CLI::IsMember({"en", "ru"}));
  cmd->add_flag("--json", options->json, "JSON for scripts");
  CLI::App* show = cmd->add_subcommand("show", "Print one template's YAML");
  show->add_option("name", options->name, "Template name")->required();
  show->add_option("--lang", options->language, "Language (default: the project's)")
      ->check(CLI::IsMember({"en", "ru"}));
  CLI::App* check = cmd->add_subcommand("check", "Validate template files; problems are "
                                                 "printed as FILE:LINE: message");
  check->add_option("files", options->files, "Template files")->required()->check(CLI::ExistingFile);
  show->callback([options, &globals] { run_show(globals, *options); });
  check->callback([options, &globals] { run_check(globals, *options); });
  cmd->callback([cmd, show, check, options, &globals] {
    if (!cmd->got_subcommand(show) && !cmd->got_subcommand(check)) {
      run_list(globals, *options);
    }
  });
}

}  // namespace pm::cli
