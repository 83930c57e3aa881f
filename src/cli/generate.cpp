// pm generate bash|zsh|man: shell completion and the man page, from the command table itself,
// so they never fall behind the commands. cmake --install installs what this prints. Over 400
// lines: three generators that share the command walk, the choices and the dynamic words.
#include <cstdio>
#include <algorithm>
#include <functional>
#include <set>

#include <fmt/format.h>

#include "cli/cli.hpp"
#include "pm/storage/entry.hpp"
#include "pm/util/error.hpp"

namespace pm::cli {

namespace {

struct GenerateOptions {
  std::string what;
};

std::vector<const CLI::App*> subcommands(const CLI::App& app) {
  // Hidden ones (group "", like __complete) are for shells, not for people.
  return app.get_subcommands(
      [](const CLI::App* sub) { return !sub->get_name().empty() && !sub->get_group().empty(); });
}

/// "--name -n ..." for every named option of `app`.
std::string option_words(const CLI::App& app) {
  std::string out;
  for (const CLI::Option* o : app.get_options()) {
    for (const auto& l : o->get_lnames()) {
      out += (out.empty() ? "--" : " --") + l;
    }
    for (const auto& s : o->get_snames()) {
      out += (out.empty() ? "-" : " -") + s;
    }
  }
  return out;
}

std::string names(const std::vector<const CLI::App*>& apps) {
  std::string out;
  for (const auto* a : apps) {
    out += (out.empty() ? "" : " ") + a->get_name();
  }
  return out;
}

/// The choices CLI::IsMember allows ("text md json eml"), read from the type name CLI11 shows
/// in help ("TEXT:{text,md,json,eml}"); empty for a free value.
std::string choices(const CLI::Option& o) {
  std::string type = o.get_type_name();
  auto open = type.find(":{");
  auto close = type.rfind('}');
  if (open == std::string::npos || close == std::string::npos || close < open) {
    return {};
  }
  std::string out = type.substr(open + 2, close - open - 2);
  std::replace(out.begin(), out.end(), ',', ' ');
  return out;
}

/// Values only the project knows, asked of `pm __complete WHAT` (src/cli/complete.cpp) while
/// completing: for an option (any command's) or for a command's positional argument.
struct Dynamic {
  const char* command;  ///< "render", "change approve"; nullptr: any command's option
  const char* option;   ///< "--with"; nullptr: the positional argument
  const char* what;     ///< templates, people, agreements, changes, risks, questions
};
const Dynamic k_dynamic[] = {
    {"render", nullptr, "templates"},
    {"templates show", nullptr, "templates"},
    {"change approve", nullptr, "changes"},
    {"change reject", nullptr, "changes"},
    {"change show", nullptr, "changes"},
    {"risk close", nullptr, "risks"},
    {"question answer", nullptr, "questions"},
    {nullptr, "--with", "people"},
    {nullptr, "--contact", "people"},
    {nullptr, "--owner", "people"},
    {nullptr, "--supersedes", "agreements"},
    {nullptr, "--agreement", "agreements"},
};

const char* positional_dynamic(const std::string& command) {
  for (const auto& d : k_dynamic) {
    if (d.command != nullptr && command == d.command) {
      return d.what;
    }
  }
  return nullptr;
}

const char* option_dynamic(const std::string& option) {
  for (const auto& d : k_dynamic) {
    if (d.command == nullptr && option == d.option) {
      return d.what;
    }
  }
  return nullptr;
}

/// Calls `visit(path, option)` for every option that takes a value, `path` being "cmd/sub".
void each_value_option(const CLI::App& root,
                       const std::function<void(const std::string&, const CLI::Option&)>& visit) {
  std::function<void(const CLI::App&, const std::string&)> walk = [&](const CLI::App& app,
                                                                      const std::string& path) {
    for (const CLI::Option* o : app.get_options()) {
      if (!path.empty() && !o->get_positional() && o->get_expected_max() > 0) {
        visit(path, *o);  // pm's own (-C, --author) are completed by hand
      }
    }
    for (const CLI::App* sub : subcommands(app)) {
      walk(*sub, path.empty() ? sub->get_name() + "/" : path.substr(0, path.size() - 1) + "/" +
                                                            sub->get_name());
    }
  };
  walk(root, "");
}

std::string bash(const CLI::App& root) {
  std::string cases;
  for (const CLI::App* cmd : subcommands(root)) {
    auto subs = subcommands(*cmd);
    for (const CLI::App* sub : subs) {
      const char* dyn = positional_dynamic(cmd->get_name() + " " + sub->get_name());
      cases += fmt::format("    {}/{}) words=\"{}\" dyn={} ;;\n", cmd->get_name(),
                           sub->get_name(), option_words(*sub), dyn ? dyn : "\"\"");
    }
    const char* dyn = positional_dynamic(cmd->get_name());
    cases += fmt::format("    {}/*) words=\"{}\" dyn={} ;;\n", cmd->get_name(),
                         (names(subs) + " " + option_words(*cmd)), dyn ? dyn : "\"\"");
  }
  // What follows an option that takes a value: its choices, the project's words, or files.
  std::string values;
  std::set<std::string> takes_value = {"-C", "--author"};
  each_value_option(root, [&](const std::string& command_path, const CLI::Option& o) {
    // A command's own option: whatever word (its argument) came between.
    std::string path = command_path.ends_with("/") ? command_path + "*" : command_path;
    std::string patterns;
    for (const auto& l : o.get_lnames()) {
      takes_value.insert("--" + l);
      patterns += (patterns.empty() ? "" : "|") + path + "/--" + l;
    }
    for (const auto& s : o.get_snames()) {
      takes_value.insert("-" + s);
      patterns += (patterns.empty() ? "" : "|") + path + "/-" + s;
    }
    std::string list = choices(o);
    const char* dyn = o.get_lnames().empty() ? nullptr : option_dynamic("--" + o.get_lnames()[0]);
    if (!list.empty()) {
      values += fmt::format("    {}) _pm_reply \"{}\"; return ;;\n", patterns, list);
    } else if (dyn != nullptr) {
      values += fmt::format("    {}) _pm_reply_lines \"$(_pm_words {})\"; return ;;\n", patterns,
                            dyn);
    }
  });
  std::string skip;
  for (const auto& name : takes_value) {
    skip += (skip.empty() ? "" : "|") + name;
  }
  std::string kinds;
  for (const auto& k : entry_kinds()) {
    kinds += (kinds.empty() ? "" : " ") + std::string(k.name);
  }
  return fmt::format(R"SH(# bash completion for pm (generated by 'pm generate bash')
_pm_words() {{ pm __complete "$1" 2>/dev/null | cut -f1; }}
_pm_reply() {{ COMPREPLY=($(compgen -W "$1" -- "$cur")); }}
_pm_reply_lines() {{
  local IFS=$'\n' w
  COMPREPLY=()
  for w in $(compgen -W "$1" -- "$cur"); do COMPREPLY+=("$(printf '%q' "$w")"); done
}}
_pm() {{
  local cur=${{COMP_WORDS[COMP_CWORD]}} prev=${{COMP_WORDS[COMP_CWORD-1]}} cmd="" sub="" words dyn i
  for ((i = 1; i < COMP_CWORD; i++)); do
    case ${{COMP_WORDS[i]}} in
      {}) ((i++)) ;;
      -*) ;;
      *) if [[ -z $cmd ]]; then cmd=${{COMP_WORDS[i]}}; elif [[ -z $sub ]]; then sub=${{COMP_WORDS[i]}}; fi ;;
    esac
  done
  case "$cmd/$sub/$prev" in
    */-C) COMPREPLY=($(compgen -d -- "$cur")); return ;;
    */--kind) _pm_reply "{}"; return ;;
{}  esac
  case "$cmd/$sub" in
    /) words="{} {}" dyn="" ;;
{}  esac
  if [[ -n $dyn && $cur != -* ]]; then words="$words $(_pm_words $dyn)"; fi
  COMPREPLY=($(compgen -W "$words" -- "$cur"))
}}
complete -o default -F _pm pm
)SH",
                     skip, kinds, values, names(subcommands(root)), option_words(root), cases);
}

