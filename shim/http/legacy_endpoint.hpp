#pragma once
// The Streamable HTTP face (2025-03-26 .. 2025-11-25) on the MCP endpoint:
// initialize answered from the upstream's server/discover, sealed session
// ids, local answers for what 2026-07-28 removed, and every other request
// rewritten, forwarded and relayed back as it arrives.
#include <boost/asio/awaitable.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <optional>
#include <string>

#include "http/reply_stream.hpp"
#include "http/response_writer.hpp"
#include "mcpshim/rewrite/jsonrpc.hpp"
#include "mcpshim/rewrite/session_view.hpp"
#include "session/session_store.hpp"
#include "session/session_token.hpp"
#include "shim_context.hpp"

namespace mcpshim::http_face {

using Request = boost::beast::http::request<boost::beast::http::string_body>;

// Filled while a request is served; the listener logs it as one line.
struct RequestLog {
    std::string session;
    std::string rpc;       // method and id of the (first) message
    std::string upstream;  // instance that answered
    std::string note;      // why something was refused
};

class LegacyEndpoint {
public:
    explicit LegacyEndpoint(ShimContext& context) : ctx_(context) {}

    boost::asio::awaitable<void> handle(const Request& request, ResponseWriter& out, RequestLog& log);

private:
    struct OpenSession {
        session::SessionClaims claims;
        session::SessionState state;
    };

    boost::asio::awaitable<void> get_stream(const Request& request, ResponseWriter& out, RequestLog& log);
    boost::asio::awaitable<json> change_subscription(const rewrite::Message& message, OpenSession& session,
                                                     std::string authorization);
    boost::asio::awaitable<void> post(const Request& request, ResponseWriter& out, RequestLog& log);
    boost::asio::awaitable<void> end_session(const Request& request, ResponseWriter& out, RequestLog& log);
    boost::asio::awaitable<std::optional<OpenSession>> open_session(const Request& request, ResponseWriter& out,
                                                                    RequestLog& log);
    boost::asio::awaitable<void> initialize(const rewrite::Message& message, const Request& request,
                                            ResponseWriter& out, RequestLog& log);
    boost::asio::awaitable<bool> serve(const rewrite::Message& message, OpenSession& session, const Request& request,
                                       ReplyStream& reply, RequestLog& log);
    boost::asio::awaitable<bool> forward(const rewrite::Message& message, OpenSession& session, const Request& request,
                                         ReplyStream& reply, RequestLog& log);
    boost::asio::awaitable<json> set_log_level(const rewrite::Message& message, OpenSession& session);
    // The legacy client's answer for an upstream result.
    json legacy_answer(const json& legacy_id, const std::string& method, const session::SessionClaims& claims,
                       json result, const std::string& instance, RequestLog& log);

    ShimContext& ctx_;
};

}  // namespace mcpshim::http_face
