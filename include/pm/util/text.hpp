#pragma once
// Small text helpers the core and the CLI share.
#include <string>
#include <string_view>
#include <vector>

#include "pm/util/json.hpp"

namespace pm {

/// `text` without spaces, tabs and line breaks at either end.
std::string trimmed(std::string_view text);
/// The items joined with `separator`.
std::string join(const std::vector<std::string>& items, std::string_view separator = ", ");
/// The strings of a JSON array joined with ", " (empty for anything else).
std::string join_json(const Json& list);
/// True when `value` is one of `list`.
bool contains(const std::vector<std::string>& list, const std::string& value);
/// `text` with ASCII letters in lower case.
std::string ascii_lower(std::string text);
/// `text` in lower case for matching: ASCII and Russian letters (Ё as ё); the rest as is.
std::string fold_case(std::string_view text);

/// "1500000" as "1,500,000": `digits` with `separator` between groups of three.
std::string grouped_digits(const std::string& digits, std::string_view separator = ",");

}  // namespace pm
