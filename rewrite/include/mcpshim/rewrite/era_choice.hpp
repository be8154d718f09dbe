#pragma once
// Which era serves a request that arrives on the Streamable HTTP endpoint,
// and what a modern server checks of a modern request's headers before it
// reads the body (2026-07-28, Streamable HTTP: Request Metadata, Server
// Validation, Backward Compatibility).
//
// The body decides, as it does for a dual-era server: a request whose
// params._meta carries io.modelcontextprotocol/protocolVersion is modern
// whatever its method; an initialize without such a claim, a batch, a posted
// response, or a request that claims nothing is legacy. The
// MCP-Protocol-Version header decides only what the body leaves open (a
// notification or a request without a claim naming a modern version), so a
// proxy that strips the header cannot change a request's era. GET and DELETE
// belong to the legacy era: the modern one has neither.
#include <optional>
#include <string>
#include <string_view>

#include "mcpshim/rewrite/json.hpp"
#include "mcpshim/rewrite/protocol_version.hpp"

namespace mcpshim::rewrite {

// A header as received: absent, or its value with the optional whitespace
// around it (RFC 9110: SP and HTAB) already stripped.
using HeaderValue = std::optional<std::string_view>;

struct EraSignals {
    std::string_view http_method;  // "POST", "GET", ...
    HeaderValue protocol_version;  // MCP-Protocol-Version
    const json* body = nullptr;    // the parsed body; null when there is none or it is not JSON
};

// An answer given before either era serves the request.
struct EraRefusal {
    unsigned status;
    int code;
    std::string message;
};

struct EraChoice {
    Era era = Era::legacy;
    std::optional<EraRefusal> refusal;
};

EraChoice choose_era(const EraSignals& signals);

// Whether a version names the modern era (2026-07-28 or later, or a version
// the shim does not know that sorts after it: the server will say).
bool names_modern_version(std::string_view version);

// The standard headers of a modern request, checked against its body.
struct ModernHeaders {
    HeaderValue protocol_version;  // MCP-Protocol-Version
    HeaderValue method;            // Mcp-Method
    HeaderValue name;              // Mcp-Name
};

// The HeaderMismatch (-32020, HTTP 400) a modern server answers when the
// headers are missing or disagree with the body, or nullopt. Mcp-Param-*
// headers need the tool's input schema and are left to the server.
std::optional<EraRefusal> check_modern_headers(const ModernHeaders& headers, const json& body);

// The body member Mcp-Name mirrors for `method` (params.name, params.uri,
// params.taskId), or empty when the method has none.
std::string_view mcp_name_source(std::string_view method);

// RFC 9110 optional whitespace (SP, HTAB) around a field value, removed.
std::string_view strip_header_whitespace(std::string_view value);

}  // namespace mcpshim::rewrite
