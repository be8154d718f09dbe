#include "mcpshim/rewrite/json_limits.hpp"
#include "mcpshim/rewrite/option_names.hpp"

#include <vector>

namespace mcpshim::rewrite {

std::string LimitViolation::message() const {
    return what + " is " + std::to_string(actual) + ", over the limit of " + std::to_string(limit) +
           " (raise it with " + option + ")";
}

std::optional<LimitViolation> check_json_limits(std::string_view text, const JsonLimits& limits) {
    if (text.size() > limits.max_body_bytes)
        return LimitViolation{option::max_body_bytes, limits.max_body_bytes, text.size(), "message size in bytes"};
    // Per open container: whether it is an object, and the members seen so
    // far (a member is counted at its colon). The depth bound bounds this.
    struct Open {
        bool object;
        std::size_t members;
    };
    std::vector<Open> open;
    bool in_string = false;
    bool escaped = false;
    std::size_t string_start = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (in_string) {
            if (escaped) {
                escaped = false;
            } else if (c == '\\') {
                escaped = true;
            } else if (c == '"') {
                in_string = false;
                if (i - string_start > limits.max_string_bytes)
                    return LimitViolation{option::max_string_bytes, limits.max_string_bytes, i - string_start,
                                          "a JSON string's length in bytes"};
            }
            continue;
        }
        switch (c) {
            case '"':
                in_string = true;
                string_start = i + 1;
                break;
            case '{':
            case '[':
                if (open.size() + 1 > limits.max_depth)
                    return LimitViolation{option::max_json_depth, limits.max_depth, open.size() + 1, "JSON nesting depth"};
                open.push_back({c == '{', 0});
                break;
            case '}':
            case ']':
                if (!open.empty()) open.pop_back();
                break;
            case ':':
                if (!open.empty() && open.back().object && ++open.back().members > limits.max_object_members)
                    return LimitViolation{option::max_object_members, limits.max_object_members, open.back().members,
                                          "the members of one JSON object"};
                break;
            default:
                break;
        }
    }
    if (in_string && text.size() - string_start > limits.max_string_bytes)
        return LimitViolation{option::max_string_bytes, limits.max_string_bytes, text.size() - string_start,
                              "a JSON string's length in bytes"};
    return std::nullopt;
}

}  // namespace mcpshim::rewrite
