#pragma once
// Where the answer to one legacy request goes: an HTTP response (JSON or SSE)
// or the stdio stream. The request relay writes through this and does not
// care which.
#include <boost/asio/awaitable.hpp>

#include "mcpshim/rewrite/json.hpp"

namespace mcpshim::relay {

// What a final response stands for, so that a face whose transport can say
// so (an HTTP status on a plain JSON answer) does; others ignore it.
enum class AnswerKind {
    answered,            // a result, or an error the request itself earned
    upstream_failed,     // no answer from the upstream: refused, reset, malformed
    upstream_timed_out,  // no answer from the upstream in time
};

class ReplyChannel {
public:
    virtual ~ReplyChannel() = default;
    // A message before the final response (notification, server-to-client request).
    // Each returns false when the client is gone.
    virtual boost::asio::awaitable<bool> notify(json message) = 0;
    // The final response.
    virtual boost::asio::awaitable<bool> respond(json message, AnswerKind kind = AnswerKind::answered) = 0;
    // Commits to a streamed answer if nothing was sent yet.
    virtual boost::asio::awaitable<bool> open() = 0;
    // Ends the client's side early while later events are kept for resumption
    // (2025-11-25 polling); a no-op where there is nothing to resume.
    virtual boost::asio::awaitable<void> detach() = 0;
    virtual bool started() const = 0;
};

}  // namespace mcpshim::relay
