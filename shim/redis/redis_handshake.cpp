#include "redis/redis_handshake.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <memory>

#include "mcpshim/rewrite/option_names.hpp"
#include "redis/resp.hpp"

namespace mcpshim::redis {

namespace net = boost::asio;
using tcp = net::ip::tcp;
constexpr auto use_tuple = net::as_tuple(net::use_awaitable);

namespace {

// AUTH and SELECT, and their replies.
net::awaitable<std::string> greet(tcp::socket& socket, const RedisEndpoint& endpoint) {
    std::string hello;
    int expected = 0;
    if (!endpoint.password.empty()) {
        hello += format_command(args("AUTH", endpoint.password));
        ++expected;
    }
    hello += format_command(args("SELECT", std::to_string(endpoint.db)));
    ++expected;
    auto [write_ec, written] = co_await net::async_write(socket, net::buffer(hello), use_tuple);
    if (write_ec) co_return write_ec.message();
    ReplyReader reader;
    std::string buffer(4096, '\0');
    while (expected > 0) {
        auto next = reader.next();
        if (auto* reply = std::get_if<Reply>(&next)) {
            if (reply->is_error()) co_return "refused the handshake: " + reply->text;
            --expected;
            continue;
        }
        if (auto* broken = std::get_if<std::string>(&next)) co_return *broken;
        auto [read_ec, n] = co_await socket.async_read_some(net::buffer(buffer), use_tuple);
        if (read_ec) co_return read_ec.message();
        reader.feed(std::string_view(buffer.data(), n));
    }
    co_return std::string();
}

}  // namespace

net::awaitable<std::string> open_connection(tcp::socket& socket, const RedisEndpoint& endpoint,
                                            std::chrono::milliseconds connect_timeout) {
    // Past the deadline the resolver and the socket are closed under this
    // coroutine, which then fails; `done` keeps a late timer off a socket
    // that has moved on.
    struct Watch {
        Watch(net::any_io_executor executor, tcp::socket& watched) : resolver(executor), socket(watched) {}
        tcp::resolver resolver;
        tcp::socket& socket;
        bool timed_out = false;
        bool done = false;
    };
    const auto executor = socket.get_executor();
    auto watch = std::make_shared<Watch>(executor, socket);
    net::steady_timer deadline(executor, connect_timeout);
    deadline.async_wait([watch](boost::system::error_code ec) {
        if (ec || watch->done) return;
        watch->timed_out = true;
        watch->resolver.cancel();
        boost::system::error_code ignored;
        watch->socket.close(ignored);
    });
    std::string failure;
    auto [resolve_ec, endpoints] =
        co_await watch->resolver.async_resolve(endpoint.host, std::to_string(endpoint.port), use_tuple);
    if (resolve_ec) failure = "cannot resolve " + endpoint.host + ": " + resolve_ec.message();
    if (failure.empty()) {
        auto [connect_ec, ignored_endpoint] = co_await net::async_connect(socket, endpoints, use_tuple);
        if (connect_ec) failure = connect_ec.message();
    }
    if (failure.empty()) {
        boost::system::error_code ignored;
        socket.set_option(tcp::no_delay(true), ignored);
        failure = co_await greet(socket, endpoint);
    }
    watch->done = true;
    deadline.cancel();
    if (watch->timed_out)
        failure = "no connection within " + std::to_string(connect_timeout.count()) + " ms (" +
                  std::string(option::redis_connect_timeout_ms) + ")";
    co_return failure;
}

}  // namespace mcpshim::redis
