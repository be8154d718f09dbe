#include "http/resumed_stream.hpp"

#include <boost/asio/this_coro.hpp>

#include "async/wakeup.hpp"

#include "mcpshim/rewrite/option_names.hpp"
#include "mcpshim/rewrite/jsonrpc.hpp"
#include "mcpshim/rewrite/sse.hpp"

namespace mcpshim::http_face {

namespace net = boost::asio;

net::awaitable<void> serve_resumed_stream(HttpContext& ctx, session::SessionClaims claims, std::string last_event_id,
                                          ResponseWriter& out) {
    const auto parsed = session::parse_event_id(last_event_id);
    auto refuse = [&](std::string why) {
        return out.send(400, "application/json",
                        to_text(rewrite::make_error(nullptr, rewrite::error_code::invalid_request, std::move(why))));
    };
    if (!parsed) {
        co_await refuse("Last-Event-ID " + last_event_id + " is not an event id this shim gave");
        co_return;
    }
    const auto& [stream_id, seq] = *parsed;
    if (!ctx.store.replay().after(stream_id, claims.session_id, seq).found) {
        co_await refuse(
            "Last-Event-ID names a stream this shim no longer holds for this session "
            "(kept for " + std::string(option::replay_ttl_ms) + ", at most " + std::string(option::replay_max_streams) + ")");
        co_return;
    }
    if (!co_await out.begin_sse()) co_return;
    const auto executor = co_await net::this_coro::executor;
    std::uint64_t last = seq;
    for (;;) {
        // Watch before reading, so an event that lands in between still wakes us.
        auto wake = std::make_shared<async::Wakeup>(executor);
        ctx.store.replay().watch(stream_id, executor, [wake] { wake->notify(); });
        const auto replay = ctx.store.replay().after(stream_id, claims.session_id, last);
        for (const auto& event : replay.events) {
            if (!co_await out.sse(
                    rewrite::format_sse_event(event.data, session::event_id(stream_id, event.seq), "message")))
                co_return;
            last = event.seq;
        }
        if (!replay.found || replay.complete) break;
        if (!replay.events.empty()) continue;
        if (co_await wake->wait_for(ctx.settings.keepalive) == async::Woke::timed_out &&
            !co_await out.sse(rewrite::format_sse_comment("keep-alive")))
            co_return;
    }
    co_await out.end_sse();
}

}  // namespace mcpshim::http_face
