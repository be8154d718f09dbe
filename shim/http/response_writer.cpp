#include "http/response_writer.hpp"

#include "wire/eager_write.hpp"
#include "wire/http_wire.hpp"

namespace mcpshim::http_face {

namespace net = boost::asio;

net::awaitable<bool> ResponseWriter::write(std::string bytes) {
    if (failed_) co_return false;
    const bool written = co_await wire::write_eagerly(stream_, bytes, write_timeout_);
    failed_ = !written;
    co_return written;
}

net::awaitable<bool> ResponseWriter::send(unsigned status, std::string content_type, std::string body,
                                          rewrite::HeaderList extra) {
    started_ = true;
    status_ = status;
    if (recorder_) recorder_->response(status, content_type, body, extra);
    const wire::ResponseHead head{version_, status, content_type, keep_alive_, false};
    const bool written = co_await write(wire::format_response(head, extra, body));
    co_return written;
}

net::awaitable<bool> ResponseWriter::begin_sse(rewrite::HeaderList extra) {
    extra.emplace(extra.begin(), "X-Accel-Buffering", "no");
    extra.emplace(extra.begin(), "Cache-Control", "no-cache, no-transform");
    co_return co_await begin_stream(200, "text/event-stream", std::move(extra));
}

net::awaitable<bool> ResponseWriter::begin_stream(unsigned status, std::string content_type,
                                                  rewrite::HeaderList extra) {
    started_ = streaming_ = true;
    status_ = status;
    if (recorder_) recorder_->stream_start(extra);
    const wire::ResponseHead head{version_, status, std::move(content_type), keep_alive_, true};
    const bool written = co_await write(wire::format_response(head, extra, {}));
    co_return written;
}

net::awaitable<bool> ResponseWriter::sse(std::string framed_event) {
    if (failed_) co_return false;
    if (recorder_) recorder_->event(framed_event);
    const bool written = co_await write(wire::format_chunk(framed_event));
    co_return written;
}

net::awaitable<bool> ResponseWriter::end_sse() {
    if (recorder_) recorder_->stream_end();
    const bool written = co_await write(std::string(wire::last_chunk));
    co_return written;
}

}  // namespace mcpshim::http_face
