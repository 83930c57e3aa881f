// pm report: the status report of a week (or a range of days), built from the ledger, as text,
// Markdown, JSON, an HTML page or a ready-to-send weekly-status email. Cron runs it on Fridays.
#include <fmt/format.h>

#include "cli/cli.hpp"
#include "cli/letters.hpp"
#include "pm/util/error.hpp"
#include "pm/domain/project_calendar.hpp"
#include "pm/domain/client_view.hpp"
#include "pm/domain/report.hpp"
#include "pm/storage/integrity.hpp"
#include "pm/web/page.hpp"
#include "pm/web/site.hpp"

namespace pm::cli {

namespace {

struct ReportOptions {
  PeriodSpec period;
  std::string format = "text";
  bool json = false;  ///< --json: the same as --format json, as every listing takes it
  std::string output;
  std::string language;
  std::string next_steps;
  bool send = false;  ///< --send: the eml letter goes through the mail command
  bool client_view = false;  ///< --client-view: without what is marked --internal
  std::vector<std::string> to;
  std::vector<std::string> cc;
};

void run_report(const Globals& globals, const ReportOptions& options) {
  Session session = open_session(globals);
  Period period = resolve_period(options.period, session.now, session.zone);
  sync_before_report(globals, session);
  const std::string& format = options.json ? std::string("json") : options.format;
  if (options.send && format != "eml") {
    throw Error("--send sends the weekly-status letter: give it with --format eml", Exit::usage);
  }
  // The weekly report as an email is recorded (a `letter` entry: pm today counts the status
  // cadence from it), so that one opens the ledger for writing.
  auto ledger = session.open_ledger(format != "eml");
  ledger->check_pages(Ledger::k_quick_check_bytes);
  std::string lang = options.language.empty() ? session.config.language : options.language;
  if (format == "eml") {
    LetterRequest request;
    request.name = "weekly-status";
    request.language = options.language;
    request.format = "eml";
    request.output = options.output;
    request.to = options.to;
    request.cc = options.cc;
    request.period = period;
    if (!options.next_steps.empty()) {
      request.sets.emplace_back("next_steps", options.next_steps);
    }
    request.send = options.send;
    print_recorded_letter(session, *ledger, request);
    return;
  }
  if (!options.to.empty() || !options.cc.empty()) {
    throw Error("--to and --cc go with --format eml");
  }
  const Calendar calendar = project_calendar(session.config, session.paths.dir());
  const unsigned mode = project_file_mode(session.config);
  // The client's pages (html), and any format on request, come from the client's view: what
  // is marked --internal is not in them. The footer anchors the whole ledger's head.
  std::optional<ClientView> view;
  if (format == "html" || options.client_view) {
    view = client_view(*ledger);
  }
  Report report = build_report(view ? *view->ledger : *ledger, session.config, period,
                               session.now, std::nullopt, &calendar);
  if (view) {
    report.ledger_head = chain_head(ledger->db());
  }
  if (format == "html") {
    Page page;
    page.language = lang;
    page.title = report.project + ": " + period_label(report.period, lang);
    ProjectConfig config = session.config;
    config.language = lang;  // --lang
    page.main = report_main(*view->ledger, config, report, session.now, options.next_steps);
    const std::string html = html_page(page);
    emit_chunks([&](const TextSink& sink) { sink(html); }, options.output, mode, true);
    return;
  }
  if (format == "json") {
    auto write = [&](const TextSink& sink) {
      write_report_json(report, options.next_steps, 2, sink);
      sink("\n");
    };
    emit_chunks(write, options.output, mode, true);
  } else if (format == "md") {
    emit_chunks([&](const TextSink& sink) {
      write_report_markdown(report, lang, options.next_steps, sink);
    }, options.output, mode);
  } else {
    bool color = (options.output.empty() || options.output == "-") && use_color();
    emit_chunks([&](const TextSink& sink) {
      write_report_text(report, lang, color, options.next_steps, sink);
    }, options.output, mode);
  }
}

}  // namespace

void setup_report(CLI::App& app, const Globals& globals) {
  auto options = std::make_shared<ReportOptions>();
  CLI::App* cmd = app.add_subcommand(
      "report", "The status report of a week: done, next, agreements, changes, risks, dates");
  CLI::Option* week = cmd->add_option("--week", options->period.week,
                                      "ISO week: 2026-W47, this (default) or last, in the "
                                      "project's time zone");
  CLI::Option* since = cmd->add_option("--since", options->period.since,
                                       "First day of a custom period, YYYY-MM-DD")
                           ->option_text("DATE");
  CLI::Option* until = cmd->add_option("--until", options->period.until,
                                       "Last day of a custom period, inclusive (default: today)")
                           ->option_text("DATE");
  week->excludes(since)->excludes(until);
  CLI::Option* format =
      cmd->add_option("--format", options->format,
                      "text, md, json (docs/json.md), html (a page for the client: without "
                      "what is marked --internal) or eml (the weekly-status letter)")
          ->check(CLI::IsMember({"text", "md", "json", "html", "eml"}))
          ->default_str("text");
  cmd->add_flag("--json", options->json, "The same as --format json")->excludes(format);
  cmd->add_option("-o,--output", options->output, "Write to FILE instead of stdout");
  cmd->add_flag("--client-view", options->client_view,
                "Leave out what is marked --internal, as html and pm publish always do");
  cmd->add_option("--lang", options->language, "Language of the report (default: the project's)")
      ->check(CLI::IsMember({"en", "ru"}));
  cmd->add_option("--next-steps", options->next_steps,
                  "What we propose to get back on plan; shown when the project is off plan");
  cmd->add_option("--to", options->to, "With eml: recipient, replacing the template's (repeatable)")
      ->option_text("ADDRESS");
  cmd->add_option("--cc", options->cc, "With eml: copy address (repeatable)")->option_text("ADDRESS");
  cmd->add_flag("--send", options->send,
                "With eml: send the letter through the mail command (pm send) instead of "
                "printing it, and record it as sent");
  cmd->callback([options, &globals] { run_report(globals, *options); });
}

}  // namespace pm::cli
