#pragma once
#include <stdexcept>
#include <string>
#include <vector>

namespace pm {

/// Process exit codes. One row each; docs/exit-codes.md lists the same table.
enum class Exit : int {
  ok = 0,          ///< the command did what was asked
  error = 1,       ///< bad input or a failed operation; the message says which
  usage = 2,       ///< the command line itself was wrong (unknown option, missing argument)
  no_project = 3,  ///< no .pm/ directory was found
  busy = 4,        ///< the ledger stayed locked by another writer past the busy timeout
  integrity = 5,   ///< the ledger failed verification
  /// the entry was recorded, but its letter could not be written: do not record it again
  letter_not_written = 6,
  /// pm today: the list holds something overdue (cron mails the list only then)
  overdue = 7,
  /// pm send: the mail submission program refused the message or could not be started;
  /// nothing was recorded
  not_sent = 8,
  /// the project's ledger server could not be reached (or stopped answering): nothing was
  /// recorded
  unreachable = 9,
};

/// One row per exit code: the man page and docs/exit-codes.md come from here.
struct ExitCodeInfo {
  Exit code;
  const char* name;
  const char* meaning;
};
const std::vector<ExitCodeInfo>& exit_codes();

/// The one error type of pm: a message for the user, already carrying its context
/// ("what was wrong and how to fix it"), and the exit code it maps to.
class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message, Exit code = Exit::error)
      : std::runtime_error(message), m_code(code) {}
  Exit code() const noexcept { return m_code; }

 private:
  Exit m_code;
};

}  // namespace pm