std::string zsh_escape(std::string text) {
  std::string out;
  for (char c : text) {
    if (c == '\'') {
      out += "'\\''";
    } else if (c == ':') {
      out += "\\:";
    } else {
      out += c;
    }
  }
  return out;
}

std::string zsh(const CLI::App& root) {
  std::string commands;
  std::string cases;
  for (const CLI::App* cmd : subcommands(root)) {
    commands += fmt::format("    '{}:{}'\n", cmd->get_name(), zsh_escape(cmd->get_description()));
    auto subs = subcommands(*cmd);
    for (const CLI::App* sub : subs) {
      const char* dyn = positional_dynamic(cmd->get_name() + " " + sub->get_name());
      cases += fmt::format("    {}/{}) words_=({}) dyn={} ;;\n", cmd->get_name(), sub->get_name(),
                           option_words(*sub), dyn ? dyn : "''");
    }
    const char* dyn = positional_dynamic(cmd->get_name());
    cases += fmt::format("    {}/*) words_=({} {}) dyn={} ;;\n", cmd->get_name(), names(subs),
                         option_words(*cmd), dyn ? dyn : "''");
  }
  std::string values;
  std::set<std::string> takes_value = {"-C", "--author"};
  each_value_option(root, [&](const std::string& command_path, const CLI::Option& o) {
    // A command's own option: whatever word (its argument) came between.
    std::string path = command_path.ends_with("/") ? command_path + "*" : command_path;
    std::string patterns;
    for (const auto& l : o.get_lnames()) {
      takes_value.insert("--" + l);
      patterns += (patterns.empty() ? "" : "|") + path + "/--" + l;
    }
    for (const auto& s : o.get_snames()) {
      takes_value.insert("-" + s);
      patterns += (patterns.empty() ? "" : "|") + path + "/-" + s;
    }
    std::string list = choices(o);
    const char* dyn = o.get_lnames().empty() ? nullptr : option_dynamic("--" + o.get_lnames()[0]);
    if (!list.empty()) {
      values += fmt::format("    ({}) compadd -- {}; return ;;\n", patterns, list);
    } else if (dyn != nullptr) {
      values += fmt::format("    ({}) compadd -- ${{(f)\"$(_pm_words {})\"}}; return ;;\n",
                            patterns, dyn);
    }
  });
  std::string skip;
  for (const auto& name : takes_value) {
    skip += (skip.empty() ? "" : "|") + name;
  }
  std::string kinds;
  for (const auto& k : entry_kinds()) {
    kinds += (kinds.empty() ? "" : " ") + std::string(k.name);
  }
  return fmt::format(R"SH(#compdef pm
# zsh completion for pm (generated by 'pm generate zsh')
_pm_words() {{ pm __complete "$1" 2>/dev/null | cut -f1; }}
_pm() {{
  local -a commands words_
  local cmd="" sub="" dyn="" i
  commands=(
{}  )
  for ((i = 2; i < CURRENT; i++)); do
    case $words[i] in
      ({}) ((i++)) ;;
      (-*) ;;
      (*) if [[ -z $cmd ]]; then cmd=$words[i]; elif [[ -z $sub ]]; then sub=$words[i]; fi ;;
    esac
  done
  case "$cmd/$sub/$words[CURRENT-1]" in
    (*/-C) _directories; return ;;
    (*/--kind) compadd -- {}; return ;;
{}  esac
  if [[ -z $cmd ]]; then
    _describe 'pm command' commands
    return
  fi
  case "$cmd/$sub" in
{}  esac
  compadd -- $words_
  if [[ -n $dyn && $PREFIX != -* ]]; then compadd -- ${{(f)"$(_pm_words $dyn)"}}; fi
}}
_pm "$@"
)SH",
                     commands, skip, kinds, values, cases);
}

