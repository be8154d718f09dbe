#pragma once
// HTTP/1.1 messages formatted straight into one buffer.
//
// The shim writes small messages with few headers on every request; putting
// head and body in one string lets a single send carry them, where a general
// serializer walks a chain of buffer views on each write.
#include <cstddef>
#include <string>
#include <string_view>

#include "mcpshim/rewrite/header_encoding.hpp"

namespace mcpshim::wire {

struct ResponseHead {
    unsigned http_version = 11;  // 10 or 11
    unsigned status = 200;
    std::string_view content_type;  // omitted when empty
    bool keep_alive = true;
    bool chunked = false;  // otherwise Content-Length is the body's size
};

// The status line and headers (with the blank line), then `body` when not chunked.
std::string format_response(const ResponseHead& head, const rewrite::HeaderList& extra, std::string_view body);

struct RequestHead {
    std::string_view method;
    std::string_view target;
    std::string_view host;
};

// A keep-alive request with a Content-Length body.
std::string format_request(const RequestHead& head, const rewrite::HeaderList& headers, std::string_view body);

// One chunk of a chunked body; an empty `data` would end the body, so use `last_chunk` for that.
std::string format_chunk(std::string_view data);
inline constexpr std::string_view last_chunk = "0\r\n\r\n";

}  // namespace mcpshim::wire
