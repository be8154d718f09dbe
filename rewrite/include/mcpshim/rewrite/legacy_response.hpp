#pragma once
// Modern results, errors and notifications -> what a legacy client of a
// given version understands.
#include "mcpshim/rewrite/json.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "mcpshim/rewrite/capabilities.hpp"

namespace mcpshim::rewrite {

// A server/discover result, read and checked.
struct DiscoverInfo {
    std::vector<std::string> supported_versions;
    json capabilities = json::object();
    json server_info;  // null when the server sent none
    std::optional<std::string> instructions;
    long long ttl_ms = 0;
    bool public_scope = false;  // cacheScope "public": shareable across callers
};

// Reads a discover result; the string says what is wrong with it.
std::variant<DiscoverInfo, std::string> read_discover_result(const json& result);

// The shim's answer to a legacy initialize.
json initialize_result(const DiscoverInfo& discover, std::string_view version, ShimProvided provided,
                       const json& fallback_server_info);

// "complete" when absent, as the spec says of results from older servers.
std::string_view result_type_of(const json& result);

struct LegacyResult {
    json result;
    std::vector<std::string> dropped;  // what was removed and why, for the log
};

// Strips modern-only fields and downgrades content the legacy version lacks.
// tools/list loses tools whose x-mcp-header annotations are invalid.
LegacyResult to_legacy_result(std::string_view method, json result, std::string_view version);

// Maps an upstream error object to the legacy code for the same condition.
json to_legacy_error(std::string_view method, json error, std::string_view version);

// Strips modern-only `_meta` keys from a notification relayed to the client.
json to_legacy_notification(json notification);

}  // namespace mcpshim::rewrite
