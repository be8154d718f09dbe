#pragma once
// What one serving thread works with. Keys, store and config are shared by
// all threads; the upstream pool and caches belong to one thread, so nothing
// on the request path takes a lock except the session store (and its live
// registries).
#include <cstddef>

#include "http/sse_connections.hpp"
#include "record/recording_writer.hpp"
#include "relay/listen_hub.hpp"
#include "serve_config.hpp"
#include "session/opened_tokens.hpp"
#include "session/session_store.hpp"
#include "session/session_token.hpp"
#include "upstream/discover_cache.hpp"
#include "upstream/tool_schema_cache.hpp"
#include "upstream/upstream_pool.hpp"

namespace mcpshim {

struct ShimContext {
    const ServeConfig& config;
    const session::SessionKeyring& keys;
    session::SessionStore& store;
    upstream::UpstreamPool& upstream;
    upstream::DiscoverCache& discover;
    upstream::ToolSchemaCache& tool_schemas;
    session::OpenedTokens& opened_tokens;
    relay::ListenHub& listen_hub;
    http_face::SseConnections& sse_connections;
    record::RecordingWriter* recording = nullptr;  // serve --record
    std::string recording_server;                  // the face's URL, as recordings name servers
    std::size_t open_connections = 0;
};

}  // namespace mcpshim
