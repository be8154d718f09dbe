#pragma once
// Accepts legacy clients' connections and serves HTTP/1.1 keep-alive on each:
// the MCP endpoint, /healthz and /readyz. Requests are read under named
// limits (header bytes, body bytes, read time) and refused with a message
// that names the limit.
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "http/http_context.hpp"

namespace mcpshim::http_face {

boost::asio::awaitable<void> accept_loop(boost::asio::ip::tcp::acceptor& acceptor, HttpContext& context);

}  // namespace mcpshim::http_face
