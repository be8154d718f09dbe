// mcpshim: carries legacy MCP clients to stateless 2026-07-28 servers.
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include <unistd.h>
#include <iostream>

#include "mcpshim/analyzer/analyze_command.hpp"
#include "record/record_proxy.hpp"
#include "serve_command.hpp"
#include "stdio_command.hpp"

namespace {

using mcpshim::ServeConfig;

void add_ms_option(CLI::App& app, const std::string& name, std::chrono::milliseconds& target, const std::string& help) {
    app.add_option(
        name,
        [&target](const CLI::results_t& r) {
            target = std::chrono::milliseconds(std::stoll(r.front()));
            return true;
        },
        help + " (default " + std::to_string(target.count()) + ")");
}

// Options every face has: the upstream, message limits, input rounds, subscriptions.
void add_upstream_options(CLI::App& app, ServeConfig& config) {
    app.add_option("--upstream", config.upstream_urls,
                   "URL of a modern (2026-07-28) MCP endpoint; repeat for several instances of one server, "
                   "balanced round-robin")
        ->required();
    app.add_option("--max-session-entries", config.store_limits.max_entries,
                   "sessions with mutable state (log level, ended) kept at once")
        ->capture_default_str();
    app.add_option("--max-legacy-version", config.relay.max_legacy_version, "newest legacy protocol version to negotiate")
        ->check(CLI::IsMember({"2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25"}))
        ->capture_default_str();
    app.add_option("--max-body-bytes", config.relay.json_limits.max_body_bytes, "largest request body")
        ->capture_default_str();
    app.add_option("--max-json-depth", config.relay.json_limits.max_depth, "deepest JSON nesting")->capture_default_str();
    app.add_option("--max-string-bytes", config.relay.json_limits.max_string_bytes, "longest JSON string")
        ->capture_default_str();
    app.add_option("--max-object-members", config.relay.json_limits.max_object_members,
                   "most members in one JSON object (client messages and upstream answers)")
        ->capture_default_str();
    add_ms_option(app, "--upstream-connect-timeout-ms", config.upstream_timeouts.connect,
                  "time to connect to an upstream");
    add_ms_option(app, "--upstream-timeout-ms", config.upstream_timeouts.response,
                  "time until an upstream's response starts");
    add_ms_option(app, "--upstream-idle-timeout-ms", config.upstream_timeouts.idle,
                  "longest silence inside an upstream response stream");
    add_ms_option(app, "--upstream-keepalive-ms", config.upstream_timeouts.keepalive,
                  "how long an idle upstream connection is reused");
    app.add_option("--max-upstream-response-bytes", config.upstream_limits.max_response_bytes,
                   "largest upstream JSON response")
        ->capture_default_str();
    app.add_option("--max-sse-event-bytes", config.upstream_limits.max_event_bytes, "largest upstream SSE event")
        ->capture_default_str();
    app.add_option("--upstream-max-idle", config.upstream_limits.max_idle_connections,
                   "idle keep-alive connections kept per upstream instance")
        ->capture_default_str();
    app.add_option("--max-subscriptions", config.store_limits.max_subscriptions,
                   "resource subscriptions one session may hold")
        ->capture_default_str();
    app.add_option("--max-entries-per-principal", config.store_limits.max_entries_per_principal,
                   "sessions with mutable state one set of credentials may have (anonymous clients share one)")
        ->capture_default_str();
    app.add_option("--max-session-bytes", config.store_limits.max_session_bytes,
                   "bytes one session may keep in the store: subscription URIs and results held as tasks")
        ->capture_default_str();
    app.add_option("--max-tasks", config.store_limits.max_tasks,
                   "tasks one session keeps reachable through tasks/get, tasks/result, tasks/list (oldest dropped)")
        ->capture_default_str();
    add_ms_option(app, "--task-poll-min-ms", config.relay.task_polling.min_interval,
                  "shortest wait between two polls of an upstream task, whatever its pollIntervalMs");
    add_ms_option(app, "--task-poll-max-ms", config.relay.task_polling.max_interval,
                  "longest wait between two polls of an upstream task");
    add_ms_option(app, "--task-wait-timeout-ms", config.relay.task_polling.wait_timeout,
                  "longest the shim waits on an upstream task for a client (tasks/result, or a client without "
                  "tasks)");
    add_ms_option(app, "--keepalive-ms", config.relay.keepalive, "keep-alive comment interval on a quiet GET stream");
    add_ms_option(app, "--input-timeout-ms", config.relay.input_limits.answer_timeout,
                  "how long a legacy client has to answer a sampling, elicitation or roots request");
    app.add_option("--max-input-rounds", config.relay.input_limits.max_rounds,
                   "input rounds one request may take before the shim gives up")
        ->capture_default_str();
    app.add_option("--max-input-requests", config.relay.input_limits.max_requests_per_round,
                   "input requests one round may ask of the client")
        ->capture_default_str();
    add_ms_option(app, "--tool-schema-min-ttl-ms", config.tool_schema_min_ttl,
                  "shortest time the upstream's tool schemas are reused for Mcp-Param-* headers");
    app.add_option("--upstream-ca-file", config.upstream_ca_file, "CA bundle for https upstreams");
    app.add_flag("--upstream-insecure", config.upstream_insecure, "do not verify https upstream certificates");
}

// Options of the HTTP face.
void add_http_options(CLI::App& serve, ServeConfig& config, std::string& listen) {
    serve.add_option("--listen", listen, "address:port to accept legacy clients on")->capture_default_str();
    serve.add_option("--path", config.http.endpoint_path, "path of the MCP endpoint")->capture_default_str();
    serve.add_option("--sse-path", config.http.sse_path, "path of the HTTP+SSE (2024-11-05) stream")->capture_default_str();
    serve.add_option("--messages-path", config.http.messages_path, "where HTTP+SSE (2024-11-05) clients POST")
        ->capture_default_str();
    serve.add_option("--threads", config.threads, "serving threads (each with its own upstream connections)")
        ->capture_default_str();
    serve.add_option("--session-key-file", config.session_key_file,
                     "file with 32-byte session keys (64 hex digits or base64), one per line; the first seals, all "
                     "open. Without it: $MCPSHIM_SESSION_KEY, else a random key per process");
    serve.add_option(
        "--session-ttl-s",
        [&config](const CLI::results_t& r) {
            config.http.session_ttl = std::chrono::seconds(std::stoll(r.front()));
            return true;
        },
        "lifetime of a legacy session id, in seconds (default 86400)");
    serve
        .add_option("--session-cache", config.opened_token_cache,
                    "session ids each thread keeps opened, to skip decrypting them on every request (0: none)")
        ->capture_default_str();
    serve.add_option("--allow-origin", config.http.allowed_origins,
                     "allowed Origin (scheme://host[:port], or *); default: localhost origins");
    serve.add_option("--allow-host", config.http.allowed_hosts,
                     "allowed Host name (or *); default: loopback names when listening on loopback");
    serve.add_option("--max-header-bytes", config.http.max_header_bytes, "largest request header block")
        ->capture_default_str();
    add_ms_option(serve, "--read-timeout-ms", config.http.read_timeout,
                  "time to receive a whole request, and keep-alive idle time");
    add_ms_option(serve, "--write-timeout-ms", config.http.write_timeout, "time for one write to a client");
    serve.add_option("--max-connections", config.http.max_connections,
                     "open client connections per thread (default: as many as the file-descriptor limit allows, "
                     "at most 10000)");
    serve
        .add_option("--max-outbox-bytes", config.http.sse_limits.max_outbox_bytes,
                    "HTTP+SSE: bytes written to a client's stream and not yet sent; past it the slow client is "
                    "disconnected")
        ->capture_default_str();
    serve
        .add_option("--max-outbox-messages", config.http.sse_limits.max_outbox_messages,
                    "HTTP+SSE: messages waiting on a client's stream; past it the slow client is disconnected")
        ->capture_default_str();
    serve
        .add_option("--max-requests-in-flight", config.http.sse_limits.max_requests_in_flight,
                    "HTTP+SSE: requests one connection may have served at once; more are answered with an error")
        ->capture_default_str();
    add_ms_option(
        serve, "--poll-after-ms", config.relay.poll_after,
        "2025-11-25 sessions: close a slow answer's stream after this long and let the client poll (0: never)");
    add_ms_option(serve, "--sse-retry-ms", config.http.sse_retry, "reconnection delay announced to 2025-11-25 clients");
    serve
        .add_option("--replay-max-events", config.replay_limits.max_events_per_stream,
                    "events kept per SSE stream for Last-Event-ID resumption")
        ->capture_default_str();
    serve.add_option("--replay-max-streams", config.replay_limits.max_streams, "SSE streams kept for resumption")
        ->capture_default_str();
    add_ms_option(serve, "--replay-ttl-ms", config.replay_limits.max_age, "how long a quiet stream stays resumable");
    serve
        .add_option("--replay-max-stream-bytes", config.replay_limits.max_bytes_per_stream,
                    "bytes of events kept per SSE stream for resumption (the newest event is always kept)")
        ->capture_default_str();
    serve.add_option("--replay-max-bytes", config.replay_limits.max_total_bytes, "bytes of events kept for all streams")
        ->capture_default_str();
    serve.add_option("--record", config.record_path,
                     "also write the legacy clients' traffic to this recording (JSON lines, as `mcpshim record` "
                     "writes; for `mcpshim analyze`)");
    add_ms_option(serve, "--ready-window-ms", config.http.ready_window,
                  "/readyz is ready when server/discover succeeded this recently");
}

bool apply_listen(const std::string& listen, ServeConfig& config) {
    const auto colon = listen.rfind(':');
    if (colon == std::string::npos) return false;
    std::string host = listen.substr(0, colon);
    if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    config.http.listen_host = host.empty() ? "127.0.0.1" : host;
    config.http.listen_port = static_cast<unsigned short>(std::stoul(listen.substr(colon + 1)));
    return true;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"mcpshim: serves legacy MCP clients (2024-11-05 .. 2025-11-25) from stateless 2026-07-28 servers"};
    app.require_subcommand(1);
    app.set_version_flag("--version", MCPSHIM_VERSION);
    std::string log_level = "info";
    app.add_option("--log-level", log_level, "trace, debug, info, warn, error, off")->capture_default_str();

