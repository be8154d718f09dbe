#pragma once
// `mcpshim record`: a transparent HTTP proxy in front of an existing (legacy)
// MCP server. It forwards every request and response unchanged, streams SSE
// as it arrives, and writes both directions to a recording for the analyzer.
#include <chrono>
#include <cstddef>
#include <string>

#include "upstream/upstream_pool.hpp"

namespace mcpshim::record {

using std::chrono::milliseconds;

struct RecordConfig {
    std::string listen_host = "127.0.0.1";
    unsigned short listen_port = 3921;
    std::string upstream_url;                      // --upstream (http://)
    std::string out_path;                          // --out
    std::size_t max_header_bytes = 16 * 1024;      // --max-header-bytes
    std::size_t max_body_bytes = 4 * 1024 * 1024;  // --max-body-bytes: a request, or a JSON response
    std::size_t max_recorded_text = 4096;          // --max-recorded-text: non-JSON bodies are cut to this
    milliseconds read_timeout{30000};              // --read-timeout-ms: a whole client request
    // --upstream-timeout-ms (until the response headers) and
    // --upstream-idle-timeout-ms (silence inside a response stream), as serve has them.
    upstream::UpstreamTimeouts upstream_timeouts{.response = milliseconds(300000), .idle = milliseconds(600000)};
};

// Serves until SIGINT/SIGTERM; returns the process exit code.
int run_record(const RecordConfig& config);

}  // namespace mcpshim::record
