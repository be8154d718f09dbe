#pragma once
// Everything `mcpshim serve` can be told; each limit here is a named option.
#include <chrono>
#include <string>
#include <vector>

#include "http/input_bridge.hpp"
#include "http/sse_connections.hpp"
#include "mcpshim/rewrite/json_limits.hpp"
#include "mcpshim/rewrite/protocol_version.hpp"
#include "session/replay_buffer.hpp"
#include "session/session_store.hpp"
#include "upstream/upstream_pool.hpp"

namespace mcpshim {

using std::chrono::milliseconds;

// How the shim drives an upstream task for a client that waits on it.
struct TaskPolling {
    milliseconds min_interval{50};         // --task-poll-min-ms: floor under the server's pollIntervalMs
    milliseconds max_interval{5000};       // --task-poll-max-ms: ceiling over it
    milliseconds wait_timeout{1800000};    // --task-wait-timeout-ms: longest a client is kept waiting
};

struct ServeConfig {
    std::string listen_host = "127.0.0.1";
    unsigned short listen_port = 3920;
    std::string endpoint_path = "/mcp";
    std::string sse_path = "/sse";            // --sse-path: HTTP+SSE (2024-11-05) stream
    std::string messages_path = "/messages";  // --messages-path: where HTTP+SSE clients POST
    std::vector<std::string> upstream_urls;
    unsigned threads = 1;

    std::string session_key_file;  // --session-key-file
    std::string session_key_env = "MCPSHIM_SESSION_KEY";
    std::chrono::seconds session_ttl{24 * 3600};      // --session-ttl-s
    std::size_t opened_token_cache = 4096;            // --session-cache: opened ids kept per thread
    session::StoreLimits store_limits;                // --max-session-entries, --max-subscriptions, --max-tasks
    milliseconds keepalive{15000};                    // --keepalive-ms: comment on a quiet GET stream
    milliseconds poll_after{0};                       // --poll-after-ms: 2025-11-25 polling for slow answers (0: off)
    milliseconds sse_retry{1000};                     // --sse-retry-ms: the retry a priming event announces
    session::ReplayLimits replay_limits;              // --replay-max-events, --replay-max-streams, --replay-ttl-ms
    std::string max_legacy_version{rewrite::latest_legacy_version};

    std::vector<std::string> allowed_origins;  // --allow-origin; empty: localhost origins
    std::vector<std::string> allowed_hosts;    // --allow-host; empty: localhost names when bound to loopback

    rewrite::JsonLimits json_limits;
    std::size_t max_header_bytes = 16 * 1024;  // --max-header-bytes
    milliseconds read_timeout{30000};          // --read-timeout-ms: a whole request, and keep-alive idle
    milliseconds write_timeout{30000};         // --write-timeout-ms: one write to a client
    std::size_t max_connections = 0;           // --max-connections (per thread); 0: as the fd limit allows
    http_face::SseConnectionLimits sse_limits;  // --max-outbox-bytes, --max-outbox-messages, --max-requests-in-flight

    upstream::UpstreamTimeouts upstream_timeouts;
    upstream::UpstreamLimits upstream_limits;
    http_face::InputLimits input_limits;      // --input-timeout-ms, --max-input-rounds, --max-input-requests
    TaskPolling task_polling;                 // --task-poll-min-ms, --task-poll-max-ms, --task-wait-timeout-ms
    milliseconds tool_schema_min_ttl{30000};  // --tool-schema-min-ttl-ms
    milliseconds ready_window{30000};         // --ready-window-ms
    milliseconds drain_timeout{10000};        // --drain-timeout-ms: stdio, answers finished after stdin closes
    std::string record_path;                  // --record: write the legacy face's traffic here
    std::string upstream_ca_file;             // --upstream-ca-file
    bool upstream_insecure = false;           // --upstream-insecure
};

}  // namespace mcpshim
