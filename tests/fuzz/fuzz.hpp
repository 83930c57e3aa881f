#pragma once
// What every fuzz target shares: an invariant check that stops the run with a message, so a
// broken invariant is a finding like a crash (libFuzzer saves the input and exits non-zero).
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace pm::fuzz {

/// Aborts with `what` when `ok` is false: libFuzzer reports the input as a crash.
inline void check(bool ok, std::string_view what) {
  if (!ok) {
    std::fprintf(stderr, "fuzz: invariant broken: %.*s\n", static_cast<int>(what.size()),
                 what.data());
    std::abort();
  }
}

/// The input as text; the targets read it as bytes, like the files pm reads.
inline std::string_view text_of(const unsigned char* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

}  // namespace pm::fuzz
