#include "http/sse_transport.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http/field.hpp>

#include "async/guarded_spawn.hpp"
#include "http/sse_connections.hpp"
#include "mcpshim/rewrite/jsonrpc.hpp"
#include "mcpshim/rewrite/safe_text.hpp"
#include "mcpshim/rewrite/sse.hpp"
#include "relay/connection_session.hpp"
#include "relay/request_log.hpp"

namespace mcpshim::http_face {

namespace net = boost::asio;
namespace http = boost::beast::http;
namespace code = rewrite::error_code;

namespace {

// The session's way to the stream, by weak reference: the stream owns the
// session, and a request still running after the stream closed finds it gone.
relay::MessageFunction sender(const std::weak_ptr<SseConnection>& weak) {
    return [weak](json message) {
        const auto connection = weak.lock();
        return connection && connection->send(message);
    };
}

std::function<bool()> is_open(const std::weak_ptr<SseConnection>& weak) {
    return [weak] {
        const auto connection = weak.lock();
        return connection && !connection->closed;
    };
}

std::string query_value(std::string_view target, std::string_view name) {
    const auto query = target.find('?');
    if (query == std::string_view::npos) return {};
    std::string_view rest = target.substr(query + 1);
    while (!rest.empty()) {
        const auto amp = rest.find('&');
        const auto pair = rest.substr(0, amp);
        if (pair.substr(0, pair.find('=')) == name && pair.find('=') != std::string_view::npos)
            return std::string(pair.substr(pair.find('=') + 1));
        if (amp == std::string_view::npos) break;
        rest.remove_prefix(amp + 1);
    }
    return {};
}

// What a POST carries to the instance holding its stream: the caller's
// credentials and trace context go along, as they go upstream from there.
std::string forwarded_payload(const relay::Caller& caller, const std::string& body) {
    return to_text(json{{"authorization", caller.authorization},
                        {"traceparent", caller.trace.traceparent},
                        {"tracestate", caller.trace.tracestate},
                        {"baggage", caller.trace.baggage},
                        {"body", body}});
}

void dispatch_to(const std::shared_ptr<SseConnection>& connection, std::vector<rewrite::Message> messages,
                 relay::Caller caller) {
    // On the stream's own executor, where its session lives.
    async::spawn_guarded(connection->outbox.get_executor(),
                         relay::ConnectionSession::dispatch(connection->session, std::move(messages), std::move(caller)),
                         "an HTTP+SSE POST's messages");
}

}  // namespace

void accept_forwarded_sse_message(SseConnections& connections, const rewrite::JsonLimits& limits,
                                  const std::string& connection_id, const std::string& payload) {
    const auto forwarded = json::parse(payload, nullptr, false);
    if (!forwarded.is_object()) return;
    relay::Caller caller;
    caller.authorization = forwarded.value("authorization", "");
    caller.trace.traceparent = forwarded.value("traceparent", "");
    caller.trace.tracestate = forwarded.value("tracestate", "");
    caller.trace.baggage = forwarded.value("baggage", "");
    const auto connection = connections.find(connection_id, session::principal_digest(caller.authorization));
    if (!connection) {
        spdlog::debug("HTTP+SSE stream {}: a forwarded POST found it closed", connection_id);
        return;
    }
    // Checked by the instance that took the POST; read again under the same limits.
    auto parsed = rewrite::parse_body(forwarded.value("body", ""), limits, /*allow_batch=*/true);
    if (auto* body = std::get_if<rewrite::ParsedBody>(&parsed))
        dispatch_to(connection, std::move(body->messages), std::move(caller));
}

net::awaitable<void> serve_sse_stream(HttpContext& ctx, const Request& request, ResponseWriter& out,
                                      relay::RequestLog& log) {
    if (auto refusal = check_origin_and_host(request, ctx.config)) {
        co_await reject(out, 403, code::invalid_request, *refusal, log);
        co_return;
    }
    const auto executor = co_await net::this_coro::executor;
    auto connection = std::make_shared<SseConnection>(
        executor, session::principal_digest(request[http::field::authorization]), ctx.settings.outbox);
    relay::ConnectionFace face{"sse", connection->principal, ctx.config.session_ttl.count(),
                               ctx.settings.max_requests_in_flight,
                               "open another stream (GET " + ctx.config.sse_path + ") for a new session"};
    connection->session =
        std::make_shared<relay::ConnectionSession>(ctx, std::move(face), sender(connection), is_open(connection));
    const std::string id = session::random_hex(16);
    log.rpc = "HTTP+SSE stream " + id;
    ctx.sse_connections.add(id, connection);
    ctx.store.routes().claim(id, connection->principal, ctx.config.session_ttl.count());
    if (co_await out.begin_sse() &&
        co_await out.sse(rewrite::format_sse_event(ctx.config.messages_path + "?sessionId=" + id, {}, "endpoint"))) {
        for (bool alive = true; alive && !connection->closed;) {
            while (alive) {
                auto message = connection->outbox.take();
                if (!message) break;
                alive = co_await out.sse(rewrite::format_sse_event(*message, {}, "message"));
            }
            if (!alive || connection->closed) break;
            if (co_await connection->outbox.wait_for(ctx.settings.keepalive) == async::Woke::timed_out)
                alive = co_await out.sse(rewrite::format_sse_comment("keep-alive"));
        }
    }
    if (connection->overflowed) log.note = "closed: the client read too slowly";
    connection->close();
    ctx.sse_connections.remove(id);
    ctx.store.routes().release(id);
    connection->session->end();
}

net::awaitable<void> accept_sse_message(HttpContext& ctx, const Request& request, ResponseWriter& out,
                                        relay::RequestLog& log) {
    if (auto refusal = check_origin_and_host(request, ctx.config)) {
        co_await reject(out, 403, code::invalid_request, *refusal, log);
        co_return;
    }
    if (auto refusal = check_content_type(request)) {
        co_await reject(out, refusal->status, code::invalid_request, refusal->message, log);
        co_return;
    }
    const std::string id = query_value(request.target(), "sessionId");
    auto parsed = rewrite::parse_body(request.body(), ctx.settings.json_limits, /*allow_batch=*/true);
    if (auto* failure = std::get_if<rewrite::ParseFailure>(&parsed)) {
        co_await reject(out, status_of(*failure), failure->code, failure->message, log);
        co_return;
    }
    auto messages = std::get<rewrite::ParsedBody>(std::move(parsed)).messages;
    if (messages.front().kind == rewrite::MessageKind::request)
        log.rpc = relay::rpc_name(messages.front());
    relay::Caller caller = caller_of(request);
    // Only the credentials that opened the stream may post to it, as on the
    // Streamable HTTP endpoint; any other gets the answer an unknown id gets.
    const auto principal = session::principal_digest(caller.authorization);
    if (auto connection = ctx.sse_connections.find(id, principal)) {
        dispatch_to(connection, std::move(messages), std::move(caller));
        co_await out.send(202, {}, {});
        co_return;
    }
    // Another instance of the fleet may hold the stream.
    bool handed = false;
    std::string store_away;
    try {
        handed = co_await ctx.store.routes().forward(id, principal, forwarded_payload(caller, request.body()));
    } catch (const session::StoreUnavailable& e) {
        store_away = e.what();
    }
    if (!store_away.empty()) {
        co_await reject(out, 503, code::internal_error, store_away, log);
    } else if (!handed) {
        co_await reject(out, 404, code::invalid_request,
                        "no open SSE stream for this sessionId: open one with GET " + ctx.config.sse_path, log);
    } else {
        log.note = "handed to the instance holding the stream";
        co_await out.send(202, {}, {});
    }
}

}  // namespace mcpshim::http_face
