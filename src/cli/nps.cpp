// pm nps [add | import | invite]: record clients' answers, import survey exports, invite them
// to answer; `pm nps` alone reports (nps_report.cpp).
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>

#include <fmt/format.h>

#include "cli/letters.hpp"
#include "cli/nps.hpp"
#include "cli/progress.hpp"
#include "pm/time/date_expression.hpp"
#include "pm/domain/agreements.hpp"
#include "pm/util/error.hpp"
#include "pm/util/mailbox.hpp"
#include "pm/domain/nps.hpp"

namespace pm::cli {

namespace {

struct NpsAddOptions {
  std::string score;
  std::string client;
  std::string contact;
  std::string manager;
  std::string comment;
  std::string on;
};

struct NpsImportOptions {
  std::string file;
};

struct NpsInviteOptions {
  LetterRequest request;
  std::string contact;
  std::string link;
};

NpsWriteContext write_context(const Globals& globals, const Session& session,
                              const char* source) {
  return NpsWriteContext{resolve_author(globals.author), source, session.now, session.zone};
}

void run_add(const Globals& globals, const NpsAddOptions& options) {
  NpsAnswer a;
  a.score = parse_score(options.score, "score");
  Session session = open_session(globals);
  if (options.on.empty()) {
    a.at = session.now;
    a.date = local_date(session.now, session.zone);
  } else {
    a.date = parse_date_expression(options.on, session.now, session.zone, "--on");
  }
  a.client = options.client.empty() ? session.config.client : options.client;
  a.manager = options.manager.empty() ? session.config.manager.name : options.manager;
  a.contact = options.contact;
  a.comment = options.comment;
  auto ledger = session.open_ledger();
  EntryId id = add_nps_answer(*ledger, a, write_context(globals, session, "cli"));
  std::printf("%lld\n", static_cast<long long>(id));
  std::string who = a.contact.empty() ? a.client
                    : a.client.empty() ? a.contact
                                       : fmt::format("{} ({})", a.contact, a.client);
  note(globals, fmt::format("Recorded {} ({}){} on {}", a.score, nps_category(a.score),
                            who.empty() ? "" : " from " + who, format_date(a.date)));
}

void run_import(const Globals& globals, const NpsImportOptions& options) {
  Session session = open_session(globals);
  std::ifstream file;
  std::istream* in = &std::cin;
  std::string name = options.file == "-" ? "stdin" : options.file;
  if (options.file != "-") {
    std::error_code ec;
    if (std::filesystem::is_directory(options.file, ec)) {
      throw Error(fmt::format("{} is a directory; give the CSV file", options.file));
    }
    file.open(options.file, std::ios::binary);
    if (!file) {
      throw Error(fmt::format("cannot read {}: {}", options.file, std::strerror(errno)));
    }
    in = &file;
  }
  auto ledger = session.open_ledger();
  NpsDefaults defaults{session.config.client, session.config.manager.name};
  NpsImportResult r;
  {
    ProgressLine progress(globals, "nps import", "rows");
    r = import_nps_csv(*ledger, *in, name, defaults, write_context(globals, session, "import"));
  }
  if (r.rows == 0) {
    note(globals, fmt::format("{} holds no answers, only its header; nothing was recorded", name));
  } else if (r.added == 0) {
    note(globals, fmt::format("All {} answers in {} were already recorded; nothing was added",
                              r.rows, name));
  } else {
    note(globals, fmt::format("Imported {} answer{} from {}{}", r.added, r.added == 1 ? "" : "s",
                              name,
                              r.skipped == 0
                                  ? ""
                                  : fmt::format(" ({} already recorded, skipped)", r.skipped)));
  }
}

void run_invite(const Globals& globals, NpsInviteOptions options) {
  Session session = open_session(globals);
  LetterRequest& request = options.request;
  request.name = "nps-survey";
  if (!options.contact.empty()) {
    // The letter goes to the person asked: one of the project's people, or an address.
    std::string address;
    std::string greeting;
    if (const Person* person = find_person(session.config, options.contact)) {
      if (person->email.empty()) {
        throw Error(fmt::format("{} has no email address; add it with: pm people add \"{} "
                                "<ADDRESS>\" (or pass --to ADDRESS)",
                                person->name, person->name));
      }
      Mailbox box{person->name, person->email};
      address = to_display(box);
      greeting = person->greeting.empty() ? person->name : person->greeting;
    } else if (options.contact.find('@') != std::string::npos) {
      Mailbox box = parse_mailbox(options.contact);
      address = to_display(box);
      greeting = box.name;
    } else {
      throw Error(fmt::format("{} is not among the people of this project; add them with: pm "
                              "people add \"{} <ADDRESS>\", or give the address: --contact "
                              "\"{} <ADDRESS>\"",
                              options.contact, options.contact, options.contact));
    }
    if (request.to.empty()) {
      request.to.push_back(address);
    } else if (!greeting.empty()) {
      request.sets.emplace_back("contact_name", greeting);  // --to elsewhere: still greet them
    }
  }
  if (!options.link.empty()) {
    request.sets.emplace_back("survey_link", options.link);
  }
  auto ledger = session.open_ledger(true);
  print_letter(session, *ledger, request);
}

}  // namespace

void setup_nps(CLI::App& app, const Globals& globals) {
  auto report = std::make_shared<NpsReportOptions>();
  CLI::App* cmd = app.add_subcommand(
      "nps", "NPS with its margin of error, by client, manager, month or quarter, for this "
             "project or a portfolio; add, import and invite record and ask for answers");
  cmd->add_option("--by", report->by, "Break it down by client, manager, month, quarter or "
                                      "(with --portfolio) project")
      ->check(CLI::IsMember({"client", "manager", "month", "quarter", "project"}));
  cmd->add_option("--since", report->since, "Only answers given on or after DATE (YYYY-MM-DD)")
      ->option_text("DATE");
  cmd->add_option("--until", report->until, "Only answers given on or before DATE")
      ->option_text("DATE");
  CLI::Option* json = cmd->add_flag("--json", report->json, "JSON for scripts (docs/json.md)");
  // --format json too, as `pm report` takes it.
  cmd->add_option("--format", report->format,
                  "text, json (the same as --json) or html (a page with NPS by month as a chart)")
      ->check(CLI::IsMember({"text", "json", "html"}))
      ->default_str("text")
      ->excludes(json);
  cmd->add_flag("--portfolio", report->portfolio,
                "Across every registered project (pm init registers them); by project unless "
                "--by says otherwise");
  cmd->add_option("--project", report->projects,
                  "A project for the portfolio, instead of the registry (repeatable)")
      ->option_text("DIR");
  cmd->add_flag("--chart", report->chart,
                "Draw the trend chart with --by month|quarter even when not on a terminal");

  auto add_options = std::make_shared<NpsAddOptions>();
  CLI::App* add = cmd->add_subcommand("add", "Record one answer (0-10); prints its entry id");
  add->add_option("score", add_options->score, "The answer: a whole number from 0 to 10")
      ->required();
  add->add_option("--client", add_options->client, "The client (default: the project's)")
      ->option_text("ORG");
  add->add_option("--contact", add_options->contact, "Who answered")->option_text("NAME");
  add->add_option("--manager", add_options->manager, "The manager (default: the project's)")
      ->option_text("NAME");
  add->add_option("--comment", add_options->comment, "Why, in their words")->option_text("TEXT");
  add->add_option("--on", add_options->on, "The day it was given (default: today)")
      ->option_text("DATE");
  add->callback([add_options, &globals] { run_add(globals, *add_options); });

  auto import_options = std::make_shared<NpsImportOptions>();
  CLI::App* import = cmd->add_subcommand(
      "import", "Import answers from a CSV file (date,score,client,contact,manager,comment); "
                "all or nothing, and a file imported twice adds nothing");
  import->add_option("file", import_options->file, "The CSV file, or - for stdin")
      ->required()
      ->option_text("FILE");
  import->callback([import_options, &globals] { run_import(globals, *import_options); });

  auto invite_options = std::make_shared<NpsInviteOptions>();
  LetterRequest& r = invite_options->request;
  CLI::App* invite = cmd->add_subcommand("invite", "The letter that asks the client the NPS "
                                                   "question (template nps-survey)");
  invite->add_option("--contact", invite_options->contact,
                     "Whom to ask; a person of the project gets the letter addressed to them")
      ->option_text("NAME");
  invite->add_option("--link", invite_options->link, "A link to an online form for the answer")
      ->option_text("URL");
  invite->add_option("--format", r.format, "text, md or eml (a ready-to-send message)")
      ->check(CLI::IsMember({"text", "md", "eml"}))
      ->default_str("text");
  invite->add_option("--to", r.to, "Recipient address, replacing the template's (repeatable)")
      ->option_text("ADDRESS");
  invite->add_option("--lang", r.language, "Letter language (default: the project's)")
      ->check(CLI::IsMember({"en", "ru"}));
  invite->add_option("-o,--output", r.output, "Write to FILE instead of stdout");
  invite->callback([invite_options, &globals] { run_invite(globals, *invite_options); });

  cmd->callback([cmd, add, import, invite, report, &globals] {
    if (!cmd->got_subcommand(add) && !cmd->got_subcommand(import) &&
        !cmd->got_subcommand(invite)) {
      run_nps_report(globals, *report);
    }
  });
}

}  // namespace pm::cli
