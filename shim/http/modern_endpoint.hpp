#pragma once
// A modern (2026-07-28) client's POST on the MCP endpoint: passed through to
// an upstream instance as it came, and the answer back as it comes (JSON
// whole, SSE event by event), with no session and no translation. Checked
// first as a modern server would check it cheaply: the standard headers
// against the body (docs/modern-clients.md names what is left to the server).
#include <boost/asio/awaitable.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include "http/http_context.hpp"
#include "http/response_writer.hpp"
#include "mcpshim/rewrite/json.hpp"
#include "relay/request_types.hpp"

namespace mcpshim::http_face {

using Request = boost::beast::http::request<boost::beast::http::string_body>;

// `body`: the request's body, parsed once by the endpoint to choose the era.
boost::asio::awaitable<void> pass_modern_request(HttpContext& ctx, const Request& request, const json& body,
                                                 ResponseWriter& out, relay::RequestLog& log);

}  // namespace mcpshim::http_face
