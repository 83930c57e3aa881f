#pragma once
// The JSON type the core uses: insertion-ordered, so what pm writes keeps its field order.
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace pm {

using Json = nlohmann::ordered_json;

/// `json` as text (Json::dump's `indent`) that cannot fail: bytes that are not UTF-8 (an older
/// ledger may hold them) become U+FFFD instead of an exception half-way through an output.
/// Every JSON pm prints goes through here.
inline std::string dump_json(const Json& json, int indent = -1) {
  return json.dump(indent, ' ', false, Json::error_handler_t::replace);
}

/// Appends the JSON escape of character `code` (below U+0100) as dump_json writes it: `"` and
/// `\` escaped, \b \t \n \f \r by name, any other as \u00xx (lower-case hex).
void append_json_escape(std::string& out, unsigned code);

/// Appends UTF-8 `text` to `out` as the JSON string dump_json writes for it (nlohmann's dump,
/// ensure_ascii off): `"` and `\` escaped, \b \t \n \f \r by name, the other characters below
/// U+0020 as \u00xx (lower-case hex); U+007F and everything else as they are.
void append_json_string(std::string& out, std::string_view text);

/// Whether `text` is exactly what dump_json prints for Json::parse(text), so that copying it
/// equals parsing and dumping it: valid UTF-8, no white space, strings escaped as
/// append_json_string does, integers without leading zeros that fit 64 bits, no floating-point
/// number, no key twice in an object. What pm stores (Json::dump) always is; false may also
/// mean "too deep or too wide to check here" (then parse and dump).
bool is_canonical_json(std::string_view text);

}  // namespace pm
