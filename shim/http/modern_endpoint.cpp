#include "http/modern_endpoint.hpp"

#include <boost/asio/cancellation_signal.hpp>
#include <boost/beast/http/field.hpp>

#include <optional>

#include "http/client_watch.hpp"
#include "http/request_checks.hpp"
#include "mcpshim/rewrite/era_choice.hpp"
#include "mcpshim/rewrite/http_forwarding.hpp"
#include "mcpshim/rewrite/jsonrpc.hpp"
#include "mcpshim/rewrite/method_names.hpp"
#include "mcpshim/rewrite/sse.hpp"
#include "relay/request_log.hpp"

namespace mcpshim::http_face {

namespace net = boost::asio;
namespace http = boost::beast::http;
namespace code = rewrite::error_code;

namespace {

// The client's end-to-end headers, for the upstream.
rewrite::HeaderList forwarded_headers(const Request& request) {
    const std::string_view connection = request[http::field::connection];
    rewrite::HeaderList out;
    for (const auto& field : request) {
        const std::string_view name = field.name_string();
        if (rewrite::forwards_request_header(name, connection)) out.emplace_back(std::string(name), std::string(field.value()));
    }
    return out;
}

// What the client gets when the upstream gave no answer (or only part of a stream).
json failure_answer(const json& id, const upstream::UpstreamResult& result) {
    return rewrite::make_error(id, code::internal_error,
                               "the upstream " + result.instance + " " + std::string(upstream::describe(result.failure)) +
                                   ": " + result.detail);
}

}  // namespace

net::awaitable<void> pass_modern_request(HttpContext& ctx, const Request& request, const json& body,
                                         ResponseWriter& out, relay::RequestLog& log) {
    const std::string& method = body.at("method").get_ref<const std::string&>();
    const json id = body.contains("id") ? body["id"] : json();
    log.rpc = id.is_null() ? method : relay::rpc_name(method, id);
    const rewrite::ModernHeaders headers{header_value(request, "MCP-Protocol-Version"),
                                         header_value(request, "Mcp-Method"), header_value(request, "Mcp-Name")};
    if (auto refusal = rewrite::check_modern_headers(headers, body)) {
        co_await reject(out, refusal->status, refusal->code, std::move(refusal->message), log, id);
        co_return;
    }

    upstream::RawRequest raw{request.body(), forwarded_headers(request),
                             method == rewrite::method_name::subscriptions_listen};
    upstream::RawAnswer answer;
    answer.whole = [&out](unsigned status, std::string content_type, rewrite::HeaderList extra,
                          std::string text) -> net::awaitable<bool> {
        co_return co_await out.send(status, std::move(content_type), std::move(text), std::move(extra));
    };
    answer.begin_events = [&out](rewrite::HeaderList extra) -> net::awaitable<bool> {
        co_return co_await out.begin_stream(200, "text/event-stream", std::move(extra));
    };
    answer.events = [&out](std::string events) -> net::awaitable<bool> { co_return co_await out.sse(std::move(events)); };

    // A client that closes its connection cancels the request (2026-07-28:
    // closing the stream is the cancellation): the upstream sees its own close.
    net::cancellation_signal cancel;
    bool client_left = false;
    std::optional<ClientWatch> watch;
    if (!id.is_null())
        watch.emplace(out.socket(), [&cancel, &client_left, &log] {
            client_left = true;
            log.note = "the client closed its connection";
            cancel.emit(net::cancellation_type::terminal);
        });
    const auto result = co_await ctx.upstream.relay(std::move(raw), answer, cancel.slot());
    watch.reset();
    log.upstream = result.instance;
    if (result.failure == upstream::Failure::none) {
        if (out.streaming()) co_await out.end_sse();
        co_return;
    }
    // Nobody to answer: the aborted read is the cancellation, not an upstream fault.
    if (client_left || result.failure == upstream::Failure::client_gone) co_return;
    log.note = result.detail;
    if (!out.started()) {
        const unsigned status = result.failure == upstream::Failure::timeout ? 504 : 502;
        co_await out.send(status, "application/json", to_text(failure_answer(id, result)));
        co_return;
    }
    // The stream broke before its answer: the request still gets one.
    if (out.streaming() && !id.is_null() && co_await out.sse(rewrite::format_sse_event(to_text(failure_answer(id, result)))))
        co_await out.end_sse();
}

}  // namespace mcpshim::http_face
