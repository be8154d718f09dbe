#pragma once
// What the relays work with, whatever face a request came through: their own
// settings, the session store, and this thread's upstream side. A face adds
// its own transport state around it (see http/http_context.hpp).
#include <chrono>
#include <string>

#include "async/mailbox.hpp"
#include "mcpshim/rewrite/json_limits.hpp"
#include "mcpshim/rewrite/protocol_version.hpp"
#include "relay/input_bridge.hpp"
#include "relay/listen_hub.hpp"
#include "session/session_store.hpp"
#include "upstream/discover_cache.hpp"
#include "upstream/tool_schema_cache.hpp"
#include "upstream/upstream_pool.hpp"

namespace mcpshim::relay {

using std::chrono::milliseconds;

// How the shim drives an upstream task for a client that waits on it.
struct TaskPolling {
    milliseconds min_interval{50};       // --task-poll-min-ms: floor under the server's pollIntervalMs
    milliseconds max_interval{5000};     // --task-poll-max-ms: ceiling over it
    milliseconds wait_timeout{1800000};  // --task-wait-timeout-ms: longest a client is kept waiting
};

struct RelaySettings {
    rewrite::JsonLimits json_limits;                  // every client message, on every face
    milliseconds keepalive{15000};                    // --keepalive-ms: comment on a quiet stream
    milliseconds poll_after{0};                       // --poll-after-ms: 2025-11-25 polling for slow answers (0: off)
    std::string max_legacy_version{rewrite::latest_legacy_version};  // --max-legacy-version
    InputLimits input_limits;  // --input-timeout-ms, --max-input-rounds, --max-input-requests
    TaskPolling task_polling;  // --task-poll-min-ms, --task-poll-max-ms, --task-wait-timeout-ms
    // Every queue of messages on their way to one client (stdout, an SSE
    // stream, a GET stream, a slow answer's notifications).
    async::MailboxBounds outbox;  // --max-outbox-messages, --max-outbox-bytes
    // Where the connection is the session (a stdio process, an HTTP+SSE stream).
    std::size_t max_requests_in_flight = 64;  // --max-requests-in-flight
};

// One serving thread's. The settings and store are shared by all threads;
// the upstream pool and caches belong to this one.
struct RelayContext {
    const RelaySettings& settings;
    session::SessionStore& store;
    upstream::UpstreamPool& upstream;
    upstream::DiscoverCache& discover;
    upstream::ToolSchemaCache& tool_schemas;
    ListenHub& listen_hub;
};

}  // namespace mcpshim::relay
