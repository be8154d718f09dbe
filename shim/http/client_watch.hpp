#pragma once
// Watches a client's connection while its request waits (on the upstream,
// or on the client's own answer to an elicitation): nobody reads the socket
// then, so without a watch a client that left would hold its connection
// slot, and its upstream exchange, until every timeout ran out.
#include <boost/asio/ip/tcp.hpp>

#include <functional>
#include <memory>

namespace mcpshim::http_face {

class ClientWatch {
public:
    // `on_gone` runs once, on the socket's executor, when the peer closes or
    // resets the connection. Bytes of a next (pipelined) request end the watch.
    ClientWatch(boost::asio::ip::tcp::socket& socket, std::function<void()> on_gone);
    ~ClientWatch();
    ClientWatch(const ClientWatch&) = delete;
    ClientWatch& operator=(const ClientWatch&) = delete;

private:
    struct State;
    std::shared_ptr<State> state_;
};

}  // namespace mcpshim::http_face
