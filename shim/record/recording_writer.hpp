#pragma once
// Writes a traffic recording: JSON lines, one per HTTP request, HTTP
// response or SSE event (see docs/recording-format.md). Shared by every
// connection of the recorder; each line is written whole.
#include <cstdint>
#include <fstream>
#include <mutex>
#include <string>

#include "mcpshim/rewrite/json.hpp"

namespace mcpshim::record {

class RecordingWriter {
public:
    // Throws when `path` cannot be opened for writing.
    RecordingWriter(const std::string& path, const std::string& upstream);
    // Adds the time and writes `entry` as one line.
    void write(json entry);
    std::uint64_t lines() const;

private:
    mutable std::mutex mutex_;
    std::ofstream out_;
    std::uint64_t lines_ = 0;
};

// The UTC time now, ISO 8601 with milliseconds.
std::string iso8601_now_ms();

// The `message` of a recorded body: the JSON-RPC message(s) when the body is
// JSON, else the text (cut to `max_text` bytes) under `body`.
void attach_body(json& entry, std::string_view body, std::size_t max_text);

}  // namespace mcpshim::record
