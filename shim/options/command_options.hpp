#pragma once
// Every option of every subcommand, registered by one function per config
// struct: a subcommand that reads a struct registers it with that function,
// so an option has one name, one help text and one default everywhere.
#include <CLI/CLI.hpp>

#include <string>

#include "http/http_settings.hpp"
#include "mcpshim/analyzer/analyze_command.hpp"
#include "mcpshim/rewrite/json_limits.hpp"
#include "record/record_proxy.hpp"
#include "redis/redis_connection.hpp"
#include "relay/relay_context.hpp"
#include "serve_config.hpp"
#include "session/redis_session_store.hpp"
#include "session/replay_buffer.hpp"
#include "session/session_store.hpp"
#include "upstream/upstream_pool.hpp"

namespace mcpshim::options {

void add_json_limit_options(CLI::App& app, rewrite::JsonLimits& limits);
// All of the relay's but --poll-after-ms, which only serve has (stdio cannot resume).
void add_relay_options(CLI::App& app, relay::RelaySettings& settings);
void add_store_options(CLI::App& app, session::StoreLimits& limits);
void add_replay_options(CLI::App& app, session::ReplayLimits& limits);
// The shared session store's connections.
void add_redis_options(CLI::App& app, redis::RedisSettings& settings);
// --session-store and what a shared store is told (serve only: stdio is one session).
void add_shared_store_options(CLI::App& app, session::SharedStoreSettings& settings);
// --upstream-timeout-ms and --upstream-idle-timeout-ms: serve, stdio and record.
void add_upstream_wait_options(CLI::App& app, upstream::UpstreamTimeouts& timeouts);
// The rest of the upstream side of serve and stdio.
void add_upstream_pool_options(CLI::App& app, upstream::UpstreamTimeouts& timeouts, upstream::UpstreamLimits& limits);
// --max-header-bytes and --read-timeout-ms: every HTTP listener (serve, record).
void add_http_read_options(CLI::App& app, std::size_t& max_header_bytes, std::chrono::milliseconds& read_timeout);
// The HTTP faces' own; `listen` is parsed with parse_host_port after the parse.
void add_http_options(CLI::App& app, http_face::HttpSettings& settings, std::string& listen);

// --drain-timeout-ms: stdio and serve.
void add_drain_option(CLI::App& app, std::chrono::milliseconds& timeout);

// Whole subcommands.
void add_stdio_command_options(CLI::App& stdio, ServeConfig& config);
void add_serve_command_options(CLI::App& serve, ServeConfig& config, std::string& listen);
void add_record_command_options(CLI::App& record, record::RecordConfig& config, std::string& listen);
void add_analyze_command_options(CLI::App& analyze, analyzer::AnalyzeOptions& options, bool& no_progress);

}  // namespace mcpshim::options
