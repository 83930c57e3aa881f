#pragma once
// "Did you mean ...?": the nearest known word to a mistyped one.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pm {

/// Levenshtein distance between `a` and `b`, counted in bytes.
std::size_t edit_distance(std::string_view a, std::string_view b);

/// The candidate nearest to `word` when it is near enough to be a likely typo (about a third of
/// the word's length away at most), else std::nullopt. Ties go to the earlier candidate.
std::optional<std::string> closest_word(std::string_view word,
                                        const std::vector<std::string>& candidates);

}  // namespace pm
