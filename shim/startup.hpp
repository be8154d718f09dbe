#pragma once
// What every face needs before it serves: session keys, upstream endpoints, TLS.
#include <boost/asio/ssl/context.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "serve_config.hpp"
#include "session/redis_session_store.hpp"
#include "session/session_token.hpp"
#include "relay/relay_context.hpp"
#include "upstream/upstream_endpoint.hpp"

namespace mcpshim::startup {

// From --session-key-file, else the key environment variable, else a random key.
session::SessionKeyring load_session_keys(const ServeConfig& config, bool warn_when_random);
std::vector<upstream::UpstreamEndpoint> parse_upstreams(const ServeConfig& config);
boost::asio::ssl::context upstream_tls_context(const ServeConfig& config);
// The upstream side's limits: its own, and the JSON shape limits clients have.
upstream::UpstreamLimits upstream_limits(const ServeConfig& config);

// How many client connections a thread may hold, and the soft limit on open
// files that it needs: each client connection may hold an upstream
// connection too, and the idle upstream pools and listeners need some more.
struct DescriptorPlan {
    std::size_t max_connections = 0;
    std::uint64_t soft_limit = 0;
    std::string error;  // set when the hard limit cannot hold what was asked for
};
DescriptorPlan plan_descriptors(std::size_t requested_connections, unsigned threads, std::size_t idle_upstream,
                                std::uint64_t soft_limit, std::uint64_t hard_limit);

// What every serving thread of a process shares.
struct SharedState {
    SharedState(const ServeConfig& config, bool warn_when_random_key);
    session::SessionKeyring keys;
    std::vector<upstream::UpstreamEndpoint> endpoints;
    // One of the two: this process's store, or its part of the shared one.
    std::unique_ptr<session::MemorySessionStore> memory_store;
    std::unique_ptr<session::RedisFleet> fleet;
    boost::asio::ssl::context tls;
};

// One serving thread's own upstream side, and the context its relays see.
struct ThreadState {
    ThreadState(boost::asio::any_io_executor executor, const ServeConfig& config, SharedState& shared);
    std::unique_ptr<session::RedisSessionStore> shared_store;  // this thread's, when the store is shared
    upstream::UpstreamPool pool;
    upstream::DiscoverCache discover;
    upstream::ToolSchemaCache tool_schemas;
    relay::ListenHub listen_hub;
    relay::RelayContext context;
};

}  // namespace mcpshim::startup
