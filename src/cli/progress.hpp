#pragma once
// A progress line on stderr for long work (import, nps import, verify, export -o): the count,
// the rate and, when the total is known, the time left, redrawn in place at most five times a
// second. Nothing at all when stderr is not a terminal or with --quiet, so scripts and cron
// see the same output as before.
#include <chrono>
#include <cstdint>
#include <string>

#include "cli/cli.hpp"
#include "pm/util/progress.hpp"

namespace pm::cli {

class ProgressLine : public ProgressListener {
 public:
  /// Listens to the core's counts (pm/util/progress.hpp) while it lives. `what` names the work
  /// ("import"), `unit` what is counted ("entries"); `total` 0: unknown.
  ProgressLine(const Globals& globals, std::string what, std::string unit,
               std::uint64_t total = 0);
  ~ProgressLine() override;
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;

  void advanced(std::uint64_t done) override;

 private:
  void draw(std::uint64_t done);

  bool m_enabled = false;
  bool m_drawn = false;
  std::string m_what;
  std::string m_unit;
  std::uint64_t m_total = 0;
  std::chrono::steady_clock::time_point m_start;
  std::chrono::steady_clock::time_point m_next_draw;
  ProgressListener* m_previous = nullptr;
};

/// The rows a ledger holds, for a progress total: its highest id (ids are never reused, so
/// this is the count unless the ledger was edited behind pm's back); 0 when it cannot tell.
std::uint64_t ledger_size(Ledger& ledger);

}  // namespace pm::cli
