#include "http/get_stream.hpp"

#include "mcpshim/rewrite/jsonrpc.hpp"
#include "mcpshim/rewrite/sse.hpp"
#include "relay/listen_relay.hpp"

namespace mcpshim::http_face {

namespace {

class SseSink final : public relay::NotificationSink {
public:
    explicit SseSink(ResponseWriter& out) : out_(out) {}
    boost::asio::awaitable<bool> begin() override {
        const bool began = co_await out_.begin_sse();
        co_return began;
    }
    boost::asio::awaitable<bool> deliver(json notification) override {
        const bool sent = co_await out_.sse(rewrite::format_sse_event(to_text(notification), {}, "message"));
        co_return sent;
    }
    boost::asio::awaitable<bool> keep_alive() override {
        const bool sent = co_await out_.sse(rewrite::format_sse_comment("keep-alive"));
        co_return sent;
    }

private:
    ResponseWriter& out_;
};

}  // namespace

boost::asio::awaitable<void> serve_get_stream(HttpContext& ctx, session::SessionClaims claims,
                                              std::string authorization, ResponseWriter& out) {
    SseSink sink(out);
    const auto end = co_await relay::relay_change_notifications(ctx, std::move(claims), std::move(authorization), sink);
    if (end == relay::ListenEnd::duplicate) {
        co_await out.send(409, "application/json",
                          to_text(rewrite::make_error(nullptr, rewrite::error_code::invalid_request,
                                                      "this session already has a GET stream open")));
    } else if (end == relay::ListenEnd::session_ended) {
        co_await out.end_sse();  // the session ended: end the stream cleanly
    }
}

}  // namespace mcpshim::http_face
