#pragma once
// The JSON type of the whole project: insertion-ordered, so that what the
// shim relays keeps the key order its peer wrote (schemas stay as authored,
// transcripts stay readable).
#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mcpshim {
using json = nlohmann::ordered_json;

// A peer's JSON is read with these, never with `value()` or `get()` (which
// throw on a member of another type): a member of the type asked for, or
// the fallback. `object` need not be an object.
inline std::string string_member(const json& object, std::string_view key, std::string fallback = {}) {
    if (!object.is_object()) return fallback;
    const auto it = object.find(key);
    return it != object.end() && it->is_string() ? it->get<std::string>() : fallback;
}
inline std::optional<std::int64_t> integer_member(const json& object, std::string_view key) {
    if (!object.is_object()) return std::nullopt;
    const auto it = object.find(key);
    if (it == object.end() || !it->is_number_integer()) return std::nullopt;
    return it->get<std::int64_t>();
}

// The compact text of a value, for the wire or a log. Never throws: a
// string that is not valid UTF-8 (it cannot come from a parse, only from a
// header or a byte excerpt) has its bad bytes replaced by U+FFFD.
inline std::string to_text(const json& value) {
    return value.dump(-1, ' ', false, json::error_handler_t::replace);
}
}  // namespace mcpshim
