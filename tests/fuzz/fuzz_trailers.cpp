// The commit trailer parser (pm/git/git.hpp) and what the hook makes of trailers
// (pm/git/commits.hpp).
#include <string>

#include "fuzz.hpp"
#include "pm/git/commits.hpp"
#include "pm/git/git.hpp"
#include "pm/util/check.hpp"
#include "pm/util/error.hpp"

namespace {

using pm::fuzz::check;

void check_trailer(const pm::Trailer& t) {
  check(!t.key.empty(), "a trailer with an empty key");
  check(t.key.find_first_of(" \t\n:") == std::string::npos,
        "a trailer key holds a blank, a line break or a colon");
  check(t.value.find('\n') == std::string::npos, "a trailer value holds a line break");
  check(t.value.empty() || (t.value.front() != ' ' && t.value.front() != '\t'),
        "a trailer value starts with a blank");
  check(t.value.empty() || (t.value.back() != ' ' && t.value.back() != '\r'),
        "a trailer value ends with a blank");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size) {
  std::string message(pm::fuzz::text_of(data, size));
  std::vector<pm::Trailer> trailers = pm::parse_trailers(message);
  for (const auto& t : trailers) {
    check_trailer(t);
  }
  if (!trailers.empty()) {
    // The trailers written out again, one a line under a subject, parse back the same.
    std::string again = "Subject\n\n";
    for (const auto& t : trailers) {
      again += t.key + ": " + t.value + "\n";
    }
    std::vector<pm::Trailer> reparsed = pm::parse_trailers(again);
    check(reparsed.size() == trailers.size(), "trailers written out parse to another count");
    for (std::size_t i = 0; i < reparsed.size() && i < trailers.size(); ++i) {
      check(reparsed[i].key == trailers[i].key && reparsed[i].value == trailers[i].value,
            "a trailer written out parses back differently");
    }
  }
  // The hook logs one entry per trailer of a known kind with a value, in trailer order.
  pm::Commit commit;
  commit.id = "0123456789abcdef0123456789abcdef01234567";
  commit.author = "Anna Petrova";
  commit.subject = message.substr(0, message.find('\n'));
  commit.message = message;
  std::vector<pm::Entry> entries;
  try {
    entries = pm::entries_from_commit(commit, pm::Instant{});
  } catch (const pm::Error&) {
    // The door refuses a trailer that is not one clean line of UTF-8: only then.
    bool refusable = false;
    for (const auto& t : trailers) {
      refusable = refusable || !pm::text_problem(t.value, false, pm::k_line_limit).empty();
    }
    check(refusable, "entries_from_commit refused trailers that are all clean lines");
    return 0;
  }
  check(entries.size() <= trailers.size(), "more entries than trailers");
  std::size_t next = 0;
  for (const auto& e : entries) {
    while (next < trailers.size() && trailers[next].value != e.text) {
      ++next;
    }
    check(next < trailers.size(), "an entry's text is not a trailer's value, in order");
    check(!e.text.empty(), "an entry with no text");
    check(e.kind == "agreement" || e.kind == "decision" || e.kind == "change",
          "an entry of an unexpected kind");
    ++next;
  }
  return 0;
}
