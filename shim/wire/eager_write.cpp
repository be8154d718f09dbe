#include "wire/eager_write.hpp"

#include <sys/socket.h>

#include <cerrno>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

namespace mcpshim::wire {

namespace net = boost::asio;

net::awaitable<bool> write_eagerly(boost::beast::tcp_stream& stream, std::string_view data,
                                   std::chrono::milliseconds timeout) {
    auto& socket = stream.socket();
    if (!socket.is_open()) co_return false;
    std::size_t written = 0;
    while (written < data.size()) {
        const auto sent = ::send(socket.native_handle(), data.data() + written, data.size() - written,
                                 MSG_DONTWAIT | MSG_NOSIGNAL);
        if (sent > 0) {
            written += static_cast<std::size_t>(sent);
            continue;
        }
        if (sent < 0 && errno == EINTR) continue;
        if (sent < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
        co_return false;  // the peer is gone
    }
    if (written == data.size()) co_return true;
    stream.expires_after(timeout);
    auto [ec, n] = co_await net::async_write(stream, net::buffer(data.substr(written)),
                                             net::as_tuple(net::use_awaitable));
    stream.expires_never();
    co_return !ec;
}

}  // namespace mcpshim::wire
