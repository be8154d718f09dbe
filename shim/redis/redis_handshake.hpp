#pragma once
// Opening a connection to Redis, for the command connection and the
// subscriber alike: resolve, connect, AUTH (when the URL has a password) and
// SELECT, all within one deadline.
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <chrono>
#include <string>

#include "redis/redis_endpoint.hpp"

namespace mcpshim::redis {

// Empty when `socket` is open and ready for commands; otherwise why not.
boost::asio::awaitable<std::string> open_connection(boost::asio::ip::tcp::socket& socket, const RedisEndpoint& endpoint,
                                                    std::chrono::milliseconds connect_timeout);

}  // namespace mcpshim::redis
