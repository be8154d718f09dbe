#pragma once
// Capability objects between the eras.
#include "mcpshim/rewrite/json.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace mcpshim::rewrite {

// A legacy client's initialize capabilities as 2026-07-28 per-request
// `clientCapabilities`: roots loses `listChanged`, the legacy `tasks` is
// replaced by the tasks extension (which the shim always honours),
// everything else is kept.
json modern_client_capabilities(const json& legacy);

// What the shim itself adds on top of the upstream's capabilities.
struct ShimProvided {
    bool logging = true;              // logging/setLevel is answered by the shim
    bool resource_subscribe = false;  // only when updates can be delivered
    bool tasks = false;               // the 2025-11-25 task methods, bridged to the tasks extension
};

// A modern server's capabilities (from server/discover) as a legacy
// InitializeResult's `capabilities` for `version`.
json legacy_server_capabilities(const json& modern, std::string_view version, ShimProvided provided);

// The `subscriptions/listen` filter that carries a legacy session's change
// notifications: every list-changed kind the server announces, plus the
// session's resource subscriptions when the server supports them. An empty
// object means there is nothing to listen for.
json listen_filter(const json& modern_server_capabilities, const std::vector<std::string>& resource_uris);

// Whether the server honours resource subscriptions on listen streams.
bool supports_resource_subscriptions(const json& modern_server_capabilities);

}  // namespace mcpshim::rewrite
