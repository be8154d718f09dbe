#include "http/sse_transport.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http/field.hpp>

#include "async/guarded_spawn.hpp"
#include "http/sse_connections.hpp"
#include "mcpshim/rewrite/jsonrpc.hpp"
#include "mcpshim/rewrite/safe_text.hpp"
#include "mcpshim/rewrite/sse.hpp"
#include "relay/listen_relay.hpp"
#include "relay/message_function.hpp"
#include "relay/session_start.hpp"

namespace mcpshim::http_face {

namespace net = boost::asio;
namespace http = boost::beast::http;
namespace code = rewrite::error_code;

namespace {

relay::MessageFunction sender(const std::shared_ptr<SseConnection>& connection) {
    return [connection](json message) { return connection->send(message); };
}

net::awaitable<void> relay_changes(HttpContext& ctx, std::shared_ptr<SseConnection> connection,
                                   session::SessionClaims claims, std::string authorization) {
    relay::FunctionSink sink(sender(connection), [connection] { return !connection->closed; });
    co_await relay::relay_change_notifications(ctx, std::move(claims), std::move(authorization), sink);
}

net::awaitable<void> serve_request(HttpContext& ctx, std::shared_ptr<SseConnection> connection,
                                   rewrite::Message message, relay::Caller caller, std::string request_key) {
    relay::RequestRelay relay(ctx);
    relay::FunctionReply reply(sender(connection));
    relay::RequestLog log;
    relay::OpenSession session{*connection->claims, connection->state};
    co_await relay.serve(message, session, caller, reply, log);
    connection->in_flight.erase(request_key);
    connection->state.log_level = session.state.log_level;  // logging/setLevel lasts for the connection
    spdlog::info("sse sid={} rpc={} #{} upstream={}{}{}", session.claims.session_id,
                 rewrite::log_safe(message.method()), rewrite::log_safe(to_text(message.id())),
                 log.upstream.empty() ? "-" : log.upstream, log.note.empty() ? "" : " note=",
                 rewrite::log_safe(log.note));
}

net::awaitable<void> handle_messages(HttpContext& ctx, std::shared_ptr<SseConnection> connection,
                                     std::vector<rewrite::Message> messages, relay::Caller caller) {
    const auto executor = co_await net::this_coro::executor;
    relay::RequestRelay relay(ctx);
    const auto limit = connection->limits.max_requests_in_flight;
    for (auto& message : messages) {
        if (connection->closed) co_return;
        if (message.is_request() && message.method() == "initialize") {
            // One session per stream: a second initialize would replace what
            // the first declared, and open another upstream listen.
            if (connection->claims || connection->initializing) {
                connection->send(rewrite::make_error(message.id(), code::invalid_request,
                                                     "this stream's session is already initialized; open another "
                                                     "stream (GET " + ctx.config.sse_path + ") for a new session"));
                continue;
            }
            connection->initializing = true;
            auto start = co_await relay::start_session(ctx, message, connection->principal, caller.authorization,
                                                       ctx.config.session_ttl.count());
            connection->initializing = false;
            connection->send(start.answer);
            if (!start.claims || connection->closed) continue;
            connection->claims = *start.claims;
            async::spawn_guarded(executor, relay_changes(ctx, connection, *start.claims, caller.authorization),
                                 "an HTTP+SSE stream's change notifications");
        } else if (!connection->claims) {
            if (message.is_request()) connection->send(relay::answer_before_initialize(message));
        } else if (!message.is_request()) {
            relay.accept_from_client(message, relay::OpenSession{*connection->claims, connection->state});
        } else if (connection->in_flight.size() >= limit) {
            connection->send(rewrite::make_error(message.id(), code::server_busy,
                                                 "this connection already has " + std::to_string(limit) +
                                                     " requests in flight (--max-requests-in-flight)"));
        } else {
            // Requests run side by side: one may wait on the client while the next is answered.
            auto key = session::request_id_key(message.id());
            connection->in_flight.insert(key);
            async::spawn_guarded(executor, serve_request(ctx, connection, std::move(message), caller, std::move(key)),
                                 "an HTTP+SSE request");
        }
    }
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

}  // namespace

net::awaitable<void> serve_sse_stream(HttpContext& ctx, const Request& request, ResponseWriter& out,
                                      relay::RequestLog& log) {
    if (auto refusal = check_origin_and_host(request, ctx.config)) {
        co_await reject(out, 403, code::invalid_request, *refusal, log);
        co_return;
    }
    const auto executor = co_await net::this_coro::executor;
    auto connection = std::make_shared<SseConnection>(
        executor, session::principal_digest(request[http::field::authorization]), ctx.config.sse_limits);
    const std::string id = session::random_hex(16);
    log.rpc = "HTTP+SSE stream " + id;
    ctx.sse_connections.add(id, connection);
    if (co_await out.begin_sse() &&
        co_await out.sse(rewrite::format_sse_event(ctx.config.messages_path + "?sessionId=" + id, {}, "endpoint"))) {
        for (bool alive = true; alive && !connection->closed;) {
            while (alive && !connection->outbox.empty()) {
                std::string message = std::move(connection->outbox.front());
                connection->outbox.pop_front();
                connection->outbox_bytes -= message.size();
                alive = co_await out.sse(rewrite::format_sse_event(message, {}, "message"));
            }
            if (!alive || connection->closed) break;
            connection->wake.expires_after(ctx.settings.keepalive);
            auto [ec] = co_await connection->wake.async_wait(net::as_tuple(net::use_awaitable));
            if (!ec && connection->outbox.empty()) alive = co_await out.sse(rewrite::format_sse_comment("keep-alive"));
        }
    }
    if (connection->overflowed) log.note = "closed: the client read too slowly";
    connection->close();
    ctx.sse_connections.remove(id);
    if (connection->claims) {
        // Nobody is left to read the answers: stop the requests (and their upstream exchanges).
        for (const auto& key : connection->in_flight) ctx.store.in_flight().cancel(connection->claims->session_id, key);
        ctx.store.streams().changed(connection->claims->session_id);  // its listen ends with it
    }
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
        log.rpc = messages.front().method() + " #" + to_text(messages.front().id());
    relay::Caller caller = caller_of(request);
    // Only the credentials that opened the stream may post to it, as on the
    // Streamable HTTP endpoint; any other gets the answer an unknown id gets.
    auto connection = ctx.sse_connections.find(id, session::principal_digest(caller.authorization));
    if (connection) {
        auto executor = connection->wake.get_executor();
        async::spawn_guarded(executor, handle_messages(ctx, std::move(connection), std::move(messages), std::move(caller)),
                             "an HTTP+SSE POST's messages");
    } else {
        co_await reject(out, 404, code::invalid_request,
                        "no open SSE stream for this sessionId: open one with GET " + ctx.config.sse_path, log);
        co_return;
    }
    co_await out.send(202, {}, {});
}

}  // namespace mcpshim::http_face
