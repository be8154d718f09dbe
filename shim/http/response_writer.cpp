#include "http/response_writer.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http.hpp>

namespace mcpshim::http_face {

namespace net = boost::asio;
namespace http = boost::beast::http;
constexpr auto use_tuple = net::as_tuple(net::use_awaitable);

net::awaitable<bool> ResponseWriter::send(unsigned status, std::string content_type, std::string body,
                                          rewrite::HeaderList extra) {
    started_ = true;
    status_ = status;
    http::response<http::string_body> response{static_cast<http::status>(status), version_};
    response.set(http::field::server, "mcpshim");
    if (!content_type.empty()) response.set(http::field::content_type, content_type);
    for (const auto& [name, value] : extra) response.set(name, value);
    response.keep_alive(keep_alive_);
    response.body() = std::move(body);
    response.prepare_payload();
    if (recorder_) recorder_->response(status, content_type, response.body(), extra);
    stream_.expires_after(write_timeout_);
    auto [ec, n] = co_await http::async_write(stream_, response, use_tuple);
    stream_.expires_never();
    failed_ = failed_ || bool(ec);
    co_return !ec;
}

net::awaitable<bool> ResponseWriter::begin_sse(rewrite::HeaderList extra) {
    started_ = streaming_ = true;
    status_ = 200;
    http::response<http::empty_body> response{http::status::ok, version_};
    response.set(http::field::server, "mcpshim");
    response.set(http::field::content_type, "text/event-stream");
    response.set(http::field::cache_control, "no-cache, no-transform");
    response.set("X-Accel-Buffering", "no");
    for (const auto& [name, value] : extra) response.set(name, value);
    response.keep_alive(keep_alive_);
    response.chunked(true);
    if (recorder_) recorder_->stream_start(extra);
    http::response_serializer<http::empty_body> serializer{response};
    stream_.expires_after(write_timeout_);
    auto [ec, n] = co_await http::async_write_header(stream_, serializer, use_tuple);
    stream_.expires_never();
    failed_ = failed_ || bool(ec);
    co_return !ec;
}

net::awaitable<bool> ResponseWriter::sse(std::string framed_event) {
    if (failed_) co_return false;
    if (recorder_) recorder_->event(framed_event);
    stream_.expires_after(write_timeout_);
    auto [ec, n] = co_await net::async_write(stream_, http::make_chunk(net::buffer(framed_event)), use_tuple);
    stream_.expires_never();
    failed_ = failed_ || bool(ec);
    co_return !ec;
}

net::awaitable<bool> ResponseWriter::end_sse() {
    if (recorder_) recorder_->stream_end();
    if (failed_) co_return false;
    stream_.expires_after(write_timeout_);
    auto [ec, n] = co_await net::async_write(stream_, http::make_chunk_last(), use_tuple);
    stream_.expires_never();
    failed_ = failed_ || bool(ec);
    co_return !ec;
}

}  // namespace mcpshim::http_face
