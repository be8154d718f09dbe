#pragma once
// Named limits on untrusted JSON, checked before a full parse so that a hostile
// body costs one linear scan and no allocation.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace mcpshim::rewrite {

struct JsonLimits {
    std::size_t max_body_bytes = 4 * 1024 * 1024;  // --max-body-bytes
    std::size_t max_depth = 64;                    // --max-json-depth
    std::size_t max_string_bytes = 1024 * 1024;    // --max-string-bytes
    std::size_t max_object_members = 10000;        // --max-object-members
};

// A limit that was exceeded: `option` names the setting that raises it
// (one of option_names.hpp's).
struct LimitViolation {
    std::string option;
    std::size_t limit = 0;
    std::size_t actual = 0;
    std::string what;  // e.g. "JSON nesting depth"

    std::string message() const;
};

// Scans `text` for size, nesting depth, string length and members per object. Does not validate
// the JSON grammar (the parser does that afterwards).
std::optional<LimitViolation> check_json_limits(std::string_view text, const JsonLimits& limits);

}  // namespace mcpshim::rewrite
