#include "http/legacy_endpoint.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http/field.hpp>

#include <array>

#include "http/input_bridge.hpp"
#include "http/listen_bridge.hpp"
#include "http/request_checks.hpp"
#include "http/resumed_stream.hpp"
#include "http/upstream_exchange.hpp"
#include "mcpshim/rewrite/capabilities.hpp"
#include "mcpshim/rewrite/legacy_response.hpp"
#include "mcpshim/rewrite/modern_request.hpp"
#include "mcpshim/rewrite/protocol_version.hpp"

namespace mcpshim::http_face {

namespace net = boost::asio;
namespace http = boost::beast::http;
using rewrite::make_error;
using rewrite::make_result;
namespace code = rewrite::error_code;

namespace {

constexpr std::string_view session_header = "Mcp-Session-Id";
constexpr std::array<std::string_view, 8> log_levels{"debug", "info",     "notice", "warning",
                                                     "error", "critical", "alert",  "emergency"};

net::awaitable<void> reject(ResponseWriter& out, unsigned status, int error_code, std::string message, RequestLog& log,
                            json id = nullptr) {
    log.note = message;
    co_await out.send(status, "application/json", make_error(id, error_code, message).dump());
}

std::string header(const Request& request, std::string_view name) {
    return std::string(request[name]);
}

rewrite::TraceContext trace_of(const Request& request) {
    return {header(request, "traceparent"), header(request, "tracestate"), header(request, "baggage")};
}

std::string id_text(const json& id) {
    return id.is_string() ? id.get<std::string>() : id.dump();
}

}  // namespace

net::awaitable<void> LegacyEndpoint::handle(const Request& request, ResponseWriter& out, RequestLog& log) {
    if (auto refusal = check_origin_and_host(request, ctx_.config)) {
        co_await reject(out, 403, code::invalid_request, *refusal, log);
        co_return;
    }
    switch (request.method()) {
        case http::verb::post:
            co_await post(request, out, log);
            break;
        case http::verb::delete_:
            co_await end_session(request, out, log);
            break;
        case http::verb::get:
            co_await get_stream(request, out, log);
            break;
        default: {
            log.note = "method not allowed";
            const rewrite::HeaderList allow{{"Allow", "POST, GET, DELETE"}};
            co_await out.send(
                405, "application/json",
                make_error(nullptr, code::invalid_request, "use POST (or DELETE to end a session)").dump(), allow);
        }
    }
}

net::awaitable<std::optional<LegacyEndpoint::OpenSession>> LegacyEndpoint::open_session(const Request& request,
                                                                                        ResponseWriter& out,
                                                                                        RequestLog& log) {
    const auto token = request[session_header];
    if (token.empty()) {
        co_await reject(out, 400, code::invalid_request,
                        "Mcp-Session-Id header is required: send initialize first to get one", log);
        co_return std::nullopt;
    }
    auto opened = ctx_.keys.open(token, session::unix_now());
    if (auto* error = std::get_if<session::OpenError>(&opened)) {
        co_await reject(out, 404, code::invalid_request,
                        "unknown session (" + std::string(session::describe(*error)) + "): initialize again", log);
        co_return std::nullopt;
    }
    OpenSession session{std::get<session::SessionClaims>(std::move(opened)), {}};
    log.session = session.claims.session_id;
    if (session.claims.principal != session::principal_digest(request[http::field::authorization])) {
        co_await reject(out, 404, code::invalid_request,
                        "unknown session (it belongs to other credentials): initialize again", log);
        co_return std::nullopt;
    }
    session.state = co_await ctx_.store.load(session.claims.session_id);
    if (session.state.ended) {
        co_await reject(out, 404, code::invalid_request, "session ended (DELETE): initialize again", log);
        co_return std::nullopt;
    }
    const auto version_header = request["MCP-Protocol-Version"];
    if (!version_header.empty() && version_header != session.claims.protocol_version) {
        co_await reject(out, 400, code::invalid_request,
                        "MCP-Protocol-Version is " + std::string(version_header) + " but this session negotiated " +
                            session.claims.protocol_version,
                        log);
        co_return std::nullopt;
    }
    co_return session;
}

net::awaitable<void> LegacyEndpoint::end_session(const Request& request, ResponseWriter& out, RequestLog& log) {
    auto session = co_await open_session(request, out, log);
    if (!session) co_return;
    if (!co_await ctx_.store.end_session(session->claims.session_id, session->claims.expires_at)) {
        co_await reject(out, 503, code::internal_error,
                        "the session store is full (--max-session-entries); the session was not ended", log);
        co_return;
    }
    ctx_.streams.changed(session->claims.session_id);  // its GET stream, if any, ends
    co_await out.send(200, {}, {});
}

net::awaitable<void> LegacyEndpoint::get_stream(const Request& request, ResponseWriter& out, RequestLog& log) {
    if (request[http::field::accept].find("text/event-stream") == boost::beast::string_view::npos) {
        co_await reject(out, 406, code::invalid_request, "a GET stream needs Accept: text/event-stream", log);
        co_return;
    }
    auto session = co_await open_session(request, out, log);
    if (!session) co_return;
    if (const auto last_event_id = request["Last-Event-ID"]; !last_event_id.empty()) {
        log.rpc = "GET resume " + std::string(last_event_id);
        co_await serve_resumed_stream(ctx_, session->claims, std::string(last_event_id), out);
        co_return;
    }
    log.rpc = "GET stream";
    co_await serve_get_stream(ctx_, session->claims, std::string(request[http::field::authorization]), out);
}

net::awaitable<void> LegacyEndpoint::post(const Request& request, ResponseWriter& out, RequestLog& log) {
    if (auto refusal = check_post_headers(request)) {
        co_await reject(out, refusal->status, code::invalid_request, refusal->message, log);
        co_return;
    }
    // Only an initialize may come without a session; peek before opening one.
    const bool has_session = !request[session_header].empty();
    std::optional<OpenSession> session;
    if (has_session) {
        session = co_await open_session(request, out, log);
        if (!session) co_return;
    }
    const bool allow_batch = session && session->claims.protocol_version == "2025-03-26";
    auto parsed = rewrite::parse_body(request.body(), ctx_.config.json_limits, allow_batch);
    if (auto* failure = std::get_if<rewrite::ParseFailure>(&parsed)) {
        co_await reject(out, failure->limit && failure->limit->option == "max-body-bytes" ? 413 : 400, failure->code,
                        failure->message, log, failure->id);
        co_return;
    }
    auto& body = std::get<rewrite::ParsedBody>(parsed);
    const auto& first = body.messages.front();
    if (first.kind == rewrite::MessageKind::request || first.kind == rewrite::MessageKind::notification)
        log.rpc = first.method() + (first.is_request() ? " #" + id_text(first.id()) : "");

    if (first.is_request() && first.method() == "initialize") {
        if (body.batch) {
            co_await reject(out, 400, code::invalid_request, "initialize must not be part of a batch", log);
            co_return;
        }
        co_await initialize(first, request, out, log);
        co_return;
    }
    if (!session) {
        co_await reject(out, 400, code::invalid_request,
                        "Mcp-Session-Id header is required: send initialize first to get one", log);
        co_return;
    }
    ReplyOptions options{&ctx_.replay, session->claims.session_id,
                         rewrite::at_least(session->claims.protocol_version, "2025-11-25"),
                         ctx_.config.sse_retry.count()};
    ReplyStream reply(out, body.batch, std::move(options));
    for (const auto& message : body.messages) {
        // A response answers a server-to-client request the shim sent; the
        // notifications (initialized, cancelled, roots/list_changed) have
        // nothing to reach upstream in 2026-07-28.
        if (message.is_response() && !ctx_.pending_inputs.deliver(session->claims.session_id, message.body))
            spdlog::info("sid={} a response to no pending request: {}", session->claims.session_id,
                         message.body.dump().substr(0, 200));
        if (message.kind == rewrite::MessageKind::notification && message.method() == "notifications/cancelled") {
            const auto params = message.body.value("params", json::object());
            if (params.contains("requestId"))
                ctx_.in_flight.cancel(session->claims.session_id, session::request_id_key(params["requestId"]));
        }
        if (!message.is_request()) continue;
        if (!co_await serve(message, *session, request, reply, log)) co_return;
    }
    co_await reply.finish();
}

net::awaitable<void> LegacyEndpoint::initialize(const rewrite::Message& message, const Request& request,
                                                ResponseWriter& out, RequestLog& log) {
    const auto& id = message.id();
    const json params = message.body.value("params", json::object());
    const auto requested = params.find("protocolVersion");
    if (requested == params.end() || !requested->is_string()) {
        co_await reject(out, 400, code::invalid_params, "initialize needs params.protocolVersion", log, id);
        co_return;
    }
    const std::string authorization(request[http::field::authorization]);
    const std::string principal = session::principal_digest(authorization);
    auto discovered = co_await ctx_.discover.get(principal, authorization);
    if (!discovered.info) {
        log.note = discovered.error;
        co_await out.send(502, "application/json",
                          make_error(id, code::internal_error, "mcpshim could not initialize: " + discovered.error,
                                     discovered.error_data)
                              .dump());
        co_return;
    }
    session::SessionClaims claims;
    claims.protocol_version =
        rewrite::negotiate_legacy_version(requested->get<std::string>(), ctx_.config.max_legacy_version);
    claims.client_info = params.value("clientInfo", json::object());
    claims.client_capabilities = params.value("capabilities", json::object());
    claims.issued_at = session::unix_now();
    claims.expires_at = claims.issued_at + ctx_.config.session_ttl.count();
    claims.principal = principal;
    claims.session_id = session::random_hex(8);
    const std::string token = ctx_.keys.seal(claims);
    if (token.size() + 1024 > ctx_.config.max_header_bytes) {
        co_await reject(out, 400, code::invalid_request,
                        "clientInfo and capabilities are too large to carry in a session id within the header limit "
                        "(raise --max-header-bytes)",
                        log, id);
        co_return;
    }
    log.session = claims.session_id;
    const json fallback_info{{"name", ctx_.upstream.endpoints().front().host}, {"version", "unknown"}};
    const rewrite::ShimProvided provided{true, rewrite::supports_resource_subscriptions(discovered.info->capabilities)};
    const json result = rewrite::initialize_result(*discovered.info, claims.protocol_version, provided, fallback_info);
    const rewrite::HeaderList session_id{{std::string(session_header), token}};
    co_await out.send(200, "application/json", make_result(id, result).dump(), session_id);
}

net::awaitable<bool> LegacyEndpoint::serve(const rewrite::Message& message, OpenSession& session,
                                           const Request& request, ReplyStream& reply, RequestLog& log) {
    const auto& id = message.id();
    const std::string& method = message.method();
    json answer;
    if (method == "ping") {
        answer = make_result(id, json::object());
    } else if (method == "initialize") {
        answer = make_error(id, code::invalid_request, "initialize must not be part of a batch");
    } else if (method == "logging/setLevel") {
        answer = co_await set_log_level(message, session);
    } else if (method == "resources/subscribe" || method == "resources/unsubscribe") {
        answer = co_await change_subscription(message, session, std::string(request[http::field::authorization]));
    } else if (method == "server/discover" || method == "subscriptions/listen") {
        answer = make_error(id, code::method_not_found,
                            method + " is a 2026-07-28 method; this session speaks " + session.claims.protocol_version);
    } else {
        const bool alive = co_await forward(message, session, request, reply, log);
        co_return alive;
    }
    const bool alive = co_await reply.respond(std::move(answer));
    co_return alive;
}

net::awaitable<json> LegacyEndpoint::set_log_level(const rewrite::Message& message, OpenSession& session) {
    const auto& id = message.id();
    const auto level = message.body.contains("params") ? message.body["params"].value("level", json()) : json();
    if (!level.is_string() ||
        std::find(log_levels.begin(), log_levels.end(), level.get<std::string>()) == log_levels.end())
        co_return make_error(id, code::invalid_params,
                             "level must be one of debug, info, notice, warning, error, critical, alert, emergency");
    if (!co_await ctx_.store.set_log_level(session.claims.session_id, level.get<std::string>(),
                                           session.claims.expires_at))
        co_return make_error(id, code::internal_error,
                             "the session store is full (--max-session-entries); level not set");
    session.state.log_level = level.get<std::string>();
    co_return make_result(id, json::object());
}

net::awaitable<json> LegacyEndpoint::change_subscription(const rewrite::Message& message, OpenSession& session,
                                                         std::string authorization) {
    const auto& id = message.id();
    const auto uri = message.body.contains("params") ? message.body["params"].value("uri", json()) : json();
    if (!uri.is_string()) co_return make_error(id, code::invalid_params, "params.uri must be a string");
    auto discovered = co_await ctx_.discover.get(session.claims.principal, authorization);
    if (!discovered.info || !rewrite::supports_resource_subscriptions(discovered.info->capabilities))
        co_return make_error(id, code::method_not_found,
                             "the upstream does not offer resource subscriptions (no resources.subscribe capability)");
    const auto& sid = session.claims.session_id;
    if (message.method() == "resources/subscribe") {
        if (!co_await ctx_.store.subscribe(sid, uri.get<std::string>(), session.claims.expires_at))
            co_return make_error(id, code::internal_error,
                                 "too many subscriptions for this session (--max-subscriptions), or the session store "
                                 "is full (--max-session-entries)");
    } else {
        co_await ctx_.store.unsubscribe(sid, uri.get<std::string>());
    }
    // The session's GET stream, wherever it is served in this process, listens anew.
    ctx_.streams.changed(sid);
    co_return make_result(id, json::object());
}

net::awaitable<bool> LegacyEndpoint::forward(const rewrite::Message& message, OpenSession& session,
                                             const Request& request, ReplyStream& reply, RequestLog& log) {
    const auto& legacy_id = message.id();
    const std::string& method = message.method();
    const auto& version = session.claims.protocol_version;
    const std::string authorization(request[http::field::authorization]);
    const rewrite::SessionView view{version, session.claims.client_info, session.claims.client_capabilities,
                                    session.state.log_level};
    json answer;
    unsigned status = 200;        // used only when the answer goes out as plain JSON
    json current = message.body;  // its params grow inputResponses between rounds
    std::size_t rounds = 0;
    bool schema_refreshed = false;

    // notifications/cancelled for this request stops the upstream exchange.
    const auto executor = co_await net::this_coro::executor;
    // 2025-11-25 clients may be asked to poll when the answer is slow.
    const auto poll_after =
        rewrite::at_least(version, "2025-11-25") ? ctx_.config.poll_after : std::chrono::milliseconds(0);
    auto cancel = std::make_shared<session::RequestCancel>();
    const std::string request_key = session::request_id_key(legacy_id);
    ctx_.in_flight.add(session.claims.session_id, request_key, executor, cancel);
    struct Unregister {
        session::InFlight& in_flight;
        const std::string& session_id;
        const std::string& key;
        ~Unregister() { in_flight.remove(session_id, key); }
    } unregister{ctx_.in_flight, session.claims.session_id, request_key};

    for (;;) {
        std::optional<rewrite::ToolHeaderSpec> tool;
        if (method == "tools/call") {
            const auto name = current["params"].value("name", json());
            if (name.is_string())
                tool = co_await ctx_.tool_schemas.find(name.get<std::string>(), session.claims.principal, authorization,
                                                       view);
        }
        const json upstream_id = ctx_.upstream.next_request_id();
        auto modern =
            rewrite::to_modern_request(current, upstream_id, view, trace_of(request), tool ? &*tool : nullptr);
        auto exchange = co_await relay_exchange(ctx_.upstream, std::move(modern), authorization, upstream_id, reply,
                                                cancel, rounds == 0 ? poll_after : std::chrono::milliseconds(0));
        if (exchange.cancelled) {
            // The client said it no longer wants an answer: closing the upstream
            // stream told the server; the client gets none.
            log.note = "cancelled by the client";
            const bool open = co_await reply.open();
            co_return open;
        }
        auto& final_response = exchange.final_response;
        const auto& result = exchange.result;
        const bool client_alive = exchange.client_alive;
        log.upstream = result.instance;
        if (!client_alive) co_return false;

        if (final_response.contains("error")) {
            const int error_code = final_response["error"].value("code", 0);
            if (error_code == code::header_mismatch && method == "tools/call" && !schema_refreshed) {
                // The tool's schema changed under us: learn it again and retry once.
                schema_refreshed = true;
                ctx_.tool_schemas.invalidate(session.claims.principal);
                continue;
            }
            answer = rewrite::make_error_response(
                legacy_id, rewrite::to_legacy_error(method, std::move(final_response["error"]), version));
        } else if (final_response.contains("result") &&
                   rewrite::result_type_of(final_response["result"]) == "input_required") {
            auto read = rewrite::read_input_required(final_response["result"]);
            if (auto* malformed = std::get_if<std::string>(&read)) {
                answer = make_error(legacy_id, code::internal_error,
                                    "the upstream's input_required result is malformed: " + *malformed);
                break;
            }
            const auto& round = std::get<rewrite::InputRound>(read);
            if (++rounds > ctx_.config.input_limits.max_rounds) {
                answer = make_error(legacy_id, code::internal_error,
                                    "the upstream still wants input after " +
                                        std::to_string(ctx_.config.input_limits.max_rounds) +
                                        " rounds (--max-input-rounds)");
                break;
            }
            auto outcome =
                co_await ask_client(round, session.claims, reply, ctx_.pending_inputs, ctx_.config.input_limits);
            if (cancel->cancelled) {
                log.note = "cancelled by the client";
                const bool open = co_await reply.open();
                co_return open;
            }
            if (!outcome.error.is_null()) {
                log.note = outcome.error.value("message", "");
                answer = rewrite::make_error_response(legacy_id, std::move(outcome.error));
                break;
            }
            current["params"] = rewrite::retry_params(current.value("params", json::object()),
                                                      std::move(outcome.input_responses), round.request_state);
            continue;
        } else if (final_response.contains("result")) {
            answer = legacy_answer(legacy_id, method, session.claims, std::move(final_response["result"]),
                                   result.instance, log);
        } else {
            // No answer: say which upstream failed and how, and never leave the client waiting.
            const std::string reason = result.failure == upstream::Failure::none
                                           ? "the upstream ended its answer without a JSON-RPC response"
                                           : std::string(upstream::describe(result.failure)) + ": " + result.detail;
            log.note = reason;
            status = result.failure == upstream::Failure::timeout ? 504 : 502;
            json data = json::object();
            data["upstream"] = result.instance;
            data["reason"] = std::string(upstream::describe(result.failure));
            answer = make_error(legacy_id, code::internal_error, "upstream " + result.instance + " failed: " + reason,
                                std::move(data));
        }
        break;
    }
    const bool alive = co_await reply.respond(std::move(answer), status);
    co_return alive;
}

json LegacyEndpoint::legacy_answer(const json& legacy_id, const std::string& method,
                                   const session::SessionClaims& claims, json result, const std::string& instance,
                                   RequestLog& log) {
    const auto result_type = rewrite::result_type_of(result);
    if (result_type != "complete") {
        log.note = "upstream answered resultType " + std::string(result_type);
        json data = json::object();
        data["upstream"] = instance;
        data["answer"] = std::move(result);
        return make_error(legacy_id, code::internal_error,
                          "the upstream answered " + method + " with resultType \"" + std::string(result_type) +
                              "\"; this shim does not yet bridge that to legacy clients",
                          std::move(data));
    }
    if (method == "tools/list") ctx_.tool_schemas.observe(claims.principal, result);
    auto legacy = rewrite::to_legacy_result(method, std::move(result), claims.protocol_version);
    for (const auto& dropped : legacy.dropped) spdlog::info("sid={} {}: {}", log.session, method, dropped);
    return make_result(legacy_id, std::move(legacy.result));
}

}  // namespace mcpshim::http_face
