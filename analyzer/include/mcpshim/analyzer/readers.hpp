#pragma once
// Reads traffic logs as a stream of WireMessages, never the whole file at
// once: mcpshim recordings (JSON lines), HAR 1.2, and stdio JSON-RPC logs
// (plain JSON lines, or Claude Desktop's mcp-server-<name>.log lines). A
// broken line or entry is counted, reported with its location, and skipped.
#include <functional>
#include <string>

#include "mcpshim/analyzer/wire.hpp"
#include "mcpshim/rewrite/json_limits.hpp"

namespace mcpshim::analyzer {

using WireSink = std::function<void(WireMessage&&)>;
// Called now and then with the bytes read so far.
using Progress = std::function<void(std::uint64_t bytes_read, std::uint64_t total_bytes)>;

// Detects the format from the first bytes and reads the whole file.
// Every JSON text in them is parsed under `limits`.
InputSummary read_log(const std::string& path, const WireSink& sink, const rewrite::JsonLimits& limits,
                      const Progress& progress = {});

InputSummary read_recording(const std::string& path, const WireSink& sink, const rewrite::JsonLimits& limits,
                            const Progress& progress);
InputSummary read_har(const std::string& path, const WireSink& sink, const rewrite::JsonLimits& limits,
                      const Progress& progress);
InputSummary read_stdio_log(const std::string& path, const WireSink& sink, const rewrite::JsonLimits& limits,
                            const Progress& progress);

}  // namespace mcpshim::analyzer
