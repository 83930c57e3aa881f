#pragma once
// "Did you mean": the names closest to a mistyped one, as git lists commands for a typo.
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

}  // namespace pm
