// pm __complete WHAT: the words shell completion offers that only the project knows (template
// names, ids, people), one a line as "WORD<TAB>DESCRIPTION". Hidden from help; never fails
// loudly: outside a project, or with a damaged ledger, it prints nothing and exits 0, since a
// completion that prints errors into the command line being typed is worse than none.
#include <cstdio>
#include <set>

#include "cli/cli.hpp"
#include "pm/domain/meetings.hpp"
#include "pm/mail/template.hpp"
#include "pm/storage/ledger.hpp"
#include "pm/util/error.hpp"

namespace pm::cli {

namespace {

struct CompleteOptions {
  std::string what;
};

/// One line: the word, a tab, its description on one line and not too long.
void word(const std::string& text, std::string description) {
  for (char& c : description) {
    c = (c == '\n' || c == '\t' || c == '\r') ? ' ' : c;
  }
  if (description.size() > 60) {
    std::size_t cut = 57;
    while (cut > 0 && (static_cast<unsigned char>(description[cut]) & 0xC0) == 0x80) {
      --cut;  // not inside a UTF-8 character
    }
    description = description.substr(0, cut) + "...";
  }
  std::printf("%s\t%s\n", text.c_str(), description.c_str());
}

/// Open entries of `kind` (agreement, change, risk): what a command's ID argument names.
void ids(const Session& session, const char* kind, bool open_only) {
  auto ledger = session.open_ledger(true);
  EntryQuery q;
  q.kinds = {kind};
  q.open_only = open_only;
  q.newest_first = true;
  q.limit = 200;  // the recent ones are what people type; a menu of thousands helps nobody
  ledger->each(q, [&](const Entry& e) { word(std::to_string(e.id), e.text); });
}

void run_complete(const Globals& globals, const CompleteOptions& options) {
  try {
    if (options.what == "templates") {
      std::filesystem::path dir;
      try {
        dir = open_session(globals).paths.templates();
      } catch (const Error&) {
        // outside a project: the built-in letters only
      }
      std::set<std::string> seen;  // a letter in both languages is one name
      std::vector<TemplateInfo> infos;
      try {
        infos = TemplateLibrary::for_project(dir).list();
      } catch (const Error&) {
        infos = TemplateLibrary(dir).list();  // a bad PM_TEMPLATE_PATH or config: `pm templates` says
      }
      for (const auto& t : infos) {
        if (seen.insert(t.name).second) {
          word(t.name, t.description);
        }
      }
      return;
    }
    Session session = open_session(globals);
    if (options.what == "people") {
      for (const auto& p : session.config.people) {
        word(p.name, p.email);
      }
    } else if (options.what == "agreements") {
      ids(session, "agreement", true);
    } else if (options.what == "risks") {
      ids(session, "risk", true);
    } else if (options.what == "changes") {
      ids(session, "change", false);
    } else if (options.what == "questions") {
      // The open questions, by the number pm question answer takes.
      auto ledger = session.open_ledger(true);
      for (const auto& q : list_questions(*ledger, false)) {
        word(std::to_string(q.entry.number), q.entry.text);
      }
    }
  } catch (const std::exception&) {
    // quietly nothing (see the top of this file)
  }
}

}  // namespace

void setup_complete(CLI::App& app, const Globals& globals) {
  auto options = std::make_shared<CompleteOptions>();
  CLI::App* cmd = app.add_subcommand("__complete", "Words for shell completion");
  cmd->group("");  // hidden: shells call it, people do not
  cmd->add_option("what", options->what, "templates, people, agreements, changes, risks or questions")
      ->required();
  cmd->callback([options, &globals] { run_complete(globals, *options); });
}

}  // namespace pm::cli