    ServeConfig config;
    std::string listen = "127.0.0.1:3920";
    auto* serve = app.add_subcommand("serve", "proxy legacy Streamable HTTP clients to modern upstream servers");
    add_upstream_options(*serve, config);
    add_http_options(*serve, config, listen);
    auto* stdio = app.add_subcommand(
        "stdio",
        "serve one legacy client on stdin/stdout (a desktop app spawns the shim) from modern upstream servers");
    add_upstream_options(*stdio, config);
    add_ms_option(*stdio, "--drain-timeout-ms", config.drain_timeout,
                  "after stdin closes, how long requests still under way may take to be answered");

    mcpshim::record::RecordConfig record_config;
    std::string record_listen = "127.0.0.1:3921";
    auto* record = app.add_subcommand(
        "record", "record the traffic of an existing (legacy) MCP server: a transparent proxy writing JSON lines");
    record->add_option("--upstream", record_config.upstream_url, "http:// URL of the server to record")->required();
    record->add_option("--out", record_config.out_path, "recording file to write (JSON lines)")->required();
    record->add_option("--listen", record_listen, "address:port for clients")->capture_default_str();
    record->add_option("--max-header-bytes", record_config.max_header_bytes, "largest request header block")
        ->capture_default_str();
    record
        ->add_option("--max-body-bytes", record_config.max_body_bytes,
                     "largest request body, and largest JSON response recorded whole")
        ->capture_default_str();
    record
        ->add_option("--max-recorded-text", record_config.max_recorded_text,
                     "bytes of a non-JSON body kept in the recording")
        ->capture_default_str();
    add_ms_option(*record, "--read-timeout-ms", record_config.read_timeout, "time to receive a whole request");
    add_ms_option(*record, "--upstream-timeout-ms", record_config.upstream_timeout,
                  "time until the upstream's response headers");
    add_ms_option(*record, "--idle-timeout-ms", record_config.idle_timeout, "longest silence inside a response stream");

