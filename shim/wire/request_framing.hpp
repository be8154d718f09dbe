#pragma once
// RFC 9112 framing rules the HTTP parser is lenient about, checked on the raw
// head before it is parsed. Each is a way for two parsers (a front proxy's
// and ours) to disagree on where a request ends: request smuggling.
#include <optional>
#include <string>
#include <string_view>

namespace mcpshim::wire {

struct FramingRefusal {
    unsigned status;  // 400, or 501 for a transfer coding we do not implement
    std::string reason;
};

// The length of the head (through the blank line) at the start of `bytes`,
// or nullopt while it is incomplete. Blank lines before the request line are
// skipped over, as RFC 9112 allows.
std::optional<std::size_t> request_head_length(std::string_view bytes);

// `head` is a whole request head. Refuses obs-fold, more than one Host (or
// none in HTTP/1.1), Transfer-Encoding in HTTP/1.0, any transfer coding but
// a lone "chunked", Transfer-Encoding together with Content-Length, and
// Content-Length values that disagree.
std::optional<FramingRefusal> check_request_framing(std::string_view head);

}  // namespace mcpshim::wire
