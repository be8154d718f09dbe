#include "http/reply_stream.hpp"

#include "mcpshim/rewrite/sse.hpp"

namespace mcpshim::http_face {

boost::asio::awaitable<bool> ReplyStream::notify(json message) {
    if (!writer_.started()) {
        const bool began = co_await writer_.begin_sse();
        if (!began) co_return false;
    }
    const bool written = co_await writer_.sse(rewrite::format_sse_event(message.dump(), {}, "message"));
    co_return written;
}

boost::asio::awaitable<bool> ReplyStream::respond(json message, unsigned status) {
    if (!writer_.started() && !force_sse_) {
        const bool sent = co_await writer_.send(status, "application/json", message.dump());
        co_return sent;
    }
    // Already streaming (or a batch): the response is one more event.
    const bool written = co_await notify(std::move(message));
    co_return written;
}

boost::asio::awaitable<bool> ReplyStream::open() {
    if (writer_.started()) co_return true;
    const bool began = co_await writer_.begin_sse();
    co_return began;
}

boost::asio::awaitable<void> ReplyStream::finish() {
    if (writer_.streaming()) {
        co_await writer_.end_sse();
    } else if (!writer_.started()) {
        co_await writer_.send(202, {}, {});
    }
}

}  // namespace mcpshim::http_face