std::string roff(std::string text) {
  std::string out;
  for (char c : text) {
    out += c == '\\' ? std::string("\\e") : c == '-' ? std::string("\\-") : std::string(1, c);
  }
  if (!out.empty() && (out[0] == '.' || out[0] == '\'')) {
    out = "\\&" + out;
  }
  return out;
}

/// The options of `app`; -h/--help only for pm itself (the DESCRIPTION says every command
/// takes it), rather than "Print this help message" under each of thirty commands.
void man_options(std::string& out, const CLI::App& app, bool root) {
  for (const CLI::Option* o : app.get_options()) {
    if (!root && o == app.get_help_ptr()) {
      continue;
    }
    std::string label;
    if (o->get_positional()) {
      label = fmt::format("\\fI{}\\fR", o->get_option_text().empty() ? o->get_name(true) : o->get_option_text());
    } else {
      label = "\\fB" + roff(o->get_name(false, true)) + "\\fR";
      if (o->get_expected_max() > 0) {
        std::string list = choices(*o);
        std::replace(list.begin(), list.end(), ' ', '|');
        // The choices themselves where there are some: --format text|md|json|eml.
        label += " \\fI" +
                 roff(!list.empty()                 ? list
                      : o->get_option_text().empty() ? std::string("VALUE")
                                                     : o->get_option_text()) +
                 "\\fR";
      }
    }
    out += ".TP\n" + label + "\n" + roff(o->get_description()) + "\n";
  }
}

/// Commands people type in their first week, each with the line that says what it does.
const std::pair<const char*, const char*> k_examples[] = {
    {"pm init \\-\\-name \"Website relaunch\" \\-\\-client \"Romashka LLC\" \\-\\-tz Europe/Moscow",
     "Start a project in the current directory."},
    {"pm log\\-agreement \"Launch moves to 12 December\" \\-\\-with \"Ivan Sidorov\" \\-\\-due friday "
     "\\-\\-tag launch",
     "Record an agreement due next Friday (in the project's time zone), tagged launch."},
    {"pm agreements \\-\\-tag launch", "The open agreements tagged launch; overdue ones in red on a "
                                       "terminal."},
    {"pm render agreement\\-confirmation \\-\\-format eml | msmtp \\-t",
     "Confirm the latest agreement to the client by email."},
    {"pm change propose \"Add a blog\" \\-\\-reason \"Marketing asked\" \\-\\-days 5",
     "Propose a change; it counts once both sides approved (pm change approve ID \\-\\-side "
     "client)."},
    {"pm report \\-\\-since \"last week\" \\-\\-json", "Last week's report as JSON for a script."},
    {"pm nps import answers.csv", "Import survey answers: comma, semicolon or tab separated."},
    {"pm verify", "Prove the ledger was not edited behind pm's back."},
    {"source <(pm generate bash)", "Tab completion in this bash session, with template names, "
                                   "ids and people."},
};

