#pragma once
// The JSON type of the whole project: insertion-ordered, so that what the
// shim relays keeps the key order its peer wrote (schemas stay as authored,
// transcripts stay readable).
#include <nlohmann/json.hpp>

namespace mcpshim {
using json = nlohmann::ordered_json;
}  // namespace mcpshim
