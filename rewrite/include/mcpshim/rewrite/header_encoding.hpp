#pragma once
// The 2026-07-28 request headers mirrored from the body: the Base64 sentinel
// encoding of values, and `x-mcp-header` annotations on tool input schemas.
#include "mcpshim/rewrite/json.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mcpshim::rewrite {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

// A value as it goes into `Mcp-Name` or `Mcp-Param-*`: as is when it is plain
// visible ASCII without edge whitespace, else `=?base64?...?=`.
std::string encode_header_value(std::string_view utf8);
// The inverse, for readers of captured traffic; nullopt for a broken sentinel.
std::optional<std::string> decode_header_value(std::string_view header_value);

// One annotated parameter: the chain of `properties` keys, and the header
// name suffix (`Region` for `Mcp-Param-Region`).
struct HeaderAnnotation {
    std::vector<std::string> path;
    std::string header;
};

// What a tool's input schema asks of a client. An invalid tool must not be
// offered to the legacy client (the spec makes clients drop it).
struct ToolHeaderSpec {
    bool valid = true;
    std::string reason;  // why it is invalid
    std::vector<HeaderAnnotation> params;
};

ToolHeaderSpec inspect_tool_headers(const json& input_schema);

// `Mcp-Param-*` headers for one call's arguments.
HeaderList param_headers(const ToolHeaderSpec& spec, const json& arguments);

}  // namespace mcpshim::rewrite
