#pragma once
// The stdio face: a legacy client that can only spawn a process runs the shim
// as its server. Newline-delimited JSON-RPC on stdin/stdout, logs on stderr;
// the session is the process lifetime.
#include <boost/asio/io_context.hpp>

#include <chrono>

#include "relay/relay_context.hpp"

namespace mcpshim {

// Serves stdin/stdout on `io` until stdin closes and the answers under way
// are written (for at most `drain_timeout`), then returns. Coroutines may
// still be suspended on objects of this call's: the caller exits, it does not
// unwind.
void serve_stdio(boost::asio::io_context& io, relay::RelayContext& ctx, std::chrono::milliseconds drain_timeout);

}  // namespace mcpshim
