// pm render TEMPLATE: a letter from a template, the project and the given values.
#include "cli/cli.hpp"
#include "cli/letters.hpp"

namespace pm::cli {

namespace {

struct RenderOptions {
  LetterRequest request;
  std::vector<std::string> sets;
  std::string period;
  bool html = false;
  bool no_html = false;
};

void run_render(const Globals& globals, RenderOptions options) {
  Session session = open_session(globals);
  for (const auto& set : options.sets) {
    options.request.sets.push_back(split_assignment(set));
  }
  if (!options.period.empty()) {
    options.request.period = parse_period(options.period, session.now, session.zone);
  }
  if (options.html || options.no_html) {
    options.request.html = options.html;
  }
  wants_html_part(session, options.request);  // --html with --format text is refused first
  auto ledger = session.open_ledger(true);
  print_letter(session, *ledger, options.request);
}

}  // namespace

void setup_render(CLI::App& app, const Globals& globals) {
  auto options = std::make_shared<RenderOptions>();
  LetterRequest& r = options->request;
  CLI::App* cmd = app.add_subcommand("render", "Render a letter template (pm templates lists "
                                               "them) as text, Markdown or an email message");
  cmd->add_option("template", r.name, "Template name, e.g. agreement-confirmation")->required();
  cmd->add_option("--set", options->sets, "A variable's value (repeatable)")
      ->option_text("KEY=VALUE");
  cmd->add_option("--data", r.data_file, "Variables from a YAML or JSON file")
      ->option_text("FILE");
  cmd->add_option("--period", options->period,
                  "The period of a report or digest: a month (2026-11) or an ISO week "
                  "(2026-W47); default this week for a report, the last whole month for a "
                  "digest")
      ->option_text("PERIOD");
  cmd->add_option("--format", r.format,
                  "text, md, eml (a ready-to-send message) or html (the HTML part alone)")
      ->check(CLI::IsMember({"text", "md", "eml", "html"}))
      ->default_str("text");
  CLI::Option* html = cmd->add_flag("--html", options->html,
                                    "With --format eml: add an HTML part made from the letter's "
                                    "Markdown (multipart/alternative)");
  cmd->add_flag("--no-html", options->no_html,
                "With --format eml: text only, even with html: true in project.yaml")
      ->excludes(html);
  cmd->add_option("--to", r.to, "Recipient address, replacing the template's (repeatable)")
      ->option_text("ADDRESS");
  cmd->add_option("--cc", r.cc, "Copy address, replacing the template's (repeatable)")
      ->option_text("ADDRESS");
  cmd->add_option("--lang", r.language, "Letter language (default: the project's)")
      ->check(CLI::IsMember({"en", "ru"}));
  cmd->add_option("-o,--output", r.output, "Write to FILE instead of stdout");
  cmd->callback([options, &globals] { run_render(globals, *options); });
}

}  // namespace pm::cli
