#include "redis/redis_subscriber.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include "async/guarded_spawn.hpp"
#include "mcpshim/rewrite/option_names.hpp"
#include "redis/redis_handshake.hpp"

namespace mcpshim::redis {

namespace net = boost::asio;
using tcp = net::ip::tcp;
constexpr auto use_tuple = net::as_tuple(net::use_awaitable);

std::shared_ptr<RedisSubscriber> RedisSubscriber::create(net::any_io_executor executor, RedisEndpoint endpoint,
                                                         RedisSettings settings, SubscriberHandlers handlers) {
    return std::shared_ptr<RedisSubscriber>(
        new RedisSubscriber(std::move(executor), std::move(endpoint), settings, std::move(handlers)));
}

RedisSubscriber::RedisSubscriber(net::any_io_executor executor, RedisEndpoint endpoint, RedisSettings settings,
                                 SubscriberHandlers handlers)
    : executor_(executor), endpoint_(std::move(endpoint)), settings_(settings), handlers_(std::move(handlers)),
      socket_(executor), retry_(executor) {}

void RedisSubscriber::send_now(const std::string& command) {
    // Subscriptions are few and small: one best-effort write each; a failure
    // shows up on the reading side, which reconnects and subscribes again.
    auto bytes = std::make_shared<std::string>(command);
    net::async_write(socket_, net::buffer(*bytes), [bytes](boost::system::error_code, std::size_t) {});
}

void RedisSubscriber::subscribe(std::string channel) {
    if (!channels_.insert(channel).second) return;
    if (connected_) {
        ++awaiting_confirmations_;
        send_now(format_command(args("SUBSCRIBE", channel)));
    }
}

void RedisSubscriber::psubscribe(std::string pattern) {
    if (!patterns_.insert(pattern).second) return;
    if (connected_) {
        ++awaiting_confirmations_;
        send_now(format_command(args("PSUBSCRIBE", pattern)));
    }
}

void RedisSubscriber::start() {
    async::spawn_guarded(executor_, run(shared_from_this()), "the session store's subscriber");
}

void RedisSubscriber::stop() {
    stopped_ = true;
    handlers_ = {};  // what they refer to may go once stopped
    boost::system::error_code ignored;
    socket_.close(ignored);
    retry_.notify();
}

net::awaitable<void> RedisSubscriber::run(std::shared_ptr<RedisSubscriber> self) {
    bool said_lost = false;
    while (!self->stopped_) {
        const auto why = co_await self->serve_connection();
        const bool was_ready = self->ready_;
        self->connected_ = self->ready_ = false;
        if (self->stopped_) break;
        if (was_ready || !said_lost) {
            spdlog::warn("session store {}: subscription lost: {} (retrying every {} ms, {})", self->endpoint_.display(),
                         why, self->settings_.retry_after.count(), option::redis_retry_ms);
            if (self->handlers_.on_lost) self->handlers_.on_lost();
            said_lost = true;
        }
        co_await self->retry_.wait_for(self->settings_.retry_after);
    }
}

net::awaitable<std::string> RedisSubscriber::serve_connection() {
    socket_ = tcp::socket(executor_);
    if (auto failure = co_await open_connection(socket_, endpoint_, settings_.connect_timeout); !failure.empty())
        co_return failure;
    if (stopped_) co_return "stopped";
    connected_ = true;
    std::string subscriptions;
    awaiting_confirmations_ = 0;
    for (const auto& channel : channels_) {
        subscriptions += format_command(args("SUBSCRIBE", channel));
        ++awaiting_confirmations_;
    }
    for (const auto& pattern : patterns_) {
        subscriptions += format_command(args("PSUBSCRIBE", pattern));
        ++awaiting_confirmations_;
    }
    if (awaiting_confirmations_ == 0) {
        ready_ = true;
        if (handlers_.on_ready) handlers_.on_ready();
    } else {
        auto [write_ec, written] = co_await net::async_write(socket_, net::buffer(subscriptions), use_tuple);
        if (write_ec) co_return write_ec.message();
    }
    ReplyReader reader;
    std::string buffer(16384, '\0');
    for (;;) {
        auto [ec, n] = co_await socket_.async_read_some(net::buffer(buffer), use_tuple);
        if (ec) co_return ec == net::error::eof ? std::string("Redis closed the connection") : ec.message();
        reader.feed(std::string_view(buffer.data(), n));
        for (;;) {
            auto next = reader.next();
            if (std::holds_alternative<std::nullopt_t>(next)) break;
            if (auto* broken = std::get_if<std::string>(&next)) co_return "not RESP: " + *broken;
            const auto& reply = std::get<Reply>(next);
            if (reply.type != Reply::Type::array || reply.elements.empty()) continue;
            const auto& kind = reply.elements[0].text;
            if (kind == "message" && reply.elements.size() == 3) {
                if (handlers_.on_message) handlers_.on_message(reply.elements[1].text, reply.elements[2].text);
            } else if (kind == "pmessage" && reply.elements.size() == 4) {
                if (handlers_.on_message) handlers_.on_message(reply.elements[2].text, reply.elements[3].text);
            } else if ((kind == "subscribe" || kind == "psubscribe") && awaiting_confirmations_ > 0) {
                if (--awaiting_confirmations_ == 0 && !ready_) {
                    ready_ = true;
                    if (handlers_.on_ready) handlers_.on_ready();
                }
            }
        }
    }
}

}  // namespace mcpshim::redis
