#pragma once
// Every command-line option's name, in one place: the CLI registers each
// option under its constant, and every refusal that tells the user what to
// change names the option through the same constant, so a rename cannot
// leave a message pointing at an option that no longer exists.
// (Char arrays: each converts to std::string where a literal would.)
namespace mcpshim::option {

inline constexpr char allow_host[] = "--allow-host";
inline constexpr char allow_origin[] = "--allow-origin";
inline constexpr char drain_timeout_ms[] = "--drain-timeout-ms";
inline constexpr char fail_on[] = "--fail-on";
inline constexpr char format[] = "--format";
inline constexpr char fleet_heartbeat_ms[] = "--fleet-heartbeat-ms";
inline constexpr char input_timeout_ms[] = "--input-timeout-ms";
inline constexpr char keepalive_ms[] = "--keepalive-ms";
inline constexpr char listen[] = "--listen";
inline constexpr char log_level[] = "--log-level";
inline constexpr char max_body_bytes[] = "--max-body-bytes";
inline constexpr char max_connections[] = "--max-connections";
inline constexpr char max_entries_per_principal[] = "--max-entries-per-principal";
inline constexpr char max_entry_bytes[] = "--max-entry-bytes";
inline constexpr char max_header_bytes[] = "--max-header-bytes";
inline constexpr char max_input_requests[] = "--max-input-requests";
inline constexpr char max_input_rounds[] = "--max-input-rounds";
inline constexpr char max_json_depth[] = "--max-json-depth";
inline constexpr char max_legacy_version[] = "--max-legacy-version";
inline constexpr char max_live_sessions[] = "--max-live-sessions";
inline constexpr char max_object_members[] = "--max-object-members";
inline constexpr char max_outbox_bytes[] = "--max-outbox-bytes";
inline constexpr char max_outbox_messages[] = "--max-outbox-messages";
inline constexpr char max_recorded_text[] = "--max-recorded-text";
inline constexpr char max_requests_in_flight[] = "--max-requests-in-flight";
inline constexpr char max_session_bytes[] = "--max-session-bytes";
inline constexpr char max_session_entries[] = "--max-session-entries";
inline constexpr char max_sse_event_bytes[] = "--max-sse-event-bytes";
inline constexpr char max_string_bytes[] = "--max-string-bytes";
inline constexpr char max_subscriptions[] = "--max-subscriptions";
inline constexpr char max_tasks[] = "--max-tasks";
inline constexpr char max_upstream_response_bytes[] = "--max-upstream-response-bytes";
inline constexpr char messages_path[] = "--messages-path";
inline constexpr char no_progress[] = "--no-progress";
inline constexpr char out[] = "--out";
inline constexpr char path[] = "--path";
inline constexpr char poll_after_ms[] = "--poll-after-ms";
inline constexpr char read_timeout_ms[] = "--read-timeout-ms";
inline constexpr char ready_window_ms[] = "--ready-window-ms";
inline constexpr char record[] = "--record";
inline constexpr char redis_connect_timeout_ms[] = "--redis-connect-timeout-ms";
inline constexpr char redis_key_prefix[] = "--redis-key-prefix";
inline constexpr char redis_max_pending[] = "--redis-max-pending";
inline constexpr char redis_retry_ms[] = "--redis-retry-ms";
inline constexpr char redis_timeout_ms[] = "--redis-timeout-ms";
inline constexpr char replay_max_bytes[] = "--replay-max-bytes";
inline constexpr char replay_max_events[] = "--replay-max-events";
inline constexpr char replay_max_stream_bytes[] = "--replay-max-stream-bytes";
inline constexpr char replay_max_streams[] = "--replay-max-streams";
inline constexpr char replay_ttl_ms[] = "--replay-ttl-ms";
inline constexpr char session_cache[] = "--session-cache";
inline constexpr char session_key_file[] = "--session-key-file";
inline constexpr char session_store[] = "--session-store";
inline constexpr char modern_clients[] = "--modern-clients";
inline constexpr char session_ttl_s[] = "--session-ttl-s";
inline constexpr char sse_path[] = "--sse-path";
inline constexpr char sse_retry_ms[] = "--sse-retry-ms";
inline constexpr char store_cache_entries[] = "--store-cache-entries";
inline constexpr char task_poll_max_ms[] = "--task-poll-max-ms";
inline constexpr char task_poll_min_ms[] = "--task-poll-min-ms";
inline constexpr char task_wait_timeout_ms[] = "--task-wait-timeout-ms";
inline constexpr char threads[] = "--threads";
inline constexpr char tool_schema_min_ttl_ms[] = "--tool-schema-min-ttl-ms";
inline constexpr char upstream[] = "--upstream";
inline constexpr char upstream_ca_file[] = "--upstream-ca-file";
inline constexpr char upstream_connect_timeout_ms[] = "--upstream-connect-timeout-ms";
inline constexpr char upstream_idle_timeout_ms[] = "--upstream-idle-timeout-ms";
inline constexpr char upstream_insecure[] = "--upstream-insecure";
inline constexpr char upstream_keepalive_ms[] = "--upstream-keepalive-ms";
inline constexpr char upstream_max_idle[] = "--upstream-max-idle";
inline constexpr char upstream_timeout_ms[] = "--upstream-timeout-ms";
inline constexpr char write_timeout_ms[] = "--write-timeout-ms";

}  // namespace mcpshim::option
