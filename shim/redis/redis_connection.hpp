#pragma once
// One pipelined connection to Redis, used from one executor: commands from
// any coroutine there are written in order and their replies matched in
// order (hiredis formats and reads RESP; the socket is Asio's, so no serving
// thread ever blocks on Redis). It connects on first use (AUTH, SELECT) and,
// after a failure, again on the next command no sooner than --redis-retry-ms
// after the last attempt; until then a command fails at once, never waits.
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "async/wakeup.hpp"
#include "redis/redis_endpoint.hpp"
#include "redis/resp.hpp"

namespace mcpshim::redis {

struct RedisSettings {
    std::chrono::milliseconds connect_timeout{2000};  // --redis-connect-timeout-ms
    std::chrono::milliseconds command_timeout{1000};  // --redis-timeout-ms: a reply later than this fails the command
    std::chrono::milliseconds retry_after{1000};      // --redis-retry-ms: wait before connecting again
    std::size_t max_pending = 10000;                  // --redis-max-pending: commands awaiting replies per connection
};

enum class RedisFailure {
    none,
    unavailable,  // no connection (down, refused, reset)
    timeout,      // no reply within --redis-timeout-ms
    overloaded,   // --redis-max-pending commands already wait
    protocol,     // the peer does not speak RESP
};
std::string_view describe(RedisFailure failure);

struct RedisResult {
    Reply reply;
    RedisFailure failure = RedisFailure::none;
    std::string detail;  // what failed, naming the store; an error reply's text
    bool ok() const { return failure == RedisFailure::none && !reply.is_error(); }
};

class RedisConnection : public std::enable_shared_from_this<RedisConnection> {
public:
    static std::shared_ptr<RedisConnection> create(boost::asio::any_io_executor executor, RedisEndpoint endpoint,
                                                   RedisSettings settings);
    ~RedisConnection();

    boost::asio::awaitable<RedisResult> command(std::vector<std::string> args);
    bool connected() const { return state_ == State::up; }
    const RedisEndpoint& endpoint() const { return endpoint_; }
    // Drops the connection; what awaits a reply fails as unavailable.
    void reset(const std::string& why);
    // The same, said nowhere: its owner is going away.
    void close();

private:
    RedisConnection(boost::asio::any_io_executor executor, RedisEndpoint endpoint, RedisSettings settings);

    enum class State { down, connecting, up };
    struct Pending {
        explicit Pending(boost::asio::any_io_executor executor) : done(std::move(executor)) {}
        async::Wakeup done;
        bool settled = false;
        RedisResult result;
    };
    static boost::asio::awaitable<void> connect(std::shared_ptr<RedisConnection> self, std::uint64_t generation);
    static boost::asio::awaitable<void> read_loop(std::shared_ptr<RedisConnection> self, std::uint64_t generation);
    static boost::asio::awaitable<void> write_loop(std::shared_ptr<RedisConnection> self, std::uint64_t generation);
    void settle_front(RedisResult result);
    void fail_all(RedisFailure failure, const std::string& detail);
    std::string store_name() const;  // how messages name it
    std::string unreachable() const;

    boost::asio::any_io_executor executor_;
    const RedisEndpoint endpoint_;
    const RedisSettings settings_;
    boost::asio::ip::tcp::socket socket_;
    State state_ = State::down;
    std::uint64_t generation_ = 0;  // of the socket: loops of an older one stop
    async::Clock::time_point last_attempt_{};
    std::string last_error_;
    bool closing_ = false;
    std::string out_;  // formatted commands not yet written
    std::deque<std::shared_ptr<Pending>> pending_;  // written or queued, awaiting replies, oldest first
    async::Wakeup write_wake_;
};

}  // namespace mcpshim::redis
