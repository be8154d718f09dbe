#pragma once
// The HTTP+SSE transport of protocol 2024-11-05: GET on the SSE path opens
// the client's one stream and names, in an `endpoint` event, the URL to POST
// messages to; every answer, notification and server-to-client request comes
// back on that stream. The session is the stream.
#include <boost/asio/awaitable.hpp>

#include "http/request_checks.hpp"
#include "http/sse_connections.hpp"
#include "mcpshim/rewrite/json_limits.hpp"
#include "http/response_writer.hpp"
#include "relay/request_relay.hpp"
#include "http/http_context.hpp"

namespace mcpshim::http_face {

boost::asio::awaitable<void> serve_sse_stream(HttpContext& ctx, const Request& request, ResponseWriter& out,
                                              relay::RequestLog& log);
boost::asio::awaitable<void> accept_sse_message(HttpContext& ctx, const Request& request, ResponseWriter& out,
                                                relay::RequestLog& log);
// A POST that another instance of a fleet took for a stream this process
// holds (see session::ConnectionRoutes): its messages go to the stream's session.
void accept_forwarded_sse_message(SseConnections& connections, const rewrite::JsonLimits& limits,
                                  const std::string& connection_id, const std::string& payload);

}  // namespace mcpshim::http_face
