#include "http/resumed_stream.hpp"

#include <boost/asio/this_coro.hpp>

#include <algorithm>
#include <optional>
#include <set>

#include "async/wakeup.hpp"

#include "mcpshim/rewrite/option_names.hpp"
#include "mcpshim/rewrite/jsonrpc.hpp"
#include "mcpshim/rewrite/sse.hpp"

namespace mcpshim::http_face {

namespace net = boost::asio;

namespace {

// The id (as JSON text) when the event is a response.
std::optional<std::string> response_id(const std::string& data) {
    if (data.find("\"id\"") == std::string::npos) return std::nullopt;
    const auto message = json::parse(data, nullptr, false);
    if (!message.is_object() || message.contains("method") || !message.contains("id")) return std::nullopt;
    return to_text(message["id"]);
}

// The instance writing the stream stopped: each request it had not answered
// gets an error that says so, rather than a stream that never ends.
net::awaitable<bool> answer_abandoned(ResponseWriter& out, const std::vector<std::string>& request_ids,
                                      const std::set<std::string>& answered) {
    for (const auto& id_text : request_ids) {
        if (answered.count(id_text)) continue;
        const auto id = json::parse(id_text, nullptr, false);
        const auto error = rewrite::make_error(
            id.is_discarded() ? json() : id, rewrite::error_code::internal_error,
            "the shim instance serving this request stopped before it answered; the request may or may not have "
            "run upstream: check before repeating it",
            json{{"reason", "instance_stopped"}});
        if (!co_await out.sse(rewrite::format_sse_event(to_text(error), {}, "message"))) co_return false;
    }
    co_return true;
}

}  // namespace

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
    auto& replay = ctx.store.replay();
    // A shared store may be away: the stream cannot be found (first) or followed (later).
    std::string store_away;
    const auto read = [&](std::uint64_t after) -> net::awaitable<session::Replay> {
        try {
            co_return co_await replay.after(stream_id, claims.session_id, after);
        } catch (const session::StoreUnavailable& e) {
            store_away = e.what();
        }
        co_return session::Replay{};
    };
    if (!(co_await read(seq)).found) {
        if (!store_away.empty()) {
            co_await out.send(503, "application/json",
                              to_text(rewrite::make_error(nullptr, rewrite::error_code::internal_error, store_away)));
            co_return;
        }
        co_await refuse(
            "Last-Event-ID names a stream this shim no longer holds for this session "
            "(kept for " + std::string(option::replay_ttl_ms) + ", at most " + std::string(option::replay_max_streams) + ")");
        co_return;
    }
    if (!co_await out.begin_sse()) co_return;
    const auto executor = co_await net::this_coro::executor;
    std::uint64_t last = seq;
    std::set<std::string> answered;  // requests whose response the stream carried
    for (;;) {
        // Watch before reading, so an event that lands in between still wakes us.
        auto wake = std::make_shared<async::Wakeup>(executor);
        replay.watch(stream_id, executor, [wake] { wake->notify(); });
        const auto found = co_await read(last);
        for (const auto& event : found.events) {
            if (!co_await out.sse(
                    rewrite::format_sse_event(event.data, session::event_id(stream_id, event.seq), "message")))
                co_return;
            last = event.seq;
            if (auto id = response_id(event.data)) answered.insert(std::move(*id));
        }
        if (!found.found || found.complete) break;
        if (found.abandoned) {
            if (!co_await answer_abandoned(out, found.request_ids, answered)) co_return;
            break;
        }
        if (!found.events.empty()) continue;
        const auto quiet = found.recheck.count() > 0 ? std::min(ctx.settings.keepalive, found.recheck)
                                                      : ctx.settings.keepalive;
        if (co_await wake->wait_for(quiet) == async::Woke::timed_out &&
            !co_await out.sse(rewrite::format_sse_comment("keep-alive")))
            co_return;
    }
    co_await out.end_sse();
}

}  // namespace mcpshim::http_face
