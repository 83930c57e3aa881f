#pragma once
// The JSON type the core uses: insertion-ordered, so what pm writes keeps its field order.
#include <string>

#include <nlohmann/json.hpp>

namespace pm {

using Json = nlohmann::ordered_json;

/// `json` as text (Json::dump's `indent`) that cannot fail: bytes that are not UTF-8 (an older
/// ledger may hold them) become U+FFFD instead of an exception half-way through an output.
/// Every JSON pm prints goes through here.
inline std::string dump_json(const Json& json, int indent = -1) {
  return json.dump(indent, ' ', false, Json::error_handler_t::replace);
}

}  // namespace pm
