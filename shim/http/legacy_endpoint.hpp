#pragma once
// The Streamable HTTP face (2025-03-26 .. 2025-11-25) on the MCP endpoint:
// initialize answered from the upstream's server/discover, sealed session
// ids, GET streams and their resumption, DELETE; each request inside a
// session is handed to the request relay.
#include <boost/asio/awaitable.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <optional>
#include <string>

#include "http/reply_stream.hpp"
#include "http/response_writer.hpp"
#include "mcpshim/rewrite/jsonrpc.hpp"
#include "mcpshim/rewrite/session_view.hpp"
#include "relay/request_relay.hpp"
#include "session/session_store.hpp"
#include "session/session_token.hpp"
#include "http/http_context.hpp"

namespace mcpshim::http_face {

using Request = boost::beast::http::request<boost::beast::http::string_body>;

using relay::OpenSession;
using relay::RequestLog;

class LegacyEndpoint {
public:
    explicit LegacyEndpoint(HttpContext& context) : ctx_(context) {}

    boost::asio::awaitable<void> handle(const Request& request, ResponseWriter& out, RequestLog& log);

private:
    boost::asio::awaitable<void> get_stream(const Request& request, ResponseWriter& out, RequestLog& log);
    boost::asio::awaitable<void> post(const Request& request, ResponseWriter& out, RequestLog& log);
    boost::asio::awaitable<void> end_session(const Request& request, ResponseWriter& out, RequestLog& log);
    boost::asio::awaitable<std::optional<OpenSession>> open_session(const Request& request, ResponseWriter& out,
                                                                    RequestLog& log);
    boost::asio::awaitable<void> initialize(const rewrite::Message& message, const Request& request,
                                            ResponseWriter& out, RequestLog& log);

    HttpContext& ctx_;
};

}  // namespace mcpshim::http_face
