#pragma once
// Server-Sent Events framing: an incremental parser (bytes may split
// anywhere) and the writer for events the shim sends.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mcpshim::rewrite {

struct SseEvent {
    std::string id;
    std::string event;  // empty means "message"
    std::string data;   // data lines joined with '\n'
    std::optional<long long> retry_ms;
};

class SseParser {
public:
    explicit SseParser(std::size_t max_event_bytes) : max_event_bytes_(max_event_bytes) {}

    // Appends every event completed by `bytes` to `out`. Returns false once an
    // event grows past max_event_bytes (the stream should be dropped).
    bool feed(std::string_view bytes, std::vector<SseEvent>& out);

private:
    void line(std::string_view text, std::vector<SseEvent>& out);

    std::size_t max_event_bytes_;
    std::size_t event_bytes_ = 0;
    std::string pending_line_;
    bool after_cr_ = false;
    bool has_data_ = false;
    SseEvent current_;
};

// Where whole events end in an SSE byte stream, found without parsing them:
// a stream relayed as it came is passed on event by event, so a broken
// upstream never leaves half an event for the client to misread. Offsets
// count every byte fed since the start.
class SseEventEnds {
public:
    void feed(std::string_view bytes);
    // Just past the blank line of the last whole event fed (0: none yet).
    std::size_t last_end() const { return last_end_; }
    std::size_t fed() const { return offset_; }

private:
    std::size_t offset_ = 0;
    std::size_t last_end_ = 0;
    bool line_start_ = true;  // nothing on the current line yet
    bool after_cr_ = false;   // the last byte was CR: a LF next belongs to it
};

std::string format_sse_event(std::string_view data, std::string_view id = {}, std::string_view event = {},
                             std::optional<long long> retry_ms = std::nullopt);
std::string format_sse_comment(std::string_view text);

}  // namespace mcpshim::rewrite
