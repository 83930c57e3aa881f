#include "pm/util/suggest.hpp"

#include <algorithm>
#include <utility>

namespace pm {

std::size_t edit_distance(std::string_view a, std::string_view b) {
  // Optimal string alignment: Levenshtein plus swapped neighbours ("statsu" is one edit from
  // "status"), three rows of the table.
  std::vector<std::size_t> before(b.size() + 1);
  std::vector<std::size_t> previous(b.size() + 1);
  std::vector<std::size_t> current(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) {
    previous[j] = j;
  }
  for (std::size_t i = 1; i <= a.size(); ++i) {
    current[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        current[j] = std::min(current[j], before[j - 2] + 1);
      }
    }
    std::swap(before, previous);
    std::swap(previous, current);
  }
  return previous[b.size()];
}

std::vector<std::string> similar_names(std::string_view typed,
                                       const std::vector<std::string>& candidates) {
  const std::size_t limit = typed.size() >= 5 ? 2 : 1;
  std::vector<std::pair<std::size_t, std::string>> close;
  for (const auto& name : candidates) {
    std::size_t d = edit_distance(typed, name);
    if (typed.size() >= 2 && name.size() > typed.size() && name.starts_with(typed)) {
      d = 0;  // a prefix: "agree" for "agreements"
    }
    if (d <= limit && d < name.size() &&
        std::none_of(close.begin(), close.end(), [&](const auto& c) { return c.second == name; })) {
      close.emplace_back(d, name);
    }
  }
  std::stable_sort(close.begin(), close.end(),
                   [](const auto& x, const auto& y) { return x.first < y.first; });
  std::vector<std::string> out;
  for (auto& c : close) {
    out.push_back(std::move(c.second));
  }
  return out;
}

std::optional<std::string> closest_word(std::string_view word,
                                        const std::vector<std::string>& candidates) {
  // A third of the length lets "deadlin" find "deadline" and "emial" find "email" without
  // offering "name" for "team".
  std::size_t limit = std::max<std::size_t>(1, (word.size() + 2) / 3);
  std::optional<std::string> best;
  std::size_t best_distance = limit + 1;
  for (const auto& candidate : candidates) {
    std::size_t d = edit_distance(word, candidate);
    if (d < best_distance) {
      best = candidate;
      best_distance = d;
    }
  }
  return best;
}

}  // namespace pm
