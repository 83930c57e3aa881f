#include "cli/letters.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "pm/util/check.hpp"
#include "pm/util/error.hpp"
#include "pm/mail/letter.hpp"

namespace pm::cli {

std::pair<std::string, std::string> split_assignment(const std::string& text) {
  auto eq = text.find('=');
  if (eq == std::string::npos || eq == 0) {
    throw Error(fmt::format("--set '{}': write it as key=value", text));
  }
  return {text.substr(0, eq), text.substr(eq + 1)};
}

void print_letter(const Session& session, Ledger& ledger, const LetterRequest& request) {
  LetterFormat format = parse_letter_format(request.format);
  TemplateLibrary library(session.paths.templates());
  std::string language = request.language.empty() ? session.config.language : request.language;
  LetterTemplate tmpl = library.load(request.name, language);
  LetterInput input;
  input.sets = request.sets;
  input.to = request.to;
  input.cc = request.cc;
  if (!request.data_file.empty()) {
    try {
      std::string content = read_file_limited(request.data_file, k_file_limit, "--data " +
                                              request.data_file);
      check_file_text(request.data_file, content);
      input.data = YAML::Load(content);
    } catch (const YAML::Exception& e) {
      throw Error(fmt::format("{}:{}: malformed YAML or JSON: {}", request.data_file,
                              e.mark.line + 1, e.msg));
    }
    if (input.data && !input.data.IsNull() && !input.data.IsMap()) {
      throw Error(fmt::format("{}: expected a map of variable: value", request.data_file));
    }
  }
  LetterContext context{session.config, &ledger, session.now, language, request.period};
  Letter letter = render_letter(tmpl, context, input);
  emit(format_letter(letter, format, session.now, session.zone), request.output);
}

}  // namespace pm::cli
