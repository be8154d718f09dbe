// mcpshim: carries legacy MCP clients to stateless 2026-07-28 servers.
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include <unistd.h>
#include <iostream>

#include "mcpshim/rewrite/option_names.hpp"
#include "mcpshim/analyzer/analyze_command.hpp"
#include "options/command_options.hpp"
#include "options/option_types.hpp"
#include "record/record_proxy.hpp"
#include "serve_command.hpp"
#include "stdio_command.hpp"

int main(int argc, char** argv) {
    using namespace mcpshim;
    CLI::App app{"mcpshim: serves legacy MCP clients (2024-11-05 .. 2025-11-25) from stateless 2026-07-28 servers"};
    app.require_subcommand(1);
    app.set_version_flag("--version", MCPSHIM_VERSION);
    std::string log_level = "info";
    app.add_option(option::log_level, log_level, "trace, debug, info, warn, error, off")->capture_default_str();

    ServeConfig config;
    std::string listen = "127.0.0.1:3920";
    auto* serve = app.add_subcommand("serve", "proxy legacy Streamable HTTP clients to modern upstream servers");
    options::add_serve_command_options(*serve, config, listen);
    auto* stdio = app.add_subcommand(
        "stdio",
        "serve one legacy client on stdin/stdout (a desktop app spawns the shim) from modern upstream servers");
    options::add_stdio_command_options(*stdio, config);

    record::RecordConfig record_config;
    std::string record_listen = "127.0.0.1:3921";
    auto* record = app.add_subcommand(
        "record", "record the traffic of an existing (legacy) MCP server: a transparent proxy writing JSON lines");
    options::add_record_command_options(*record, record_config, record_listen);

    analyzer::AnalyzeOptions analyze_options;
    bool no_progress = false;
    auto* analyze = app.add_subcommand(
        "analyze", "read traffic logs (mcpshim recordings, HAR, stdio logs) and report state kept in sessions");
    options::add_analyze_command_options(*analyze, analyze_options, no_progress);

    CLI11_PARSE(app, argc, argv);

    auto logger = spdlog::stderr_color_mt("mcpshim");
    spdlog::set_default_logger(logger);
    spdlog::set_level(spdlog::level::from_str(log_level));
    spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");

    try {
        if (*serve) {
            const auto address = options::parse_host_port(listen);
            if (!address) {
                std::cerr << std::string(option::listen) + " must be host:port, got " << listen << "\n";
                return 2;
            }
            config.http.listen_host = address->host;
            config.http.listen_port = address->port;
            return run_serve(config);
        }
        if (*stdio) return run_stdio(config);
        if (*analyze) {
            analyze_options.progress = !no_progress && isatty(STDERR_FILENO);
            return analyzer::run_analyze(analyze_options);
        }
        if (*record) {
            const auto address = options::parse_host_port(record_listen);
            if (!address) {
                std::cerr << std::string(option::listen) + " must be host:port, got " << record_listen << "\n";
                return 2;
            }
            record_config.listen_host = address->host;
            record_config.listen_port = address->port;
            return record::run_record(record_config);
        }
    } catch (const std::exception& error) {
        spdlog::error("{}", error.what());
        return 1;
    }
    return 0;
}
