#include "relay/listen_relay.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "async/guarded_spawn.hpp"
#include "async/mailbox.hpp"
#include "mcpshim/rewrite/method_names.hpp"
#include "mcpshim/rewrite/capabilities.hpp"
#include "mcpshim/rewrite/legacy_response.hpp"
#include "mcpshim/rewrite/modern_request.hpp"
#include "relay/listen_hub.hpp"
#include "mcpshim/rewrite/option_names.hpp"

namespace mcpshim::relay {

namespace net = boost::asio;

namespace {

// Shared by the GET stream (the only writer to the client) and the listen
// loop (the only reader from the upstream); both run on one executor.
struct ListenControl {
    ListenControl(net::any_io_executor executor, async::MailboxBounds bounds) : queue(executor, bounds), change(executor) {}
    // Notifications for the stream to write; closed when the stream ends.
    // When a slow client lets it fill, the oldest is dropped: they announce
    // changes, and a later one tells the client to look again.
    async::Mailbox<json> queue;
    async::Wakeup change;  // the listen loop waits here for the session's subscriptions to change
    net::cancellation_signal stop_listen;
    bool restart = false;
};

net::awaitable<void> listen_loop(RelayContext& ctx, std::shared_ptr<ListenControl> control,
                                 session::SessionClaims claims, std::string authorization) {
    co_await net::this_coro::throw_if_cancelled(false);
    const std::weak_ptr<ListenControl> weak = control;
    const std::string session_id = claims.session_id;
    const auto queue_notification = [weak, session_id](const json& notification) {
        const auto target = weak.lock();
        if (!target) return;
        if (target->queue.post(notification) != async::Posted::full) return;
        spdlog::warn("sid={} GET stream: the client reads too slowly, dropped its oldest notification "
                     "({} {})",
                     session_id, option::max_outbox_messages, target->queue.bounds().max_messages);
        target->queue.drop_oldest();
        target->queue.post(notification);
    };
    while (!control->queue.closed()) {
        control->restart = false;
        const auto state = co_await ctx.store.load(claims.session_id);
        if (state.ended) {  // DELETE: the stream ends with the session
            control->queue.close();
            break;
        }
        auto discovered = co_await ctx.discover.get(claims.principal, authorization);
        const json capabilities = discovered.info ? discovered.info->capabilities : json::object();
        const json filter = rewrite::listen_filter(capabilities, state.subscriptions);
        // Held until the session's subscriptions change or its stream ends; the
        // hub re-opens the upstream listen when the upstream drops it.
        std::unique_ptr<ListenHub::Membership> membership;
        if (!filter.empty() && !control->queue.closed() && !control->restart) {
            const rewrite::SessionView view{claims.protocol_version, claims.client_info, claims.client_capabilities,
                                            std::nullopt};
            json listen = json::object();
            listen["method"] = method_name::subscriptions_listen;
            listen["params"] = json::object();
            listen["params"]["notifications"] = filter;
            membership = ctx.listen_hub.join(rewrite::to_modern_request(listen, nullptr, view, {}), authorization,
                                             queue_notification);
        }
        if (control->queue.closed()) break;
        // A change since the load has already notified: this returns at once.
        co_await control->change.wait();
        co_await net::this_coro::reset_cancellation_state();
    }
}

}  // namespace

net::awaitable<ListenEnd> relay_change_notifications(RelayContext& ctx, session::SessionClaims claims,
                                                     std::string authorization, NotificationSink& sink) {
    const auto executor = co_await net::this_coro::executor;
    const std::string session_id = claims.session_id;
    const std::int64_t expires_at = claims.expires_at;
    auto control = std::make_shared<ListenControl>(executor, ctx.settings.outbox);
    std::weak_ptr<ListenControl> weak = control;
    const bool registered = ctx.store.streams().open(session_id, executor, [weak] {
        if (auto c = weak.lock()) {
            c->restart = true;
            c->change.notify();
            c->stop_listen.emit(net::cancellation_type::terminal);
        }
    });
    if (!registered) co_return ListenEnd::duplicate;
    bool alive = co_await sink.begin();
    if (alive) {
        async::spawn_guarded(executor, listen_loop(ctx, control, std::move(claims), std::move(authorization)),
                             "a session's upstream listen", control->stop_listen.slot());
        while (alive && !control->queue.closed()) {
            // A session id past its expiry is refused on every request: its
            // stream ends with it (checked at least every --keepalive-ms).
            if (session::unix_now() >= expires_at) {
                control->queue.close();
                break;
            }
            while (alive) {
                auto message = control->queue.take();
                if (!message) break;
                alive = co_await sink.deliver(std::move(*message));
            }
            if (!alive) break;
            if (co_await control->queue.wait_for(ctx.settings.keepalive) == async::Woke::timed_out)
                alive = co_await sink.keep_alive();
        }
    }
    const bool ended = control->queue.closed();
    control->queue.discard();
    control->change.notify();
    control->stop_listen.emit(net::cancellation_type::terminal);
    ctx.store.streams().close(session_id);
    co_return ended&& alive ? ListenEnd::session_ended : ListenEnd::client_gone;
}

}  // namespace mcpshim::relay
