#pragma once
// Tags (`pm log-agreement --tag`): shown in the listings and filtered with --tag, repeatable,
// meaning all of them (taskwarrior's +tag +tag).
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "pm/storage/entry.hpp"

namespace pm::cli {

/// The entry's tags, "launch, web"; empty when it has none.
std::string tags_text(const Entry& entry);

/// True when `entry` carries every tag in `wanted` (none wanted: true). Tags compare as
/// written, but without regard to ASCII case: --tag Launch finds "launch".
bool has_tags(const Entry& entry, const std::vector<std::string>& wanted);

/// Adds `--tag TAG` (repeatable) to a listing.
void add_tag_filter(CLI::App* cmd, std::vector<std::string>& tags);

}  // namespace pm::cli
