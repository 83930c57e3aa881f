#include "pm/util/error.hpp"

namespace pm {

const std::vector<ExitCodeInfo>& exit_codes() {
  static const std::vector<ExitCodeInfo> k_codes = {
      {Exit::ok, "ok", "the command did what was asked"},
      {Exit::error, "error", "bad input or a failed operation; the message says which"},
      {Exit::usage, "usage", "the command line was wrong: unknown command or option, missing argument"},
      {Exit::no_project, "no_project", "no .pm/ directory was found; run pm init"},
      {Exit::busy, "busy", "the ledger stayed locked by another writer past the busy timeout; retry"},
      {Exit::integrity, "integrity", "the ledger is damaged or failed verification"},
      {Exit::letter_not_written, "letter_not_written",
       "the entry was recorded (its id is on stderr) but its letter could not be written; do "
       "not record it again, render the letter with pm render"},
      {Exit::overdue, "overdue",
       "pm today: something is overdue (an agreement, a reminder, the status update); the list "
       "on stdout says what"},
      {Exit::not_sent, "not_sent",
       "pm send (or --send): the mail command refused the message or could not be started; "
       "nothing was sent by pm and nothing was recorded, the message says why"},
      {Exit::unreachable, "unreachable",
       "the project's ledger server could not be reached or stopped answering; nothing was "
       "recorded (a git hook's decisions wait in the spool)"},
  };
  return k_codes;
}

}  // namespace pm
