#pragma once
// GET + Last-Event-ID: replays a POST answer's stream after the given event
// from the replay buffer, then follows it live until its final response.
#include <boost/asio/awaitable.hpp>

#include <string>

#include "http/response_writer.hpp"
#include "session/session_token.hpp"
#include "http/http_context.hpp"

namespace mcpshim::http_face {

boost::asio::awaitable<void> serve_resumed_stream(HttpContext& ctx, session::SessionClaims claims,
                                                  std::string last_event_id, ResponseWriter& out);

}  // namespace mcpshim::http_face
