#pragma once
// Writing a whole message to a TCP socket, first without waiting.
//
// A reply or an upstream request is usually small and the socket has room for
// it: one non-blocking send from the calling coroutine then writes it all,
// with no asynchronous operation, deadline timer or suspension. Only what the
// socket does not take at once is written asynchronously, within `timeout`.
#include <boost/asio/awaitable.hpp>
#include <boost/beast/core/tcp_stream.hpp>

#include <chrono>
#include <string_view>

namespace mcpshim::wire {

// False when the peer is gone or the timeout passed.
boost::asio::awaitable<bool> write_eagerly(boost::beast::tcp_stream& stream, std::string_view data,
                                           std::chrono::milliseconds timeout);

}  // namespace mcpshim::wire
