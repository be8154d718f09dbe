#include "relay/listen_relay.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <deque>

#include "async/guarded_spawn.hpp"
#include "mcpshim/rewrite/capabilities.hpp"
#include "mcpshim/rewrite/legacy_response.hpp"
#include "mcpshim/rewrite/modern_request.hpp"
#include "relay/listen_hub.hpp"

namespace mcpshim::relay {

namespace net = boost::asio;
using namespace std::chrono_literals;
constexpr auto use_tuple = net::as_tuple(net::use_awaitable);
constexpr std::size_t max_queued = 1024;  // notifications waiting for a slow client

namespace {

// Shared by the GET stream (the only writer to the client) and the listen
// loop (the only reader from the upstream); both run on one executor.
struct ListenControl {
    explicit ListenControl(net::any_io_executor executor) : wake(executor), pause(executor) {}
    net::steady_timer wake;   // the stream waits here; cancelled when a notification is queued
    net::steady_timer pause;  // the listen loop waits here for a change
    net::cancellation_signal stop_listen;
    std::deque<json> queue;
    bool closed = false;
    bool restart = false;
};

net::awaitable<void> listen_loop(RelayContext& ctx, std::shared_ptr<ListenControl> control,
                                 session::SessionClaims claims, std::string authorization) {
    co_await net::this_coro::throw_if_cancelled(false);
    const std::weak_ptr<ListenControl> weak = control;
    const std::string session_id = claims.session_id;
    const auto queue_notification = [weak, session_id](const json& notification) {
        const auto target = weak.lock();
        if (!target || target->closed) return;
        if (target->queue.size() >= max_queued) {
            spdlog::warn("sid={} GET stream: client too slow, dropped a queued notification", session_id);
            target->queue.pop_front();
        }
        target->queue.push_back(notification);
        target->wake.cancel();
    };
    while (!control->closed) {
        control->restart = false;
        const auto state = co_await ctx.store.load(claims.session_id);
        if (state.ended) {  // DELETE: the stream ends with the session
            control->closed = true;
            control->wake.cancel();
            break;
        }
        auto discovered = co_await ctx.discover.get(claims.principal, authorization);
        const json capabilities = discovered.info ? discovered.info->capabilities : json::object();
        const json filter = rewrite::listen_filter(capabilities, state.subscriptions);
        // Held until the session's subscriptions change or its stream ends; the
        // hub re-opens the upstream listen when the upstream drops it.
        std::unique_ptr<ListenHub::Membership> membership;
        if (!filter.empty() && !control->closed && !control->restart) {
            const rewrite::SessionView view{claims.protocol_version, claims.client_info, claims.client_capabilities,
                                            std::nullopt};
            json listen = json::object();
            listen["method"] = "subscriptions/listen";
            listen["params"] = json::object();
            listen["params"]["notifications"] = filter;
            membership = ctx.listen_hub.join(rewrite::to_modern_request(listen, nullptr, view, {}), authorization,
                                             queue_notification);
        }
        if (control->closed) break;
        control->pause.expires_after(24h);
        if (!control->restart) co_await control->pause.async_wait(use_tuple);
        co_await net::this_coro::reset_cancellation_state();
    }
}

}  // namespace

net::awaitable<ListenEnd> relay_change_notifications(RelayContext& ctx, session::SessionClaims claims,
                                                     std::string authorization, NotificationSink& sink) {
    const auto executor = co_await net::this_coro::executor;
    const std::string session_id = claims.session_id;
    const std::int64_t expires_at = claims.expires_at;
    auto control = std::make_shared<ListenControl>(executor);
    std::weak_ptr<ListenControl> weak = control;
    const bool registered = ctx.store.streams().open(session_id, executor, [weak] {
        if (auto c = weak.lock()) {
            c->restart = true;
            c->pause.cancel();
            c->stop_listen.emit(net::cancellation_type::terminal);
        }
    });
    if (!registered) co_return ListenEnd::duplicate;
    bool alive = co_await sink.begin();
    if (alive) {
        async::spawn_guarded(executor, listen_loop(ctx, control, std::move(claims), std::move(authorization)),
                             "a session's upstream listen", control->stop_listen.slot());
        while (alive && !control->closed) {
            // A session id past its expiry is refused on every request: its
            // stream ends with it (checked at least every --keepalive-ms).
            if (session::unix_now() >= expires_at) {
                control->closed = true;
                break;
            }
            while (alive && !control->queue.empty()) {
                json message = std::move(control->queue.front());
                control->queue.pop_front();
                alive = co_await sink.deliver(std::move(message));
            }
            if (!alive) break;
            control->wake.expires_after(ctx.settings.keepalive);
            auto [ec] = co_await control->wake.async_wait(use_tuple);
            if (!ec && control->queue.empty()) alive = co_await sink.keep_alive();
        }
    }
    const bool ended = control->closed;
    control->closed = true;
    control->pause.cancel();
    control->stop_listen.emit(net::cancellation_type::terminal);
    ctx.store.streams().close(session_id);
    co_return ended&& alive ? ListenEnd::session_ended : ListenEnd::client_gone;
}

}  // namespace mcpshim::relay