    mcpshim::analyzer::AnalyzeOptions analyze_options;
    auto* analyze = app.add_subcommand(
        "analyze", "read traffic logs (mcpshim recordings, HAR, stdio logs) and report state kept in sessions");
    analyze->add_option("files", analyze_options.files, "log files to read")->required();
    analyze->add_option("--format", analyze_options.format, "text, json, sarif or markdown")->capture_default_str();
    analyze
        ->add_option("--fail-on", analyze_options.fail_on,
                     "exit 1 when a finding is this severe or worse (breaks-when-stateless, "
                     "breaks-behind-round-robin, needs-translation, informational, never)")
        ->capture_default_str();
    analyze->add_option("--out", analyze_options.out_path, "write the report here instead of standard output");
    analyze
        ->add_option("--max-live-sessions", analyze_options.limits.max_live_sessions,
                     "sessions followed at once; the least recently active is judged and let go (bounds memory)")
        ->capture_default_str();
    analyze
        ->add_option("--max-json-depth", analyze_options.limits.json.max_depth,
                     "deepest JSON nesting in a log entry")
        ->capture_default_str();
    analyze
        ->add_option("--max-object-members", analyze_options.limits.json.max_object_members,
                     "most members in one JSON object of a log entry")
        ->capture_default_str();
    analyze
        ->add_option(
            "--max-entry-bytes",
            [&analyze_options](const CLI::results_t& r) {
                analyze_options.limits.json.max_body_bytes = analyze_options.limits.json.max_string_bytes =
                    std::stoull(r.front());
                return true;
            },
            "largest JSON text in a log (a recording line, a HAR body) (default 67108864)");
    bool no_progress = false;
    analyze->add_flag("--no-progress", no_progress, "no progress line on a terminal");

    CLI11_PARSE(app, argc, argv);

    auto logger = spdlog::stderr_color_mt("mcpshim");
    spdlog::set_default_logger(logger);
    spdlog::set_level(spdlog::level::from_str(log_level));
    spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");

    try {
        if (*serve) {
            if (!apply_listen(listen, config)) {
                std::cerr << "--listen must be host:port, got " << listen << "\n";
                return 2;
            }
            return mcpshim::run_serve(config);
        }
        if (*stdio) return mcpshim::run_stdio(config);
        if (*analyze) {
            analyze_options.progress = !no_progress && isatty(STDERR_FILENO);
            return mcpshim::analyzer::run_analyze(analyze_options);
        }
        if (*record) {
            ServeConfig listen_only;
            if (!apply_listen(record_listen, listen_only)) {
                std::cerr << "--listen must be host:port, got " << record_listen << "\n";
                return 2;
            }
            record_config.listen_host = listen_only.http.listen_host;
            record_config.listen_port = listen_only.http.listen_port;
            return mcpshim::record::run_record(record_config);
        }
    } catch (const std::exception& error) {
        spdlog::error("{}", error.what());
        return 1;
    }
    return 0;
}
