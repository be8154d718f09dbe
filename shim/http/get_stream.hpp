#pragma once
// The legacy standalone GET stream: the session's change notifications as SSE.
#include <boost/asio/awaitable.hpp>

#include <string>

#include "http/response_writer.hpp"
#include "session/session_token.hpp"
#include "http/http_context.hpp"

namespace mcpshim::http_face {

boost::asio::awaitable<void> serve_get_stream(HttpContext& ctx, session::SessionClaims claims,
                                              std::string authorization, ResponseWriter& out);

}  // namespace mcpshim::http_face
