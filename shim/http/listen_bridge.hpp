#pragma once
// The legacy standalone GET stream, fed by an upstream `subscriptions/listen`
// held for the session while the stream is open: list-changed and
// resource-updated notifications are relayed without the subscription id,
// the listen is re-opened when the session's subscriptions change or the
// upstream drops it (with backoff), and keep-alive comments keep quiet
// streams open.
#include <boost/asio/awaitable.hpp>

#include "http/response_writer.hpp"
#include "session/session_token.hpp"
#include "shim_context.hpp"

namespace mcpshim::http_face {

boost::asio::awaitable<void> serve_get_stream(ShimContext& ctx, session::SessionClaims claims,
                                              std::string authorization, ResponseWriter& out);

}  // namespace mcpshim::http_face
