#include "redis/redis_connection.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include "async/guarded_spawn.hpp"
#include "mcpshim/rewrite/option_names.hpp"

namespace mcpshim::redis {

namespace net = boost::asio;
using tcp = net::ip::tcp;
constexpr auto use_tuple = net::as_tuple(net::use_awaitable);

std::string_view describe(RedisFailure failure) {
    switch (failure) {
        case RedisFailure::none:
            return "ok";
        case RedisFailure::unavailable:
            return "unavailable";
        case RedisFailure::timeout:
            return "timed out";
        case RedisFailure::overloaded:
            return "overloaded";
        case RedisFailure::protocol:
            return "not speaking RESP";
    }
    return "unknown";
}

std::shared_ptr<RedisConnection> RedisConnection::create(net::any_io_executor executor, RedisEndpoint endpoint,
                                                         RedisSettings settings) {
    return std::shared_ptr<RedisConnection>(new RedisConnection(std::move(executor), std::move(endpoint), settings));
}

RedisConnection::RedisConnection(net::any_io_executor executor, RedisEndpoint endpoint, RedisSettings settings)
    : executor_(executor), endpoint_(std::move(endpoint)), settings_(settings), socket_(executor),
      write_wake_(executor) {}

RedisConnection::~RedisConnection() = default;

std::string RedisConnection::unreachable() const {
    return "the session store " + endpoint_.display() + " is unavailable" +
           (last_error_.empty() ? std::string() : " (" + last_error_ + ")");
}

net::awaitable<RedisResult> RedisConnection::command(std::vector<std::string> args) {
    if (state_ == State::down) {
        const auto now = async::Clock::now();
        if (last_attempt_ != async::Clock::time_point{} && now - last_attempt_ < settings_.retry_after)
            co_return RedisResult{{}, RedisFailure::unavailable, unreachable() + "; retrying"};
        state_ = State::connecting;
        last_attempt_ = now;
        async::spawn_guarded(executor_, connect(shared_from_this(), ++generation_), "a Redis connection");
    }
    if (pending_.size() >= settings_.max_pending)
        co_return RedisResult{{}, RedisFailure::overloaded,
                              "the session store " + endpoint_.display() + " has " +
                                  std::to_string(settings_.max_pending) + " commands awaiting replies (" +
                                  std::string(option::redis_max_pending) + ")"};
    auto slot = std::make_shared<Pending>(executor_);
    out_ += format_command(args);
    pending_.push_back(slot);
    write_wake_.notify();
    const auto self = shared_from_this();  // a reset while we wait must not free the connection
    co_await slot->done.wait_until(async::Clock::now() + settings_.command_timeout);
    if (!slot->settled) {
        slot->settled = true;
        slot->result = RedisResult{{}, RedisFailure::timeout,
                                   "the session store " + endpoint_.display() + " did not answer within " +
                                       std::to_string(settings_.command_timeout.count()) + " ms (" +
                                       std::string(option::redis_timeout_ms) + ")"};
        // Replies would now be matched to the wrong commands' successors only if
        // the connection went on: drop it, and everything after fails fast.
        reset("a command timed out");
    }
    co_return std::move(slot->result);
}

void RedisConnection::settle_front(RedisResult result) {
    auto slot = std::move(pending_.front());
    pending_.pop_front();
    if (slot->settled) return;  // timed out already
    slot->settled = true;
    if (result.reply.is_error()) result.detail = "the session store " + endpoint_.display() + " refused: " + result.reply.text;
    slot->result = std::move(result);
    slot->done.notify();
}

void RedisConnection::fail_all(RedisFailure failure, const std::string& detail) {
    auto pending = std::move(pending_);
    pending_.clear();
    out_.clear();
    for (auto& slot : pending) {
        if (slot->settled) continue;
        slot->settled = true;
        slot->result = RedisResult{{}, failure, detail};
        slot->done.notify();
    }
}

void RedisConnection::reset(const std::string& why) {
    if (state_ == State::down) return;
    if (state_ == State::up) spdlog::warn("session store {}: connection dropped: {}", endpoint_.display(), why);
    last_error_ = why;
    state_ = State::down;
    ++generation_;
    boost::system::error_code ignored;
    socket_.close(ignored);
    write_wake_.notify();
    fail_all(RedisFailure::unavailable, unreachable());
}

net::awaitable<void> RedisConnection::connect(std::shared_ptr<RedisConnection> self, std::uint64_t generation) {
    // The whole handshake runs under --redis-connect-timeout-ms: past it the
    // resolver and the socket are closed under the coroutine, which then fails.
    struct Watch {
        explicit Watch(net::any_io_executor executor) : resolver(executor) {}
        tcp::resolver resolver;
        bool timed_out = false;
    };
    auto watch = std::make_shared<Watch>(self->executor_);
    net::steady_timer deadline(self->executor_, self->settings_.connect_timeout);
    deadline.async_wait([watch, weak = std::weak_ptr(self), generation](boost::system::error_code ec) {
        if (ec) return;
        watch->timed_out = true;
        watch->resolver.cancel();
        if (auto alive = weak.lock(); alive && alive->generation_ == generation) {
            boost::system::error_code ignored;
            alive->socket_.close(ignored);
        }
    });
    auto& resolver = watch->resolver;
    std::string failure;
    auto [resolve_ec, endpoints] =
        co_await resolver.async_resolve(self->endpoint_.host, std::to_string(self->endpoint_.port), use_tuple);
    if (resolve_ec) failure = "cannot resolve " + self->endpoint_.host + ": " + resolve_ec.message();
    ReplyReader handshake;
    if (failure.empty()) {
        self->socket_ = tcp::socket(self->executor_);
        auto [connect_ec, ignored_endpoint] = co_await net::async_connect(self->socket_, endpoints, use_tuple);
        if (connect_ec) failure = connect_ec.message();
    }
    if (failure.empty()) {
        self->socket_.set_option(tcp::no_delay(true));
        // AUTH and SELECT go before anything queued meanwhile.
        std::string hello;
        int expected = 0;
        if (!self->endpoint_.password.empty()) {
            hello += format_command({"AUTH", self->endpoint_.password});
            ++expected;
        }
        hello += format_command({"SELECT", std::to_string(self->endpoint_.db)});
        ++expected;
        auto [write_ec, written] = co_await net::async_write(self->socket_, net::buffer(hello), use_tuple);
        if (write_ec) failure = write_ec.message();
        std::string buffer(4096, '\0');
        while (failure.empty() && expected > 0) {
            auto next = handshake.next();
            if (auto* reply = std::get_if<Reply>(&next)) {
                if (reply->is_error()) failure = "refused the handshake: " + reply->text;
                --expected;
                continue;
            }
            if (auto* broken = std::get_if<std::string>(&next)) {
                failure = *broken;
                break;
            }
            auto [read_ec, n] = co_await self->socket_.async_read_some(net::buffer(buffer), use_tuple);
            if (read_ec) failure = read_ec.message();
            else handshake.feed(std::string_view(buffer.data(), n));
        }
    }
    deadline.cancel();
    if (watch->timed_out) failure = "no connection within " + std::to_string(self->settings_.connect_timeout.count()) + " ms (" +
                             std::string(option::redis_connect_timeout_ms) + ")";
    if (generation != self->generation_) co_return;  // reset meanwhile
    if (!failure.empty()) {
        spdlog::warn("session store {}: cannot connect: {} (next attempt no sooner than {} ms, {})",
                     self->endpoint_.display(), failure, self->settings_.retry_after.count(), option::redis_retry_ms);
        self->reset(failure);  // what waits fails at once
        co_return;
    }
    if (!self->last_error_.empty()) spdlog::info("session store {}: connected again", self->endpoint_.display());
    self->last_error_.clear();
    self->state_ = State::up;
    async::spawn_guarded(self->executor_, read_loop(self, generation), "a Redis connection's reader");
    async::spawn_guarded(self->executor_, write_loop(self, generation), "a Redis connection's writer");
}

net::awaitable<void> RedisConnection::write_loop(std::shared_ptr<RedisConnection> self, std::uint64_t generation) {
    std::string sending;
    while (generation == self->generation_) {
        if (self->out_.empty()) {
            co_await self->write_wake_.wait();
            continue;
        }
        sending.swap(self->out_);
        auto [ec, n] = co_await net::async_write(self->socket_, net::buffer(sending), use_tuple);
        sending.clear();
        if (ec) {
            if (generation == self->generation_) self->reset("write failed: " + ec.message());
            co_return;
        }
    }
}

net::awaitable<void> RedisConnection::read_loop(std::shared_ptr<RedisConnection> self, std::uint64_t generation) {
    ReplyReader reader;
    std::string buffer(16384, '\0');
    while (generation == self->generation_) {
        auto [ec, n] = co_await self->socket_.async_read_some(net::buffer(buffer), use_tuple);
        if (generation != self->generation_) co_return;
        if (ec) {
            self->reset(ec == net::error::eof ? "Redis closed the connection" : "read failed: " + ec.message());
            co_return;
        }
        reader.feed(std::string_view(buffer.data(), n));
        for (;;) {
            auto next = reader.next();
            if (std::holds_alternative<std::nullopt_t>(next)) break;
            if (auto* broken = std::get_if<std::string>(&next)) {
                self->reset("not RESP: " + *broken);
                co_return;
            }
            if (self->pending_.empty()) {
                self->reset("a reply to no command");
                co_return;
            }
            self->settle_front(RedisResult{std::move(std::get<Reply>(next)), RedisFailure::none, {}});
        }
    }
}

}  // namespace mcpshim::redis
