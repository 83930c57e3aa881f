#pragma once
// Long loops of the core (import, NPS import, verify, export) count what they have done here,
// so the command line can draw a progress line (src/cli/progress.cpp) without the core knowing
// of terminals. Nobody listens by default; a count then costs one branch.
#include <cstdint>

namespace pm {

/// Told of the count as it grows; installed for the length of one command.
class ProgressListener {
 public:
  virtual ~ProgressListener() = default;
  /// `done` items so far; called for every item, so it decides itself when to draw.
  virtual void advanced(std::uint64_t done) = 0;
};

/// Installs `listener` (nullptr: none) for this thread; returns the one it replaces.
ProgressListener* set_progress_listener(ProgressListener* listener);

/// One more item done (an entry checked, a row read): tells the listener, if any.
void progress_step();

}  // namespace pm
