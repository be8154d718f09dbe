#pragma once
// Which headers a proxy passes on (RFC 9110 section 7.6.1): hop-by-hop
// headers concern one connection and stop at the proxy, together with every
// header the Connection header names; the framing (Content-Length,
// Transfer-Encoding) and Host are the proxy's own on the next hop.
#include <string_view>

namespace mcpshim::rewrite {

// `connection`: the Connection header's value on the same message.
bool is_hop_by_hop(std::string_view name, std::string_view connection);

// A modern client's request header the shim passes to the upstream.
// Besides the hop-by-hop and framing headers, Mcp-Session-Id (a legacy
// session id the shim sealed: the modern era ignores it, and it is not the
// upstream's to read) and Last-Event-ID (no modern stream resumes) stay.
bool forwards_request_header(std::string_view name, std::string_view connection);

// An upstream response header the shim passes to the client (Content-Type
// and Server are written by the shim's own response head).
bool forwards_response_header(std::string_view name, std::string_view connection);

}  // namespace mcpshim::rewrite