std::string man(const CLI::App& root) {
  std::string out = fmt::format(
      ".TH PM 1 \"\" \"pm {}\" \"User Commands\"\n.SH NAME\npm \\- keep clients informed, in "
      "writing\n.SH SYNOPSIS\n\\fBpm\\fR [\\fB\\-C\\fR \\fIDIR\\fR] [\\fB\\-\\-author\\fR "
      "\\fINAME\\fR] [\\fB\\-q\\fR] \\fICOMMAND\\fR [\\fIARGS\\fR]\n.SH DESCRIPTION\n"
      "pm records agreements, change requests, status notes, risks and NPS answers in a "
      "per\\-project SQLite ledger (.pm/ledger.db), builds weekly reports from it, and renders "
      "letter templates into ready\\-to\\-send email messages.\n.PP\nEvery command takes "
      "\\fB\\-h\\fR, \\fB\\-\\-help\\fR: its options and what they mean. Dates "
      "take YYYY\\-MM\\-DD or today, yesterday, tomorrow, a weekday (the next one), +3d, "
      "\\-2w, +1m, and for \\-\\-since/\\-\\-until this week, last week, this month, "
      "last month, in the project's time zone.\n.SH OPTIONS\n",
      PM_VERSION);
  man_options(out, root, true);
  out += ".SH COMMANDS\n";
  std::function<void(const CLI::App&, const std::string&)> walk = [&](const CLI::App& app,
                                                                      const std::string& prefix) {
    for (const CLI::App* cmd : subcommands(app)) {
      std::string name = prefix + " " + cmd->get_name();
      out += fmt::format(".SS \"pm{}\"\n{}\n", name, roff(cmd->get_description()));
      man_options(out, *cmd, false);
      walk(*cmd, name);
    }
  };
  walk(root, "");
  out += ".SH ENVIRONMENT\n"
         ".TP\n\\fBPM_DIR\\fR\nThe project directory (instead of searching upward for .pm/).\n"
         ".TP\n\\fBPM_NOW\\fR\nFixes \"now\" (ISO 8601 with an offset), for reproducible output.\n"
         ".TP\n\\fBPM_AUTHOR\\fR\nWho is writing, unless \\-\\-author says otherwise.\n"
         ".TP\n\\fBNO_COLOR\\fR\nNo colour, even on a terminal.\n"
         ".SH FILES\n.TP\n\\fI.pm/project.yaml\\fR\nThe project's settings.\n"
         ".TP\n\\fI.pm/ledger.db\\fR\nThe ledger.\n"
         ".TP\n\\fI.pm/templates/\\fR\nThe project's own letter templates.\n"
         ".SH EXIT STATUS\n";
  for (const auto& e : exit_codes()) {
    out += fmt::format(".TP\n\\fB{}\\fR\n{} ({})\n", static_cast<int>(e.code), roff(e.meaning),
                       e.name);
  }
  out += ".SH EXAMPLES\n";
  for (const auto& [command, meaning] : k_examples) {
    out += fmt::format(".TP\n\\fB{}\\fR\n{}\n", command, meaning);
  }
  out += ".SH SEE ALSO\n"
         "\\fBgit\\fR(1), \\fBmsmtp\\fR(1), \\fBsendmail\\fR(8), \\fBsqlite3\\fR(1); "
         "the guide and references in the docs/ directory of pm's sources: guide.md (every "
         "command), changes.md, nps.md, templates.md, json.md, exit\\-codes.md.\n";
  return out;
}

}  // namespace

void setup_generate(CLI::App& app, const Globals& /*globals*/) {
  auto options = std::make_shared<GenerateOptions>();
  CLI::App* cmd = app.add_subcommand("generate", "Print shell completion (bash, zsh) or the "
                                                 "man page (man)");
  cmd->add_option("what", options->what, "bash, zsh or man")
      ->required()
      ->check(CLI::IsMember({"bash", "zsh", "man"}));
  CLI::App* root = &app;
  cmd->callback([options, root] {
    std::string text = options->what == "bash" ? bash(*root)
                       : options->what == "zsh" ? zsh(*root)
                                                : man(*root);
    std::fwrite(text.data(), 1, text.size(), stdout);
  });
}

}  // namespace pm::cli
