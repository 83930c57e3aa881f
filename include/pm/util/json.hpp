#pragma once
// The JSON type the core uses: insertion-ordered, so what pm writes keeps its field order.
#include <nlohmann/json.hpp>

namespace pm {

using Json = nlohmann::ordered_json;

}  // namespace pm
