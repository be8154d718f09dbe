#pragma once
// One serving thread's relay context over a scripted upstream on loopback,
// and a reply channel that records what the relay sends: the middle layer
// tested against the real layers below it and a fake face above.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/context.hpp>

#include <functional>
#include <vector>

#include "relay/relay_context.hpp"
#include "relay/reply_channel.hpp"
#include "relay/request_types.hpp"
#include "run_coroutine.hpp"
#include "scripted_upstream.hpp"

namespace mcpshim::testing {

// What the relay sent through its reply channel, in order.
class RecordingReply final : public relay::ReplyChannel {
public:
    std::vector<json> notifications;
    json response;  // null until the final response
    relay::AnswerKind kind = relay::AnswerKind::answered;
    bool opened = false;
    // Called with each message sent before the response (an input request, say).
    std::function<void(const json&)> on_notify;

    boost::asio::awaitable<bool> notify(json message) override {
        started_ = true;
        notifications.push_back(message);
        if (on_notify) on_notify(notifications.back());
        co_return true;
    }
    boost::asio::awaitable<bool> respond(json message, relay::AnswerKind answer_kind) override {
        started_ = true;
        response = std::move(message);
        kind = answer_kind;
        co_return true;
    }
    boost::asio::awaitable<bool> open() override {
        opened = started_ = true;
        co_return true;
    }
    boost::asio::awaitable<void> detach() override { co_return; }
    bool started() const override { return started_; }

private:
    bool started_ = false;
};

// A JSON-RPC answer to the request in `body`, with its id.
inline std::string answer_to(const std::string& body, json result) {
    const json request = json::parse(body);
    json message{{"jsonrpc", "2.0"}, {"id", request["id"]}};
    message["result"] = std::move(result);
    return json_answer(message.dump());
}

// The same, as one event on an SSE response, after `before` (notifications).
inline std::string sse_answer_to(const std::string& body, const std::vector<json>& before, json result) {
    const json request = json::parse(body);
    std::string events;
    for (const auto& message : before) events += "event: message\ndata: " + message.dump() + "\n\n";
    json final_message{{"jsonrpc", "2.0"}, {"id", request["id"]}};
    final_message["result"] = std::move(result);
    events += "event: message\ndata: " + final_message.dump() + "\n\n";
    return "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nContent-Length: " + std::to_string(events.size()) +
           "\r\n\r\n" + events;
}

inline std::string method_of(const std::string& body) {
    const json request = json::parse(body, nullptr, false);
    return request.is_object() ? request.value("method", "") : "";
}

struct RelayHarness {
    boost::asio::io_context io;
    ScriptedUpstream upstream{io};
    boost::asio::ssl::context tls{boost::asio::ssl::context::tls_client};
    relay::RelaySettings settings;
    session::MemorySessionStore store{session::StoreLimits{}, session::ReplayLimits{}};
    upstream::UpstreamPool pool;
    upstream::DiscoverCache discover{pool};
    upstream::ToolSchemaCache tool_schemas{pool, std::chrono::milliseconds(60000)};
    relay::ListenHub listen_hub{io.get_executor(), pool};
    relay::RelayContext context{settings, store, pool, discover, tool_schemas, listen_hub};

    RelayHarness() : pool(io.get_executor(), endpoints(upstream.url()), {}, {}, tls) {}

    static std::vector<upstream::UpstreamEndpoint> endpoints(const std::string& url) {
        std::string error;
        return {*upstream::parse_upstream_url(url, error)};
    }

    // A 2025-06-18 session with the given client capabilities.
    static relay::OpenSession session(json capabilities = json::object()) {
        session::SessionClaims claims;
        claims.protocol_version = "2025-06-18";
        claims.client_info = json{{"name", "test-client"}, {"version", "1"}};
        claims.client_capabilities = std::move(capabilities);
        claims.principal = "test-principal";
        claims.session_id = "test-session";
        claims.expires_at = session::unix_now() + 3600;
        return relay::OpenSession{std::move(claims), {}};
    }

    // Runs `task` on the io_context until it finishes.
    template <class Task>
    void run(Task task) {
        run_coroutine(io, std::move(task));
    }
};

}  // namespace mcpshim::testing
