#pragma once
// A connection in subscribe mode: every message on the channels (or channel
// patterns) it subscribed to goes to one handler. A lost connection is said
// at once (`on_lost`: whatever was built from its messages may be stale) and
// retried every --redis-retry-ms; once subscribed again it says so
// (`on_ready`). Used from one executor.
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <functional>
#include <memory>
#include <set>
#include <string>

#include "async/wakeup.hpp"
#include "redis/redis_connection.hpp"

namespace mcpshim::redis {

struct SubscriberHandlers {
    std::function<void(const std::string& channel, const std::string& payload)> on_message;
    std::function<void()> on_lost;   // the subscription broke (messages may have been missed)
    std::function<void()> on_ready;  // subscribed (first time, and after each reconnect)
};

class RedisSubscriber : public std::enable_shared_from_this<RedisSubscriber> {
public:
    static std::shared_ptr<RedisSubscriber> create(boost::asio::any_io_executor executor, RedisEndpoint endpoint,
                                                   RedisSettings settings, SubscriberHandlers handlers);
    // Subscribes now if connected, and again after every reconnect.
    void subscribe(std::string channel);
    void psubscribe(std::string pattern);
    void start();
    void stop();
    bool ready() const { return ready_; }

private:
    RedisSubscriber(boost::asio::any_io_executor executor, RedisEndpoint endpoint, RedisSettings settings,
                    SubscriberHandlers handlers);
    static boost::asio::awaitable<void> run(std::shared_ptr<RedisSubscriber> self);
    // One connection's life: subscribe to everything, then deliver until it breaks.
    boost::asio::awaitable<std::string> serve_connection();
    void send_now(const std::string& command);

    boost::asio::any_io_executor executor_;
    const RedisEndpoint endpoint_;
    const RedisSettings settings_;
    SubscriberHandlers handlers_;
    boost::asio::ip::tcp::socket socket_;
    async::Wakeup retry_;
    std::set<std::string> channels_;
    std::set<std::string> patterns_;
    bool connected_ = false;  // the socket is open and greeted
    bool ready_ = false;      // ... and every subscription confirmed
    bool stopped_ = false;
    std::size_t awaiting_confirmations_ = 0;
};

}  // namespace mcpshim::redis
