#pragma once
// What every face needs before it serves: session keys, upstream endpoints, TLS.
#include <boost/asio/ssl/context.hpp>

#include <vector>

#include "serve_config.hpp"
#include "session/session_token.hpp"
#include "shim_context.hpp"
#include "upstream/upstream_endpoint.hpp"

namespace mcpshim::startup {

// From --session-key-file, else the key environment variable, else a random key.
session::SessionKeyring load_session_keys(const ServeConfig& config, bool warn_when_random);
std::vector<upstream::UpstreamEndpoint> parse_upstreams(const ServeConfig& config);
boost::asio::ssl::context upstream_tls_context(const ServeConfig& config);

// What every serving thread of a process shares.
struct SharedState {
    SharedState(const ServeConfig& config, bool warn_when_random_key);
    session::SessionKeyring keys;
    std::vector<upstream::UpstreamEndpoint> endpoints;
    session::MemorySessionStore store;
    http_face::SseConnections sse_connections;
    boost::asio::ssl::context tls;
};

// One serving thread's own upstream side, and the context its requests see.
struct ThreadState {
    ThreadState(boost::asio::any_io_executor executor, const ServeConfig& config, SharedState& shared);
    upstream::UpstreamPool pool;
    upstream::DiscoverCache discover;
    upstream::ToolSchemaCache tool_schemas;
    session::OpenedTokens opened_tokens;
    relay::ListenHub listen_hub;
    ShimContext context;
};

}  // namespace mcpshim::startup
