#pragma once
// What one serving thread of the HTTP faces works with: the relays' context,
// and the transport state only HTTP has (sealed session ids, HTTP+SSE
// streams, the recorder). Nothing on the request path takes a lock except
// the session store (and its live registries).
#include <cstddef>
#include <string>

#include "http/drain.hpp"
#include "http/http_settings.hpp"
#include "http/sse_connections.hpp"
#include "record/recording_writer.hpp"
#include "relay/relay_context.hpp"
#include "session/opened_tokens.hpp"
#include "session/session_token.hpp"

namespace mcpshim::http_face {

struct HttpContext : relay::RelayContext {
    const HttpSettings& config;
    const session::SessionKeyring& keys;
    session::OpenedTokens& opened_tokens;
    SseConnections& sse_connections;
    record::RecordingWriter* recording = nullptr;  // serve --record
    std::string recording_server;                  // the face's URL, as recordings name servers
    std::size_t open_connections = 0;
    Drain* drain = nullptr;  // serve's graceful stop; none for other listeners
};

}  // namespace mcpshim::http_face
