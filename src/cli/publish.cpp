// pm publish: the client's status site, written into a directory that any static host (or a
// browser, from file://) serves as it is. Cron runs it after the Friday report.
#include <fmt/format.h>

#include "cli/cli.hpp"
#include "pm/domain/project_calendar.hpp"
#include "pm/web/site.hpp"

namespace pm::cli {

namespace {

struct PublishOptions {
  std::string output;
};

void run_publish(const Globals& globals, const PublishOptions& options) {
  Session session = open_session(globals);
  sync_before_report(globals, session);
  auto ledger = session.open_ledger(true);
  ledger->check_pages(Ledger::k_quick_check_bytes);
  const Calendar calendar = project_calendar(session.config, session.paths.dir());
  // Pages are for a web server to read, whoever runs it; the project's privacy is in what
  // they leave out.
  SiteInput input{session.config, calendar, session.now, 0644};
  const std::filesystem::path dir = options.output;  // as report -o: from where pm runs
  PublishResult result = publish_site(*ledger, input, dir);
  note(globals, fmt::format("Published {} to {}: {} written, {} unchanged{}. Open {}",
                            result.written.size() + result.unchanged == 1 ? "1 file"
                                : fmt::format("{} files", result.written.size() + result.unchanged),
                            dir.string(), result.written.size(), result.unchanged,
                            result.hidden == 0
                                ? std::string()
                                : fmt::format("; {} internal {} left out", result.hidden,
                                              result.hidden == 1 ? "entry" : "entries"),
                            (dir / "index.html").string()));
}

}  // namespace

void setup_publish(CLI::App& app, const Globals& globals) {
  auto options = std::make_shared<PublishOptions>();
  CLI::App* cmd = app.add_subcommand(
      "publish", "Write the client's status site into DIR: the project's state, weekly "
                 "reports, agreements, changes and risks, without what is marked --internal");
  cmd->add_option("-o,--output", options->output,
                  "The site's directory (created if missing); pages that did not change are "
                  "not rewritten")
      ->option_text("DIR")
      ->required();
  cmd->callback([options, &globals] { run_publish(globals, *options); });
}

}  // namespace pm::cli
