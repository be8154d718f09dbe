#include "options/command_options.hpp"

#include "mcpshim/rewrite/option_names.hpp"
#include "mcpshim/rewrite/protocol_version.hpp"
#include "options/option_types.hpp"
#include <map>

namespace mcpshim::options {

void add_json_limit_options(CLI::App& app, rewrite::JsonLimits& limits) {
    app.add_option(option::max_body_bytes, limits.max_body_bytes, "largest request body")->capture_default_str();
    app.add_option(option::max_json_depth, limits.max_depth, "deepest JSON nesting (client messages and upstream answers)")
        ->capture_default_str();
    app.add_option(option::max_string_bytes, limits.max_string_bytes, "longest JSON string")->capture_default_str();
    app.add_option(option::max_object_members, limits.max_object_members,
                   "most members in one JSON object (client messages and upstream answers)")
        ->capture_default_str();
}

void add_relay_options(CLI::App& app, relay::RelaySettings& settings) {
    app.add_option(option::max_legacy_version, settings.max_legacy_version, "newest legacy protocol version to negotiate")
        ->check(CLI::IsMember(std::vector<std::string>(rewrite::legacy_versions.begin(), rewrite::legacy_versions.end())))
        ->capture_default_str();
    add_json_limit_options(app, settings.json_limits);
    add_duration(app, option::keepalive_ms, settings.keepalive, "keep-alive comment interval on a quiet GET stream");
    add_duration(app, option::input_timeout_ms, settings.input_limits.answer_timeout,
                 "how long a legacy client has to answer a sampling, elicitation or roots request");
    app.add_option(option::max_input_rounds, settings.input_limits.max_rounds,
                   "input rounds one request may take before the shim gives up")
        ->capture_default_str();
    app.add_option(option::max_input_requests, settings.input_limits.max_requests_per_round,
                   "input requests one round may ask of the client")
        ->capture_default_str();
    add_duration(app, option::task_poll_min_ms, settings.task_polling.min_interval,
                 "shortest wait between two polls of an upstream task, whatever its pollIntervalMs");
    add_duration(app, option::task_poll_max_ms, settings.task_polling.max_interval,
                 "longest wait between two polls of an upstream task");
    add_duration(app, option::task_wait_timeout_ms, settings.task_polling.wait_timeout,
                 "longest the shim waits on an upstream task for a client (tasks/result, or a client without tasks)");
    app.add_option(option::max_outbox_bytes, settings.outbox.max_bytes,
                   "bytes written for one client and not yet sent (stdout, an HTTP+SSE stream); past it the slow "
                   "client is disconnected")
        ->capture_default_str();
    app.add_option(option::max_outbox_messages, settings.outbox.max_messages,
                   "messages waiting for one client (stdout, an SSE or GET stream, a slow answer's notifications); "
                   "past it a stream is closed, a GET stream drops its oldest, an upstream read waits")
        ->capture_default_str();
    app.add_option(option::max_requests_in_flight, settings.max_requests_in_flight,
                   "requests one stdio process or HTTP+SSE stream may have served at once; more are answered with "
                   "an error")
        ->capture_default_str();
}

void add_store_options(CLI::App& app, session::StoreLimits& limits) {
    app.add_option(option::max_session_entries, limits.max_entries,
                   "sessions with mutable state (log level, ended) kept at once")
        ->capture_default_str();
    app.add_option(option::max_subscriptions, limits.max_subscriptions, "resource subscriptions one session may hold")
        ->capture_default_str();
    app.add_option(option::max_entries_per_principal, limits.max_entries_per_principal,
                   "sessions with mutable state one set of credentials may have (anonymous clients share one)")
        ->capture_default_str();
    app.add_option(option::max_session_bytes, limits.max_session_bytes,
                   "bytes one session may keep in the store: subscription URIs and results held as tasks")
        ->capture_default_str();
    app.add_option(option::max_tasks, limits.max_tasks,
                   "tasks one session keeps reachable through tasks/get, tasks/result, tasks/list (oldest dropped)")
        ->capture_default_str();
}

void add_replay_options(CLI::App& app, session::ReplayLimits& limits) {
    app.add_option(option::replay_max_events, limits.max_events_per_stream,
                   "events kept per SSE stream for Last-Event-ID resumption")
        ->capture_default_str();
    app.add_option(option::replay_max_streams, limits.max_streams, "SSE streams kept for resumption")
        ->capture_default_str();
    add_duration(app, option::replay_ttl_ms, limits.max_age, "how long a quiet stream stays resumable");
    app.add_option(option::replay_max_stream_bytes, limits.max_bytes_per_stream,
                   "bytes of events kept per SSE stream for resumption (the newest event is always kept)")
        ->capture_default_str();
    app.add_option(option::replay_max_bytes, limits.max_total_bytes, "bytes of events kept for all streams")
        ->capture_default_str();
}

void add_redis_options(CLI::App& app, redis::RedisSettings& settings) {
    add_duration(app, option::redis_connect_timeout_ms, settings.connect_timeout,
                 "time to connect to the session store (TCP, AUTH and SELECT)");
    add_duration(app, option::redis_timeout_ms, settings.command_timeout,
                 "longest wait for a session-store reply; a later one fails the request's store step");
    add_duration(app, option::redis_retry_ms, settings.retry_after,
                 "after a failed connection, how long requests fail at once before the next attempt");
    app.add_option(option::redis_max_pending, settings.max_pending,
                   "session-store commands awaiting replies per connection; more fail at once")
        ->capture_default_str();
}

void add_shared_store_options(CLI::App& app, session::SharedStoreSettings& settings) {
    app.add_option(option::session_store, settings.url,
                   "where sessions' state lives: memory (this process), or redis://[:PASSWORD@]HOST:PORT[/DB], "
                   "shared by every shim instance serving the same clients")
        ->check([](const std::string& url) {
            if (url == "memory") return std::string();
            std::string error;
            return redis::parse_redis_url(url, error) ? std::string() : error;
        })
        ->capture_default_str();
    app.add_option(option::redis_key_prefix, settings.key_prefix,
                   "prefix of every key and channel the shared store uses (fleets sharing one Redis differ here)")
        ->capture_default_str();
    app.add_option(option::store_cache_entries, settings.cache_entries,
                   "sessions whose state (ended, log level, subscriptions) each process keeps from the shared "
                   "store, so unchanged sessions cost no round trip (0: none)")
        ->capture_default_str();
    add_duration(app, option::fleet_heartbeat_ms, settings.heartbeat,
                 "how often an instance tells the shared store it lives; silent for three beats, it is taken as "
                 "stopped and a stream it was writing, resumed elsewhere, ends with an error for what it left "
                 "unanswered");
    add_redis_options(app, settings.redis);
}

void add_upstream_wait_options(CLI::App& app, upstream::UpstreamTimeouts& timeouts) {
    add_duration(app, option::upstream_timeout_ms, timeouts.response, "time until an upstream's response starts");
    add_duration(app, option::upstream_idle_timeout_ms, timeouts.idle,
                 "longest silence inside an upstream response stream");
}

void add_upstream_pool_options(CLI::App& app, upstream::UpstreamTimeouts& timeouts, upstream::UpstreamLimits& limits) {
    add_upstream_wait_options(app, timeouts);
    add_duration(app, option::upstream_connect_timeout_ms, timeouts.connect, "time to connect to an upstream");
    add_duration(app, option::upstream_keepalive_ms, timeouts.keepalive, "how long an idle upstream connection is reused");
    app.add_option(option::max_upstream_response_bytes, limits.max_response_bytes, "largest upstream JSON response")
        ->capture_default_str();
    app.add_option(option::max_sse_event_bytes, limits.max_event_bytes, "largest upstream SSE event")
        ->capture_default_str();
    app.add_option(option::upstream_max_idle, limits.max_idle_connections,
                   "idle keep-alive connections kept per upstream instance")
        ->capture_default_str();
}

void add_http_read_options(CLI::App& app, std::size_t& max_header_bytes, std::chrono::milliseconds& read_timeout) {
    app.add_option(option::max_header_bytes, max_header_bytes, "largest request header block")->capture_default_str();
    add_duration(app, option::read_timeout_ms, read_timeout, "time to receive a whole request, and keep-alive idle time");
}

void add_http_options(CLI::App& app, http_face::HttpSettings& settings, std::string& listen) {
    app.add_option(option::listen, listen, "address:port to accept legacy clients on")->capture_default_str();
    app.add_option(option::path, settings.endpoint_path, "path of the MCP endpoint")->capture_default_str();
    app.add_option(option::sse_path, settings.sse_path, "path of the HTTP+SSE (2024-11-05) stream")->capture_default_str();
    app.add_option(option::messages_path, settings.messages_path, "where HTTP+SSE (2024-11-05) clients POST")
        ->capture_default_str();
    add_duration(app, option::session_ttl_s, settings.session_ttl, "lifetime of a legacy session id, in seconds");
    app.add_option(option::allow_origin, settings.allowed_origins,
                   "allowed Origin (scheme://host[:port], or *); default: localhost origins");
    app.add_option(option::allow_host, settings.allowed_hosts,
                   "allowed Host name (or *); default: loopback names when listening on loopback");
    add_http_read_options(app, settings.max_header_bytes, settings.read_timeout);
    add_duration(app, option::write_timeout_ms, settings.write_timeout, "time for one write to a client");
    app.add_option(option::max_connections, settings.max_connections,
                   "open client connections per thread (default: as many as the file-descriptor limit allows, at "
                   "most 10000)");
    add_duration(app, option::sse_retry_ms, settings.sse_retry, "reconnection delay announced to 2025-11-25 clients");
    add_duration(app, option::ready_window_ms, settings.ready_window,
                 "/readyz is ready when server/discover succeeded this recently");
    const std::map<std::string, http_face::ModernClients> modern{{"pass", http_face::ModernClients::pass},
                                                                 {"reject", http_face::ModernClients::reject}};
    app.add_option(option::modern_clients, settings.modern_clients,
                   "modern (2026-07-28) clients on the MCP endpoint: pass (through to the upstream, untranslated) "
                   "or reject (a legacy-only front: they fall back to initialize)")
        ->transform(CLI::CheckedTransformer(modern, CLI::ignore_case))
        ->default_str("pass");
}

namespace {
// What serve and stdio share: the relay, the store and the upstream side.
void add_relaying_command_options(CLI::App& app, ServeConfig& config) {
    app.add_option(option::upstream, config.upstream_urls,
                   "URL of a modern (2026-07-28) MCP endpoint; repeat for several instances of one server, "
                   "balanced round-robin")
        ->required();
    add_relay_options(app, config.relay);
    add_store_options(app, config.store_limits);
    add_upstream_pool_options(app, config.upstream_timeouts, config.upstream_limits);
    add_duration(app, option::tool_schema_min_ttl_ms, config.tool_schema_min_ttl,
                 "shortest time the upstream's tool schemas are reused for Mcp-Param-* headers");
    app.add_option(option::upstream_ca_file, config.upstream_ca_file, "CA bundle for https upstreams");
    app.add_flag(option::upstream_insecure, config.upstream_insecure, "do not verify https upstream certificates");
}
}  // namespace

void add_stdio_command_options(CLI::App& stdio, ServeConfig& config) {
    add_relaying_command_options(stdio, config);
    add_drain_option(stdio, config.drain_timeout);
}

void add_drain_option(CLI::App& app, std::chrono::milliseconds& timeout) {
    add_duration(app, option::drain_timeout_ms, timeout,
                 "when the shim stops (stdio: stdin closed; serve: SIGTERM or SIGINT), how long requests under way "
                 "may take to be answered");
}

void add_serve_command_options(CLI::App& serve, ServeConfig& config, std::string& listen) {
    add_relaying_command_options(serve, config);
    add_drain_option(serve, config.drain_timeout);
    add_http_options(serve, config.http, listen);
    add_replay_options(serve, config.replay_limits);
    add_shared_store_options(serve, config.shared_store);
    add_duration(serve, option::poll_after_ms, config.relay.poll_after,
                 "2025-11-25 sessions: close a slow answer's stream after this long and let the client poll (0: never)");
    serve.add_option(option::threads, config.threads, "serving threads (each with its own upstream connections)")
        ->capture_default_str();
    serve.add_option(option::session_key_file, config.session_key_file,
                     "file with 32-byte session keys (64 hex digits or base64), one per line; the first seals, all "
                     "open. Without it: $MCPSHIM_SESSION_KEY, else a random key per process");
    serve.add_option(option::session_cache, config.opened_token_cache,
                     "session ids each thread keeps opened, to skip decrypting them on every request (0: none)")
        ->capture_default_str();
    serve.add_option(option::record, config.record_path,
                     "also write the legacy clients' traffic to this recording (JSON lines, as `mcpshim record` "
                     "writes; for `mcpshim analyze`)");
}

void add_record_command_options(CLI::App& record, record::RecordConfig& config, std::string& listen) {
    record.add_option(option::upstream, config.upstream_url, "http:// URL of the server to record")->required();
    record.add_option(option::out, config.out_path, "recording file to write (JSON lines)")->required();
    record.add_option(option::listen, listen, "address:port for clients")->capture_default_str();
    add_http_read_options(record, config.max_header_bytes, config.read_timeout);
    record.add_option(option::max_body_bytes, config.max_body_bytes,
                      "largest request body, and largest JSON response recorded whole")
        ->capture_default_str();
    record.add_option(option::max_recorded_text, config.max_recorded_text, "bytes of a non-JSON body kept in the recording")
        ->capture_default_str();
    add_upstream_wait_options(record, config.upstream_timeouts);
}

void add_analyze_command_options(CLI::App& analyze, analyzer::AnalyzeOptions& options, bool& no_progress) {
    analyze.add_option("files", options.files, "log files to read")->required();
    analyze.add_option(option::format, options.format, "text, json, sarif or markdown")->capture_default_str();
    analyze
        .add_option(option::fail_on, options.fail_on,
                    "exit 1 when a finding is this severe or worse (breaks-when-stateless, breaks-behind-round-robin, "
                    "needs-translation, informational, never)")
        ->capture_default_str();
    analyze.add_option(option::out, options.out_path, "write the report here instead of standard output");
    analyze
        .add_option(option::max_live_sessions, options.limits.max_live_sessions,
                    "sessions followed at once; the least recently active is judged and let go (bounds memory)")
        ->capture_default_str();
    analyze.add_option(option::max_json_depth, options.limits.json.max_depth, "deepest JSON nesting in a log entry")
        ->capture_default_str();
    analyze
        .add_option(option::max_object_members, options.limits.json.max_object_members,
                    "most members in one JSON object of a log entry")
        ->capture_default_str();
    analyze.add_option(
        option::max_entry_bytes,
        [&options](const CLI::results_t& results) {
            const auto bytes = parse_whole<std::size_t>(results.front());
            if (!bytes) return false;
            options.limits.json.max_body_bytes = options.limits.json.max_string_bytes = *bytes;
            return true;
        },
        "largest JSON text in a log (a recording line, a HAR body) (default " +
            std::to_string(options.limits.json.max_body_bytes) + ")");
    analyze.add_flag(option::no_progress, no_progress, "no progress line on a terminal");
}

}  // namespace mcpshim::options
