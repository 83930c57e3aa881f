#include "cli/progress.hpp"
#include "pm/util/text.hpp"

#include <algorithm>
#include <cstdio>
#include <unistd.h>

#include <SQLiteCpp/SQLiteCpp.h>
#include <fmt/format.h>

namespace pm::cli {

namespace {

using Clock = std::chrono::steady_clock;
constexpr auto k_redraw = std::chrono::milliseconds(200);

/// 1234567 -> "1,234,567": a count read at a glance while it changes.
std::string grouped(std::uint64_t n) { return grouped_digits(std::to_string(n)); }

}  // namespace

ProgressLine::ProgressLine(const Globals& globals, std::string what, std::string unit,
                           std::uint64_t total)
    : m_enabled(!globals.quiet && ::isatty(STDERR_FILENO) == 1),
      m_what(std::move(what)),
      m_unit(std::move(unit)),
      m_total(total),
      m_start(Clock::now()),
      m_next_draw(m_start) {
  if (m_enabled) {
    m_previous = set_progress_listener(this);
  }
}

ProgressLine::~ProgressLine() {
  if (!m_enabled) {
    return;
  }
  set_progress_listener(m_previous);
  if (m_drawn) {
    std::fputs("\r\033[K", stderr);  // the line goes; the command's own message follows
    std::fflush(stderr);
  }
}

void ProgressLine::advanced(std::uint64_t done) {
  // The clock is read once every 64 items: a million rows cost no measurable time.
  if (done != 1 && (done & 63) != 0) {
    return;
  }
  Clock::time_point now = Clock::now();
  if (now < m_next_draw) {
    return;
  }
  m_next_draw = now + k_redraw;
  draw(done);
}

void ProgressLine::draw(std::uint64_t done) {
  double seconds = std::chrono::duration<double>(Clock::now() - m_start).count();
  std::string line = fmt::format("{}: {} {}", m_what, grouped(done), m_unit);
  if (m_total > 0) {
    line += fmt::format(" of {} ({}%)", grouped(m_total),
                        std::min<std::uint64_t>(100, done * 100 / m_total));
  }
  if (seconds >= 0.5) {
    double rate = static_cast<double>(done) / seconds;
    line += fmt::format(", {}/s", grouped(static_cast<std::uint64_t>(rate)));
    if (m_total > done && rate > 0) {
      auto left = static_cast<std::uint64_t>(static_cast<double>(m_total - done) / rate);
      line += fmt::format(", {}:{:02} left", left / 60, left % 60);
    }
  }
  std::fprintf(stderr, "\r%s\033[K", line.c_str());
  std::fflush(stderr);
  m_drawn = true;
}

std::uint64_t ledger_size(Ledger& ledger) {
  try {
    SQLite::Statement stmt(ledger.db(), "SELECT coalesce(max(id), 0) FROM entries");
    return stmt.executeStep() ? static_cast<std::uint64_t>(stmt.getColumn(0).getInt64()) : 0;
  } catch (const std::exception&) {
    return 0;  // a damaged ledger: verify says so, the progress line only lacks its total
  }
}

}  // namespace pm::cli
