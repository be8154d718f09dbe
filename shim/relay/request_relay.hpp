#pragma once
// Serves one legacy request inside a session, whatever the transport: local
// answers for what 2026-07-28 removed (ping, logging/setLevel, resource
// subscriptions), and everything else rewritten, forwarded upstream and
// relayed back as it arrives, with input rounds played out with the client.
#include <boost/asio/awaitable.hpp>

#include <optional>
#include <string>

#include "mcpshim/rewrite/jsonrpc.hpp"
#include "mcpshim/rewrite/session_view.hpp"
#include "relay/reply_channel.hpp"
#include "relay/request_types.hpp"
#include "relay/task_relay.hpp"
#include "relay/upstream_exchange.hpp"
#include "mcpshim/rewrite/mrtr.hpp"
#include "relay/relay_context.hpp"

namespace mcpshim::relay {

class RequestRelay {
public:
    explicit RequestRelay(RelayContext& context) : ctx_(context), tasks_(context) {}

    // Answers `message` (a request) on `reply`; false when the client is gone.
    boost::asio::awaitable<bool> serve(const rewrite::Message& message, OpenSession& session, Caller caller,
                                       ReplyChannel& reply, RequestLog& log);
    // A client's message that is not a request: a response to an input request,
    // or notifications/cancelled.
    void accept_from_client(const rewrite::Message& message, const OpenSession& session);

private:
    // What `serve` does inside its exception boundary: the method's route.
    boost::asio::awaitable<bool> route(const rewrite::Message& message, OpenSession& session, Caller caller,
                                       ReplyChannel& reply, RequestLog& log);
    struct Forwarding;
    struct Step;
    // A request the upstream answers: its exchanges, one per input round.
    boost::asio::awaitable<bool> forward(const rewrite::Message& message, OpenSession& session, const Caller& caller,
                                         ReplyChannel& reply, RequestLog& log);
    // What one upstream answer leads to: the client's answer, another round, or nothing.
    boost::asio::awaitable<Step> settle(Forwarding& state, ExchangeOutcome exchange);
    // An input round played out with the client; the retry carries its answers.
    boost::asio::awaitable<Step> provide_input(Forwarding& state, const rewrite::InputRound& round);
    // tasks/get, tasks/result, tasks/list, tasks/cancel; null when the client cancelled.
    boost::asio::awaitable<json> serve_task_method(const rewrite::Message& message, const OpenSession& session,
                                                   const Caller& caller, ReplyChannel& reply);
    // What a cancelled request ends with.
    boost::asio::awaitable<bool> end_cancelled(ReplyChannel& reply, RequestLog& log);
    boost::asio::awaitable<json> set_log_level(const rewrite::Message& message, OpenSession& session);
    boost::asio::awaitable<json> change_subscription(const rewrite::Message& message, OpenSession& session,
                                                     std::string authorization);
    // The Mcp-Param-* header spec of the tool a tools/call names, if it has one.
    boost::asio::awaitable<std::optional<rewrite::ToolHeaderSpec>> tool_headers(const json& request,
                                                                                const OpenSession& session,
                                                                                std::string authorization);
    // A complete upstream result as the legacy client's answer.
    boost::asio::awaitable<json> legacy_answer(const json& legacy_request, const OpenSession& session, json result,
                                               std::string instance, std::string authorization, RequestLog& log);

    RelayContext& ctx_;
    TaskRelay tasks_;
};

}  // namespace mcpshim::relay
