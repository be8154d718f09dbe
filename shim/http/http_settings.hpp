#pragma once
// What only the HTTP faces (Streamable HTTP and HTTP+SSE) are told.
#include <chrono>
#include <cstddef>
#include <string>
#include <vector>


namespace mcpshim::http_face {

using std::chrono::milliseconds;

// What the MCP endpoint does with a modern (2026-07-28) client's request.
enum class ModernClients {
    pass,    // passed through to the upstream untranslated
    reject,  // refused as a legacy-only server would, so a dual-era client falls back to initialize
};

struct HttpSettings {
    std::string listen_host = "127.0.0.1";
    unsigned short listen_port = 3920;
    std::string endpoint_path = "/mcp";
    std::string sse_path = "/sse";            // --sse-path: HTTP+SSE (2024-11-05) stream
    std::string messages_path = "/messages";  // --messages-path: where HTTP+SSE clients POST
    std::chrono::seconds session_ttl{24 * 3600};  // --session-ttl-s
    milliseconds sse_retry{1000};                 // --sse-retry-ms: the retry a priming event announces
    std::vector<std::string> allowed_origins;     // --allow-origin; empty: localhost origins
    std::vector<std::string> allowed_hosts;       // --allow-host; empty: localhost names when bound to loopback
    std::size_t max_header_bytes = 16 * 1024;     // --max-header-bytes
    milliseconds read_timeout{30000};             // --read-timeout-ms: a whole request, and keep-alive idle
    milliseconds write_timeout{30000};            // --write-timeout-ms: one write to a client
    std::size_t max_connections = 0;              // --max-connections (per thread); 0: as the fd limit allows
    milliseconds ready_window{30000};  // --ready-window-ms
    ModernClients modern_clients = ModernClients::pass;  // --modern-clients pass|reject
};

}  // namespace mcpshim::http_face
