#pragma once
// Serves one legacy request inside a session, whatever the transport: local
// answers for what 2026-07-28 removed (ping, logging/setLevel, resource
// subscriptions), and everything else rewritten, forwarded upstream and
// relayed back as it arrives, with input rounds played out with the client.
#include <boost/asio/awaitable.hpp>

#include <string>

#include "mcpshim/rewrite/jsonrpc.hpp"
#include "mcpshim/rewrite/session_view.hpp"
#include "relay/reply_channel.hpp"
#include "session/session_store.hpp"
#include "session/session_token.hpp"
#include "shim_context.hpp"

namespace mcpshim::relay {

// A session as one request sees it: what it negotiated, and what it changed since.
struct OpenSession {
    session::SessionClaims claims;
    session::SessionState state;
};

// Who is asking: forwarded upstream as they came.
struct Caller {
    std::string authorization;
    rewrite::TraceContext trace;
};

// Filled while a request is served; the face logs it as one line.
struct RequestLog {
    std::string session;
    std::string rpc;       // method and id of the (first) message
    std::string upstream;  // instance that answered
    std::string note;      // why something was refused
};

class RequestRelay {
public:
    explicit RequestRelay(ShimContext& context) : ctx_(context) {}

    // Answers `message` (a request) on `reply`; false when the client is gone.
    boost::asio::awaitable<bool> serve(const rewrite::Message& message, OpenSession& session, Caller caller,
                                       ReplyChannel& reply, RequestLog& log);
    // A client's message that is not a request: a response to an input request,
    // or notifications/cancelled.
    void accept_from_client(const rewrite::Message& message, const OpenSession& session);

private:
    boost::asio::awaitable<bool> forward(const rewrite::Message& message, OpenSession& session, const Caller& caller,
                                         ReplyChannel& reply, RequestLog& log);
    boost::asio::awaitable<json> set_log_level(const rewrite::Message& message, OpenSession& session);
    boost::asio::awaitable<json> change_subscription(const rewrite::Message& message, OpenSession& session,
                                                     std::string authorization);
    json legacy_answer(const json& legacy_id, const std::string& method, const session::SessionClaims& claims,
                       json result, const std::string& instance, RequestLog& log);

    ShimContext& ctx_;
};

}  // namespace mcpshim::relay
