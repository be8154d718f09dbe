#include "http/reply_stream.hpp"

#include "mcpshim/rewrite/sse.hpp"
#include "session/session_token.hpp"

namespace mcpshim::http_face {

boost::asio::awaitable<bool> ReplyStream::open() {
    if (writer_.started()) co_return true;
    const bool began = co_await writer_.begin_sse();
    if (!began) co_return false;
    if (!options_.replay) co_return true;
    stream_id_ = session::random_hex(6);
    std::vector<std::string> request_ids;  // JSON ids, as text
    if (options_.messages)
        for (const auto& message : *options_.messages)
            if (message.is_request()) request_ids.push_back(to_text(message.id()));
    options_.replay->begin(stream_id_, options_.session_id, std::move(request_ids));
    if (!options_.priming) co_return true;
    const bool primed =
        co_await writer_.sse(rewrite::format_sse_event("", session::event_id(stream_id_, 0), {}, options_.retry_ms));
    co_return primed;
}

boost::asio::awaitable<bool> ReplyStream::emit(std::string data) {
    std::string id;
    if (!stream_id_.empty()) {
        id = session::event_id(stream_id_, ++seq_);
        options_.replay->append(stream_id_, seq_, data);
    }
    if (detached_) co_return true;
    const bool written = co_await writer_.sse(rewrite::format_sse_event(data, id, "message"));
    co_return written;
}

boost::asio::awaitable<bool> ReplyStream::notify(json message) {
    const bool opened = co_await open();
    if (!opened) co_return false;
    const bool written = co_await emit(to_text(message));
    co_return written;
}

namespace {
// A plain JSON answer's status: a gateway's, when the upstream gave none.
unsigned http_status_of(relay::AnswerKind kind) {
    switch (kind) {
        case relay::AnswerKind::upstream_failed: return 502;
        case relay::AnswerKind::upstream_timed_out: return 504;
        case relay::AnswerKind::answered: break;
    }
    return 200;
}
}  // namespace

boost::asio::awaitable<bool> ReplyStream::respond(json message, relay::AnswerKind kind) {
    if (!writer_.started() && !force_sse_) {
        const bool sent = co_await writer_.send(http_status_of(kind), "application/json", to_text(message));
        co_return sent;
    }
    // Already streaming (or a batch): the response is one more event.
    const bool written = co_await notify(std::move(message));
    co_return written;
}

boost::asio::awaitable<void> ReplyStream::detach() {
    if (!writer_.streaming() || detached_) co_return;
    detached_ = true;
    co_await writer_.end_sse();
}

boost::asio::awaitable<void> ReplyStream::finish() {
    if (!stream_id_.empty()) options_.replay->complete(stream_id_);
    if (writer_.streaming()) {
        if (!detached_) co_await writer_.end_sse();
    } else if (!writer_.started()) {
        co_await writer_.send(202, {}, {});
    }
}

}  // namespace mcpshim::http_face
