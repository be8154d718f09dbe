#include "relay/upstream_exchange.hpp"

#include "async/guarded_spawn.hpp"
#include "mcpshim/rewrite/safe_text.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "mcpshim/rewrite/legacy_response.hpp"

namespace mcpshim::relay {

namespace net = boost::asio;
using async::Clock;

namespace {

// Shared by the upstream coroutine (producer) and the relaying side (consumer).
struct Exchange {
    Exchange(net::any_io_executor executor, async::MailboxBounds bounds) : notifications(std::move(executor), bounds) {}
    // Closed when the exchange ends. A full one holds the upstream read back
    // until the client has taken some: a slow client slows its own upstream.
    async::Mailbox<json> notifications;
    json final_response;
    upstream::UpstreamResult result;
};

// What arrives on the stream of the upstream's answer to `upstream_id`.
enum class Arrival { answer, notification, misplaced };

Arrival arrival_of(const json& message, const json& upstream_id) {
    if (message.contains("id") && message["id"] == upstream_id && !message.contains("method")) return Arrival::answer;
    if (message.contains("method") && !message.contains("id")) return Arrival::notification;
    // 2026-07-28 forbids requests on a response stream; nothing can answer one.
    spdlog::warn("dropped a message the upstream should not send on a response stream: {}",
                 rewrite::log_safe(to_text(message)));
    return Arrival::misplaced;
}

net::awaitable<void> run_upstream(upstream::UpstreamPool& pool, std::shared_ptr<Exchange> exchange,
                                  rewrite::ModernRequest request, std::string authorization, json upstream_id,
                                  std::shared_ptr<session::RequestCancel> cancel) {
    Exchange* shared = exchange.get();  // kept alive by this frame
    auto sink = [shared, &upstream_id](json message) -> net::awaitable<bool> {
        const auto arrival = arrival_of(message, upstream_id);
        if (arrival == Arrival::answer) {
            shared->final_response = std::move(message);
        } else if (arrival == Arrival::notification) {
            co_await shared->notifications.send(rewrite::to_legacy_notification(std::move(message)));
        }
        co_return true;
    };
    std::exception_ptr failure;
    try {
        exchange->result = co_await pool.send(std::move(request), authorization, sink, {}, cancel->signal.slot());
    } catch (...) {
        failure = std::current_exception();
    }
    if (failure) {
        // The relaying side waits on `done`: it must learn of the failure.
        const auto what = async::describe(failure);
        spdlog::error("an upstream exchange failed: {}", what);
        exchange->result.failure = upstream::Failure::broken;
        exchange->result.detail = "the shim failed while relaying: " + what;
    }
    exchange->notifications.close();
}

// The answer awaited in the relaying coroutine itself, its notifications
// written to the client as they arrive: no deadline races the upstream, so
// nothing needs a second coroutine, a queue or a wake-up timer.
net::awaitable<ExchangeOutcome> relay_inline(upstream::UpstreamPool& pool, rewrite::ModernRequest request,
                                             std::string authorization, json upstream_id, ReplyChannel& reply,
                                             std::shared_ptr<session::RequestCancel> cancel) {
    ExchangeOutcome outcome;
    // A cancellation while a notification is being written finds no upstream
    // read to stop; the sink sees it before the next read starts.
    auto sink = [&](json message) -> net::awaitable<bool> {
        const auto arrival = arrival_of(message, upstream_id);
        if (arrival == Arrival::answer) {
            outcome.final_response = std::move(message);
        } else if (arrival == Arrival::notification) {
            outcome.client_alive = co_await reply.notify(rewrite::to_legacy_notification(std::move(message)));
        }
        co_return outcome.client_alive && !cancel->cancelled;
    };
    outcome.result = co_await pool.send(std::move(request), authorization, sink, {}, cancel->signal.slot());
    outcome.cancelled = cancel->cancelled;
    co_return outcome;
}

}  // namespace

net::awaitable<ExchangeOutcome> relay_exchange(upstream::UpstreamPool& pool, rewrite::ModernRequest request,
                                               std::string authorization, json upstream_id, ReplyChannel& reply,
                                               std::shared_ptr<session::RequestCancel> cancel,
                                               ExchangeTiming timing) {
    const auto poll_after = timing.poll_after;
    if (poll_after.count() <= 0 || reply.started()) {
        auto outcome = co_await relay_inline(pool, std::move(request), std::move(authorization),
                                             std::move(upstream_id), reply, std::move(cancel));
        co_return outcome;
    }
    const auto executor = co_await net::this_coro::executor;
    auto exchange = std::make_shared<Exchange>(executor, timing.outbox);
    // A named coroutine, not a capturing lambda: GCC 12 mis-destroys lambda
    // captures that are spawned from inside a coroutine.
    async::spawn_guarded(executor,
                         run_upstream(pool, exchange, std::move(request), std::move(authorization), upstream_id, cancel),
                         "an upstream exchange");

    ExchangeOutcome outcome;
    auto poll_at = Clock::now() + poll_after;  // Clock::time_point::max() once the client polls
    for (;;) {
        while (auto message = exchange->notifications.take()) {
            if (outcome.client_alive) outcome.client_alive = co_await reply.notify(std::move(*message));
        }
        if (!outcome.client_alive && !cancel->cancelled) {
            // Nowhere to deliver: stop the upstream work too.
            cancel->signal.emit(net::cancellation_type::terminal);
        }
        if (exchange->notifications.closed()) break;
        const auto woke = co_await exchange->notifications.wait_until(poll_at);
        if (woke == async::Woke::timed_out && poll_at != Clock::time_point::max() && !reply.started()) {
            // Slow answer: prime the stream, close the client's side; it polls with Last-Event-ID.
            outcome.client_alive = co_await reply.open();
            co_await reply.detach();
            poll_at = Clock::time_point::max();
        }
    }
    outcome.cancelled = cancel->cancelled;
    outcome.final_response = std::move(exchange->final_response);
    outcome.result = std::move(exchange->result);
    co_return outcome;
}

}  // namespace mcpshim::relay
