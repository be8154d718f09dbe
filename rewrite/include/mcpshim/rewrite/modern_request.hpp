#pragma once
// Legacy request + session -> a stateless 2026-07-28 request and the HTTP
// headers it implies.
#include "mcpshim/rewrite/json.hpp"

#include <optional>
#include <string>
#include <string_view>

#include "mcpshim/rewrite/header_encoding.hpp"
#include "mcpshim/rewrite/session_view.hpp"

namespace mcpshim::rewrite {

namespace meta_key {
inline constexpr std::string_view protocol_version = "io.modelcontextprotocol/protocolVersion";
inline constexpr std::string_view client_capabilities = "io.modelcontextprotocol/clientCapabilities";
inline constexpr std::string_view client_info = "io.modelcontextprotocol/clientInfo";
inline constexpr std::string_view log_level = "io.modelcontextprotocol/logLevel";
inline constexpr std::string_view server_info = "io.modelcontextprotocol/serverInfo";
inline constexpr std::string_view subscription_id = "io.modelcontextprotocol/subscriptionId";
inline constexpr std::string_view traceparent = "traceparent";
inline constexpr std::string_view tracestate = "tracestate";
inline constexpr std::string_view baggage = "baggage";
}  // namespace meta_key

struct ModernRequest {
    json body;           // the JSON-RPC request to POST
    HeaderList headers;  // MCP-Protocol-Version, Mcp-Method, Mcp-Name, Mcp-Param-*
};

// The `_meta` keys every modern request carries for this session.
json modern_meta(const SessionView& session, const TraceContext& trace);

// `params.name`, `params.uri` or `params.taskId` for the methods whose name goes in `Mcp-Name`.
std::optional<std::string> mcp_name_of(std::string_view method, const json& params);

// Rewrites `legacy_request` (method and params; its id is replaced by
// `upstream_id`). For tools/call, `tool` is the called tool's header spec
// when the shim knows the tool's input schema.
ModernRequest to_modern_request(const json& legacy_request, const json& upstream_id, const SessionView& session,
                                const TraceContext& trace, const ToolHeaderSpec* tool = nullptr);

}  // namespace mcpshim::rewrite
