#pragma once
// What recording NPS answers shares: checks of the values, and an answer's entry data.
// Private to the core: add_nps_answer and import_nps_csv use it.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "pm/domain/nps.hpp"

namespace pm::detail {

/// The score `text` holds (a whole number 0-10, spaces around allowed), or -1.
int score_value(std::string_view text);
/// True when `text` is well-formed UTF-8 (no overlong forms, no surrogates).
bool is_utf8(std::string_view text);
/// `text` without spaces, tabs and line breaks around it.
std::string_view trim(std::string_view text);
/// Why `text` cannot be a name (client, contact, manager), or empty when it can.
std::string name_problem(std::string_view text);

/// An answer's entry data as JSON text, exactly as the equivalent Json object would dump.
std::string nps_data_json(const NpsAnswer& answer, const std::string& day,
                          std::optional<std::int64_t> fingerprint);

}  // namespace pm::detail
