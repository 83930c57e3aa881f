#pragma once
// "Did you mean": the names closest to a mistyped one, as git lists commands for a typo.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pm {

/// Edits (insert, delete, replace, swap two neighbours) that turn `a` into `b`, byte-wise.
std::size_t edit_distance(std::string_view a, std::string_view b);

/// The candidates close to `typed`, closest first: one edit away for short words, two for
/// words of five letters or more, or starting with `typed` (two letters at least). Empty when
/// none is close.
std::vector<std::string> similar_names(std::string_view typed,
                                       const std::vector<std::string>& candidates);

/// The one candidate nearest `word` within a third of its length (at least one edit), for
/// "did you mean" in project.yaml; nullopt when none is that near.
std::optional<std::string> closest_word(std::string_view word,
                                        const std::vector<std::string>& candidates);

}  // namespace pm
