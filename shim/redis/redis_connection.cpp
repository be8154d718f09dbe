#include "redis/redis_connection.hpp"

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

std::string RedisConnection::store_name() const {
    return "the session store " + endpoint_.display();
}

std::string RedisConnection::unreachable() const {
    return store_name() + " is unavailable" +
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
                              store_name() + " has " +
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
                                   store_name() + " did not answer within " +
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
    if (result.reply.is_error()) result.detail = store_name() + " refused: " + result.reply.text;
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

void RedisConnection::close() {
    closing_ = true;
    reset("closed");
}

void RedisConnection::reset(const std::string& why) {
    if (state_ == State::down) return;
    if (state_ == State::up && !closing_)
        spdlog::warn("session store {}: connection dropped: {}", endpoint_.display(), why);
    last_error_ = why;
    state_ = State::down;
    ++generation_;
    boost::system::error_code ignored;
    socket_.close(ignored);
    write_wake_.notify();
    fail_all(RedisFailure::unavailable, unreachable());
}

net::awaitable<void> RedisConnection::connect(std::shared_ptr<RedisConnection> self, std::uint64_t generation) {
    self->socket_ = tcp::socket(self->executor_);
    const auto failure = co_await open_connection(self->socket_, self->endpoint_, self->settings_.connect_timeout);
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
