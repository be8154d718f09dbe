#pragma once
// The one way untrusted JSON becomes a value: the named limits first (one
// linear scan), then a parse whose cost is linear in its input. A plain
// json::parse of an insertion-ordered object looks every key up among the
// keys before it, which is quadratic in the members of one object.
#include <optional>
#include <string>
#include <string_view>

#include "mcpshim/rewrite/json.hpp"
#include "mcpshim/rewrite/json_limits.hpp"

namespace mcpshim::rewrite {

struct ParsedJson {
    json value;                           // discarded when the text was refused
    std::optional<LimitViolation> limit;  // set when a named limit refused it
    std::string error;                    // empty when the text parsed

    bool ok() const { return error.empty(); }
};

// Refuses grammar errors, the named limits, and duplicate member names (two
// readers could each take a different one of them: a smuggling channel).
ParsedJson parse_json(std::string_view text, const JsonLimits& limits);

}  // namespace mcpshim::rewrite
