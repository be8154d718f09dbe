#pragma once
// The JSON type of the whole project: insertion-ordered, so that what the
// shim relays keeps the key order its peer wrote (schemas stay as authored,
// transcripts stay readable).
#include <nlohmann/json.hpp>

#include <string>

namespace mcpshim {
using json = nlohmann::ordered_json;

// The compact text of a value, for the wire or a log. Never throws: a
// string that is not valid UTF-8 (it cannot come from a parse, only from a
// header or a byte excerpt) has its bad bytes replaced by U+FFFD.
inline std::string to_text(const json& value) {
    return value.dump(-1, ' ', false, json::error_handler_t::replace);
}
}  // namespace mcpshim
