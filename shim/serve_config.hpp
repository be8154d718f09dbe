#pragma once
// Everything `mcpshim serve` and `mcpshim stdio` can be told, grouped by the
// layer that reads it; each limit here is a named option.
#include <chrono>
#include <string>
#include <vector>

#include "http/http_settings.hpp"
#include "relay/relay_context.hpp"
#include "session/redis_session_store.hpp"
#include "session/replay_buffer.hpp"
#include "session/session_store.hpp"
#include "upstream/upstream_pool.hpp"

namespace mcpshim {

using std::chrono::milliseconds;

struct ServeConfig {
    relay::RelaySettings relay;      // every face
    http_face::HttpSettings http;    // serve only
    std::vector<std::string> upstream_urls;
    unsigned threads = 1;

    std::string session_key_file;  // --session-key-file
    std::string session_key_env = "MCPSHIM_SESSION_KEY";
    std::size_t opened_token_cache = 4096;  // --session-cache: opened ids kept per thread
    session::StoreLimits store_limits;      // --max-session-entries, --max-subscriptions, --max-tasks
    session::ReplayLimits replay_limits;    // --replay-max-events, --replay-max-streams, --replay-ttl-ms
    session::SharedStoreSettings shared_store;  // --session-store, --redis-*, --store-cache-entries

    upstream::UpstreamTimeouts upstream_timeouts;
    upstream::UpstreamLimits upstream_limits;
    milliseconds tool_schema_min_ttl{30000};  // --tool-schema-min-ttl-ms
    milliseconds drain_timeout{10000};        // --drain-timeout-ms: answers finished after stdin closes or SIGTERM
    std::string record_path;                  // --record: write the legacy face's traffic here
    std::string upstream_ca_file;             // --upstream-ca-file
    bool upstream_insecure = false;           // --upstream-insecure
};

}  // namespace mcpshim
