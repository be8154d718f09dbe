#include "http/legacy_endpoint.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http/field.hpp>

#include <array>

#include "http/client_watch.hpp"
#include "http/get_stream.hpp"
#include "http/modern_endpoint.hpp"
#include "http/request_checks.hpp"
#include "http/resumed_stream.hpp"
#include "mcpshim/rewrite/option_names.hpp"
#include "mcpshim/rewrite/method_names.hpp"
#include "mcpshim/rewrite/capabilities.hpp"
#include "mcpshim/rewrite/era_choice.hpp"
#include "mcpshim/rewrite/json_parse.hpp"
#include "mcpshim/rewrite/legacy_response.hpp"
#include "mcpshim/rewrite/modern_request.hpp"
#include "mcpshim/rewrite/protocol_version.hpp"
#include "relay/request_log.hpp"
#include "relay/session_start.hpp"

namespace mcpshim::http_face {

namespace net = boost::asio;
namespace http = boost::beast::http;
using rewrite::make_error;
using rewrite::make_result;
namespace code = rewrite::error_code;

namespace {

constexpr std::string_view session_header = "Mcp-Session-Id";

}  // namespace

net::awaitable<void> refuse_method(ResponseWriter& out, RequestLog& log) {
    log.note = "method not allowed";
    const rewrite::HeaderList allow{{"Allow", "POST, GET, DELETE"}};
    co_await out.send(405, "application/json",
                      to_text(make_error(nullptr, code::invalid_request, "use POST (or DELETE to end a session)")), allow);
}

// Not a coroutine: it hands back the awaitable of the method's handler, so
// that no frame of its own stays allocated for as long as a GET stream lasts.
net::awaitable<void> LegacyEndpoint::handle(const Request& request, ResponseWriter& out, RequestLog& log) {
    log.era = "legacy";  // until a POST's body says otherwise
    if (auto refusal = check_origin_and_host(request, ctx_.config))
        return reject(out, 403, code::invalid_request, std::move(*refusal), log);
    switch (request.method()) {
        case http::verb::post:
            return post(request, out, log);
        case http::verb::delete_:
            return end_session(request, out, log);
        case http::verb::get:
            return get_stream(request, out, log);
        default:
            return refuse_method(out, log);
    }
}

net::awaitable<std::optional<OpenSession>> LegacyEndpoint::open_session(const Request& request, ResponseWriter& out,
                                                                        RequestLog& log) {
    const auto token = request[session_header];
    if (token.empty()) {
        co_await reject(out, 400, code::invalid_request,
                        "Mcp-Session-Id header is required: send initialize first to get one", log);
        co_return std::nullopt;
    }
    const auto now = session::unix_now();
    auto cached = ctx_.opened_tokens.find(token, now);
    if (!cached) {
        auto opened = ctx_.keys.open(token, now);
        if (auto* error = std::get_if<session::OpenError>(&opened)) {
            co_await reject(out, 404, code::invalid_request,
                            "unknown session (" + std::string(session::describe(*error)) + "): initialize again", log);
            co_return std::nullopt;
        }
        cached = std::get<session::SessionClaims>(std::move(opened));
        ctx_.opened_tokens.remember(token, *cached);
    }
    OpenSession session{std::move(*cached), {}};
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
    const auto refused = co_await ctx_.store.end_session(session::owner_of(session->claims));
    ctx_.store.streams().changed(session->claims.session_id);  // its GET stream, if any, ends
    if (refused != session::StoreRefusal::none) {
        // This instance refuses the session from now on; the others may not know.
        co_await reject(out, 503, code::internal_error,
                        ctx_.store.explain(refused) + ": the session is ended on this instance only; DELETE again",
                        log);
        co_return;
    }
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
    // The stream keeps one copy of the claims, in its listen loop.
    co_await serve_get_stream(ctx_, std::move(session->claims), std::string(request[http::field::authorization]),
                              out);
}

net::awaitable<void> LegacyEndpoint::post(const Request& request, ResponseWriter& out, RequestLog& log) {
    if (auto refusal = check_post_headers(request)) {
        co_await reject(out, refusal->status, code::invalid_request, refusal->message, log);
        co_return;
    }
    // Parsed once: the body decides the era, and either era reads it.
    auto decoded = rewrite::parse_json(request.body(), ctx_.settings.json_limits);
    const auto era = rewrite::choose_era(rewrite::EraSignals{
        "POST", header_value(request, "MCP-Protocol-Version"), decoded.ok() ? &decoded.value : nullptr});
    if (era.refusal) {
        co_await reject(out, era.refusal->status, era.refusal->code, era.refusal->message, log,
                        decoded.value.is_object() ? decoded.value.value("id", json()) : json());
        co_return;
    }
    if (era.era == rewrite::Era::modern) {
        log.era = "modern";
        if (ctx_.config.modern_clients == ModernClients::reject) {
            co_await reject(out, 400, code::invalid_request,
                            "this endpoint serves legacy clients only (" + std::string(option::modern_clients) +
                                " reject): send initialize",
                            log, decoded.value.value("id", json()));
            co_return;
        }
        co_await pass_modern_request(ctx_, request, decoded.value, out, log);
        co_return;
    }
    // Only an initialize may come without a session; peek before opening one.
    const bool has_session = !request[session_header].empty();
    std::optional<OpenSession> session;
    if (has_session) {
        session = co_await open_session(request, out, log);
        if (!session) co_return;
    }
    const bool allow_batch = session && rewrite::allows_batches(session->claims.protocol_version);
    auto parsed = decoded.ok() ? rewrite::parse_body(std::move(decoded.value), allow_batch)
                               : rewrite::parse_body(request.body(), ctx_.settings.json_limits, allow_batch);
    if (auto* failure = std::get_if<rewrite::ParseFailure>(&parsed)) {
        co_await reject(out, status_of(*failure), failure->code, failure->message, log, failure->id);
        co_return;
    }
    auto& body = std::get<rewrite::ParsedBody>(parsed);
    const auto& first = body.messages.front();
    if (first.kind == rewrite::MessageKind::request || first.kind == rewrite::MessageKind::notification)
        log.rpc = first.is_request() ? relay::rpc_name(first) : first.method();

    if (first.is_request() && first.method() == method_name::initialize) {
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
    ReplyOptions options{&ctx_.store.replay(), session->claims.session_id,
                         rewrite::resumes_by_polling(session->claims.protocol_version),
                         ctx_.config.sse_retry.count(), &body.messages};
    ReplyStream reply(out, body.batch, std::move(options));
    relay::RequestRelay relay(ctx_);
    // A client that leaves while its requests wait cancels them, as a
    // notifications/cancelled would: the upstream exchange ends and the slot is free.
    std::vector<std::string> request_keys;
    for (const auto& message : body.messages)
        if (message.is_request()) request_keys.push_back(session::request_id_key(message.id()));
    std::optional<ClientWatch> watch;
    if (!request_keys.empty())
        watch.emplace(out.socket(), [this, sid = session->claims.session_id, keys = std::move(request_keys), &log] {
            log.note = "the client closed its connection";
            for (const auto& key : keys) ctx_.store.in_flight().cancel(sid, key);
        });
    const relay::Caller caller = caller_of(request);
    for (const auto& message : body.messages) {
        if (!message.is_request()) {
            relay.accept_from_client(message, *session);
            continue;
        }
        if (!co_await relay.serve(message, *session, caller, reply, log)) co_return;
    }
    co_await reply.finish();
}

net::awaitable<void> LegacyEndpoint::initialize(const rewrite::Message& message, const Request& request,
                                                ResponseWriter& out, RequestLog& log) {
    const std::string authorization(request[http::field::authorization]);
    auto start = co_await relay::start_session(ctx_, message, session::principal_digest(authorization), authorization,
                                               ctx_.config.session_ttl.count());
    if (!start.claims) {
        // The client's mistake is a 400; an upstream that cannot be discovered is a 502.
        const bool client_error = start.answer["error"].value("code", 0) == code::invalid_params;
        log.note = start.answer["error"].value("message", "");
        co_await out.send(client_error ? 400 : 502, "application/json", to_text(start.answer));
        co_return;
    }
    const std::string token = ctx_.keys.seal(*start.claims);
    if (token.size() + 1024 > ctx_.config.max_header_bytes) {
        co_await reject(out, 400, code::invalid_request,
                        "clientInfo and capabilities are too large to carry in a session id within the header limit "
                        "(raise " + std::string(option::max_header_bytes) + ")",
                        log, message.id());
        co_return;
    }
    log.session = start.claims->session_id;
    const rewrite::HeaderList session_id{{std::string(session_header), token}};
    co_await out.send(200, "application/json", to_text(start.answer), session_id);
}

}  // namespace mcpshim::http_face
