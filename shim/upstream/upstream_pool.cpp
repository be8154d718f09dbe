#include "upstream/upstream_pool.hpp"

#include <sys/socket.h>

#include <cerrno>
#include <charconv>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <algorithm>
#include <optional>
#include <variant>

#include "mcpshim/rewrite/option_names.hpp"
#include "mcpshim/rewrite/method_names.hpp"
#include "mcpshim/rewrite/json_parse.hpp"
#include "mcpshim/rewrite/http_forwarding.hpp"
#include "mcpshim/rewrite/jsonrpc.hpp"
#include "mcpshim/rewrite/safe_text.hpp"
#include "mcpshim/rewrite/sse.hpp"
#include "wire/eager_write.hpp"
#include "wire/http_wire.hpp"

namespace mcpshim::upstream {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;
constexpr auto use_tuple = net::as_tuple(net::use_awaitable);
using Clock = std::chrono::steady_clock;

struct UpstreamPool::Connection {
    std::variant<beast::tcp_stream, beast::ssl_stream<beast::tcp_stream>> stream;
    beast::flat_buffer buffer;
    Clock::time_point idle_since{};

    beast::tcp_stream& tcp() {
        if (auto* plain = std::get_if<beast::tcp_stream>(&stream)) return *plain;
        return std::get<1>(stream).next_layer();
    }

    // A pooled connection the server already closed reads EOF at once; a live
    // one would block. Checked before reuse so that no request is written into
    // a dead connection (which could not safely be retried afterwards).
    bool still_open() {
        // One non-blocking peek: no data and no EOF means the peer still holds it.
        char byte;
        const auto got = ::recv(tcp().socket().native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
        return got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
    }
};

// Where a cancellation finds the exchange: recorded for the checks before the
// request is written, and the pending read aborted once it is.
struct UpstreamPool::Cancellation {
    explicit Cancellation(net::cancellation_slot cancel) : slot(cancel) {
        if (slot.is_connected()) slot.assign([this](net::cancellation_type) { cancel_now(); });
    }
    ~Cancellation() {
        if (slot.is_connected()) slot.clear();
    }
    Cancellation(const Cancellation&) = delete;
    Cancellation& operator=(const Cancellation&) = delete;

    void cancel_now() {
        requested = true;
        beast::error_code ignored;
        if (reading) reading->socket().cancel(ignored);
    }

    net::cancellation_slot slot;
    bool requested = false;
    beast::tcp_stream* reading = nullptr;  // the connection the request went out on
};

struct UpstreamPool::Instance {
    UpstreamEndpoint endpoint;
    std::deque<std::unique_ptr<Connection>> idle;
};

std::string_view describe(Failure failure) {
    switch (failure) {
        case Failure::none:
            return "ok";
        case Failure::unreachable:
            return "unreachable";
        case Failure::timeout:
            return "timed out";
        case Failure::broken:
            return "connection broke";
        case Failure::http_error:
            return "HTTP error";
        case Failure::bad_response:
            return "unreadable response";
        case Failure::client_gone:
            return "client went away";
    }
    return "?";
}

UpstreamPool::UpstreamPool(net::any_io_executor executor, std::vector<UpstreamEndpoint> endpoints,
                           UpstreamTimeouts timeouts, UpstreamLimits limits, net::ssl::context& tls)
    : executor_(std::move(executor)),
      endpoints_(std::move(endpoints)),
      timeouts_(timeouts),
      limits_(limits),
      tls_(tls) {
    for (const auto& endpoint : endpoints_) instances_.push_back(std::make_unique<Instance>(Instance{endpoint, {}}));
}

UpstreamPool::~UpstreamPool() = default;

rewrite::JsonLimits UpstreamPool::json_limits(std::size_t max_bytes) const {
    // Strings may be as long as the message (a resource's base64 blob).
    return rewrite::JsonLimits{max_bytes, limits_.max_json_depth, max_bytes, limits_.max_object_members};
}

const std::vector<UpstreamEndpoint>& UpstreamPool::endpoints() const {
    return endpoints_;
}

std::unique_ptr<UpstreamPool::Connection> UpstreamPool::take_idle(Instance& instance) {
    const auto now = Clock::now();
    while (!instance.idle.empty()) {
        auto connection = std::move(instance.idle.back());
        instance.idle.pop_back();
        if (now - connection->idle_since < timeouts_.keepalive && connection->still_open()) return connection;
    }
    return nullptr;
}

net::awaitable<std::unique_ptr<UpstreamPool::Connection>> UpstreamPool::connect(Instance& instance,
                                                                                std::string& error) {
    const auto& endpoint = instance.endpoint;
    // An address needs no lookup; a name is looked up on every new connection,
    // so that the balancer behind it is followed.
    tcp::resolver::results_type results;
    beast::error_code not_an_address;
    const auto address = net::ip::make_address(endpoint.host, not_an_address);
    unsigned short port = 0;
    const auto port_end = endpoint.port.data() + endpoint.port.size();
    const bool numeric_port = std::from_chars(endpoint.port.data(), port_end, port).ptr == port_end;
    if (!not_an_address && numeric_port) {
        results = tcp::resolver::results_type::create(tcp::endpoint(address, port), endpoint.host, endpoint.port);
    } else {
        tcp::resolver resolver(executor_);
        auto [resolve_ec, resolved] = co_await resolver.async_resolve(endpoint.host, endpoint.port, use_tuple);
        if (resolve_ec) {
            error = "cannot resolve " + endpoint.host + ": " + resolve_ec.message();
            co_return nullptr;
        }
        results = std::move(resolved);
    }
    auto connection = std::make_unique<Connection>(Connection{beast::tcp_stream(executor_), {}, {}});
    if (endpoint.tls) connection->stream.emplace<1>(beast::tcp_stream(executor_), tls_);
    auto& socket_stream = connection->tcp();
    socket_stream.expires_after(timeouts_.connect);
    auto [connect_ec, connected] = co_await socket_stream.async_connect(results, use_tuple);
    if (connect_ec) {
        error = connect_ec == beast::error::timeout
                    ? "connect timed out after " + std::to_string(timeouts_.connect.count()) +
                          " ms (" + std::string(option::upstream_connect_timeout_ms) + ")"
                    : "connect failed: " + connect_ec.message();
        co_return nullptr;
    }
    socket_stream.socket().set_option(tcp::no_delay(true));
    if (endpoint.tls) {
        auto& tls_stream = std::get<1>(connection->stream);
        // SNI carries names only, never IP literals (RFC 6066).
        if (not_an_address && !SSL_set_tlsext_host_name(tls_stream.native_handle(), endpoint.host.c_str())) {
            error = "cannot set TLS server name";
            co_return nullptr;
        }
        tls_stream.set_verify_callback(net::ssl::host_name_verification(endpoint.host));
        auto [handshake_ec] = co_await tls_stream.async_handshake(net::ssl::stream_base::client, use_tuple);
        if (handshake_ec) {
            error = "TLS handshake failed: " + handshake_ec.message();
            co_return nullptr;
        }
    }
    co_return connection;
}

// One request's exchange on one connection, in the steps it takes: write
// the request, read the final head, then relay the SSE events or read the
// JSON answer. Each step returns false once `result` says what failed.
struct UpstreamPool::Exchange {
    using Parser = http::response_parser<http::string_body>;

    const UpstreamPool& pool;
    Connection& connection;
    UpstreamResult& result;
    std::optional<Parser> parser;

    bool fail(Failure failure, std::string detail) {
        result.failure = failure;
        result.detail = std::move(detail);
        return false;
    }

    net::awaitable<bool> write(std::string outgoing, Cancellation& cancellation) {
        bool sent = false;
        if (auto* plain = std::get_if<beast::tcp_stream>(&connection.stream)) {
            sent = co_await wire::write_eagerly(*plain, outgoing, pool.timeouts_.response);
        } else {
            connection.tcp().expires_after(pool.timeouts_.response);
            auto [write_ec, written] =
                co_await net::async_write(std::get<1>(connection.stream), net::buffer(outgoing), use_tuple);
            sent = !write_ec;
        }
        if (cancellation.requested) co_return fail(Failure::client_gone, "cancelled while the request was written");
        if (!sent) co_return fail(Failure::unreachable, "connection reset before the request was written");
        co_return true;
    }

    // Interim (1xx) heads such as 103 Early Hints come before the real
    // answer: skipped, a bounded number of times.
    net::awaitable<bool> read_final_head() {
        const auto& limits = pool.limits_;
        for (std::size_t interim = 0;; ++interim) {
            parser.emplace();
            parser->body_limit(boost::none);  // bounded per message below
            connection.tcp().expires_after(pool.timeouts_.response);
            auto [header_ec, header_bytes] = co_await std::visit(
                [&](auto& stream) { return http::async_read_header(stream, connection.buffer, *parser, use_tuple); },
                connection.stream);
            if (header_ec == beast::error::timeout)
                co_return fail(Failure::timeout, "no response within " +
                                                     std::to_string(pool.timeouts_.response.count()) +
                                                     " ms (" + std::string(option::upstream_timeout_ms) + ")");
            if (header_ec)
                co_return fail(Failure::broken, "connection broke before the response: " + header_ec.message());
            const unsigned status = parser->get().result_int();
            if (status >= 200 || status == 101) break;
            if (interim + 1 >= limits.max_interim_responses)
                co_return fail(Failure::bad_response, "the upstream sent more than " +
                                                          std::to_string(limits.max_interim_responses) +
                                                          " interim (1xx) responses");
        }
        result.status = parser->get().result_int();
        const std::string content_type(parser->get()[http::field::content_type]);
        result.streamed = result.status == 200 && content_type.starts_with("text/event-stream");
        co_return true;
    }

    // The next piece of body, into parser->get().body().
    net::awaitable<bool> read_more() {
        // The body often came with the headers: parse what is buffered before reading more.
        if (connection.buffer.size() > 0) {
            beast::error_code put_ec;
            const auto used = parser->put(connection.buffer.data(), put_ec);
            connection.buffer.consume(used);
            if (put_ec && put_ec != http::error::need_more)
                co_return fail(Failure::bad_response, "unreadable upstream response: " + put_ec.message());
            if (used > 0) co_return true;
        }
        const auto idle = pool.timeouts_.idle;
        connection.tcp().expires_after(idle);
        auto [ec, n] = co_await std::visit(
            [&](auto& stream) { return http::async_read_some(stream, connection.buffer, *parser, use_tuple); },
            connection.stream);
        if (ec == beast::error::timeout)
            co_return fail(Failure::timeout, "the upstream sent nothing for " + std::to_string(idle.count()) +
                                                 " ms (" + std::string(option::upstream_idle_timeout_ms) + ")");
        if (ec && ec != http::error::end_of_stream)
            co_return fail(Failure::broken, "the upstream connection broke mid-response: " + ec.message());
        if (ec == http::error::end_of_stream && !parser->is_done())
            co_return fail(Failure::broken, "the upstream closed the connection mid-response");
        co_return true;
    }

    // Every event of an SSE answer to the sink as it arrives. Comments keep
    // a listen (`long_lived`) open for hours, but an answer's stream that
    // sends only comments is as silent as one that sends nothing.
    net::awaitable<bool> relay_events(const MessageSink& sink, bool long_lived) {
        const auto& limits = pool.limits_;
        const auto idle = pool.timeouts_.idle;
        rewrite::SseParser sse(limits.max_event_bytes);
        std::vector<rewrite::SseEvent> events;
        auto last_event = Clock::now();
        while (!parser->is_done()) {
            if (!co_await read_more()) co_return false;
            events.clear();
            const bool within_limit = sse.feed(parser->get().body(), events);
            if (!events.empty()) {
                last_event = Clock::now();
            } else if (!long_lived && Clock::now() - last_event > idle) {
                co_return fail(Failure::timeout, "the upstream sent only comments for " +
                                                     std::to_string(idle.count()) + " ms (" + std::string(option::upstream_idle_timeout_ms) + ")");
            }
            parser->get().body().clear();
            // A stream may stay quiet for hours (a listen): keep only what is
            // still unparsed (often the CRLF that ends a chunk), not the room a
            // large event or an earlier JSON answer left behind.
            if (connection.buffer.capacity() > 1024) connection.buffer.shrink_to_fit();
            for (auto& event : events) {
                auto decoded = rewrite::parse_json(event.data, pool.json_limits(limits.max_event_bytes));
                if (!decoded.ok())
                    co_return fail(Failure::bad_response,
                                   "the upstream sent an SSE event that is not acceptable JSON: " + decoded.error);
                if (auto why = rewrite::malformed_upstream_message(decoded.value))
                    co_return fail(Failure::bad_response, "the upstream sent a malformed JSON-RPC message: " + *why);
                if (!co_await sink(std::move(decoded.value)))
                    co_return fail(Failure::client_gone, "the client went away");
            }
            if (!within_limit)
                co_return fail(Failure::bad_response, "an upstream SSE event is over " +
                                                          std::to_string(limits.max_event_bytes) +
                                                          " bytes (" + std::string(option::max_sse_event_bytes) + ")");
        }
        co_return true;
    }

    // A body that is not a stream, whole, up to --max-upstream-response-bytes.
    net::awaitable<bool> read_whole_body() {
        const auto max_bytes = pool.limits_.max_response_bytes;
        while (!parser->is_done()) {
            if (!co_await read_more()) co_return false;
            if (parser->get().body().size() > max_bytes)
                co_return fail(Failure::bad_response, "the upstream response is over " + std::to_string(max_bytes) +
                                                          " bytes (" + std::string(option::max_upstream_response_bytes) + ")");
        }
        co_return true;
    }

    // A JSON answer is the response to this request or nothing: a
    // notification or another id there is not the request's (bytes a broken
    // upstream left on the connection for another request must not reach a
    // client). A body that is not JSON-RPC is an HTTP error.
    net::awaitable<bool> read_json_answer(const json& request_id, const MessageSink& sink) {
        if (!co_await read_whole_body()) co_return false;
        const std::string& text = parser->get().body();
        auto decoded = text.empty() ? rewrite::ParsedJson{} : rewrite::parse_json(text, pool.json_limits(text.size()));
        if (decoded.limit) co_return fail(Failure::bad_response, "the upstream response is refused: " + decoded.error);
        const bool is_jsonrpc = decoded.value.is_object() && decoded.value.contains("jsonrpc");
        if (is_jsonrpc && (!decoded.value.contains("id") || decoded.value["id"] != request_id))
            co_return fail(Failure::bad_response, "the upstream's JSON answer is not the response to this request");
        if (is_jsonrpc) {
            if (auto why = rewrite::malformed_upstream_message(decoded.value))
                co_return fail(Failure::bad_response, "the upstream answered a malformed JSON-RPC response: " + *why);
            if (!co_await sink(std::move(decoded.value)))
                co_return fail(Failure::client_gone, "the client went away");
        } else if (result.status >= 300 || !text.empty()) {
            // An error page may be binary, and a cut may split a character.
            const std::string excerpt = rewrite::valid_utf8(rewrite::utf8_prefix(text, 300));
            result.failure = Failure::http_error;
            result.detail = "HTTP " + std::to_string(result.status) +
                            (excerpt.empty() ? std::string(" with an empty body") : ": " + excerpt);
        }
        co_return true;
    }

    // A passed-through SSE answer: each read's whole events to the client
    // as they are (a partial event waits for its end), without parsing them.
    net::awaitable<bool> relay_raw_events(const RawAnswer& answer, bool long_lived) {
        const auto& limits = pool.limits_;
        const auto idle = pool.timeouts_.idle;
        if (!co_await answer.begin_events(forwarded_headers()))
            co_return fail(Failure::client_gone, "the client went away");
        rewrite::SseEventEnds ends;
        std::string pending;
        auto last_event = Clock::now();
        while (!parser->is_done()) {
            if (!co_await read_more()) co_return false;
            auto& piece = parser->get().body();
            ends.feed(piece);
            pending += piece;
            piece.clear();
            if (connection.buffer.capacity() > 1024) connection.buffer.shrink_to_fit();
            const auto whole = pending.size() - (ends.fed() - ends.last_end());
            if (whole > 0) {
                last_event = Clock::now();
                std::string out;
                if (whole == pending.size()) {
                    out.swap(pending);  // the common case: nothing partial is left over
                } else {
                    out = pending.substr(0, whole);
                    pending.erase(0, whole);
                }
                if (!co_await answer.events(std::move(out))) co_return fail(Failure::client_gone, "the client went away");
            } else if (!long_lived && Clock::now() - last_event > idle) {
                co_return fail(Failure::timeout, "the upstream sent no whole event for " + std::to_string(idle.count()) +
                                                     " ms (" + std::string(option::upstream_idle_timeout_ms) + ")");
            }
            if (pending.size() > limits.max_event_bytes)
                co_return fail(Failure::bad_response, "an upstream SSE event is over " +
                                                          std::to_string(limits.max_event_bytes) + " bytes (" +
                                                          std::string(option::max_sse_event_bytes) + ")");
        }
        co_return true;
    }

    // A passed-through answer that is not a stream: its body as it is.
    net::awaitable<bool> read_raw_body(const RawAnswer& answer) {
        if (!co_await read_whole_body()) co_return false;
        auto& head = parser->get();
        if (!co_await answer.whole(head.result_int(), std::string(head[http::field::content_type]), forwarded_headers(),
                                   std::move(head.body())))
            co_return fail(Failure::client_gone, "the client went away");
        co_return true;
    }

    // The answer's end-to-end headers, for the client.
    rewrite::HeaderList forwarded_headers() const {
        const auto& head = parser->get();
        const std::string_view connection_header = head[http::field::connection];
        rewrite::HeaderList out;
        for (const auto& field : head) {
            const std::string_view name = field.name_string();
            if (rewrite::forwards_response_header(name, connection_header))
                out.emplace_back(std::string(name), std::string(field.value()));
        }
        return out;
    }

    // Bytes after a complete response are not the next request's answer: a
    // connection with any left over is never reused.
    bool reusable() const { return parser->get().keep_alive() && connection.buffer.size() == 0; }
};

net::awaitable<UpstreamResult> UpstreamPool::balanced(
    Cancellation& cancellation, const std::function<net::awaitable<UpstreamResult>(Instance&)>& attempt) {
    UpstreamResult last;
    last.failure = Failure::unreachable;
    last.detail = "no upstream configured";
    for (std::size_t tries = 0; tries < instances_.size() && !cancellation.requested; ++tries) {
        Instance& instance = *instances_[next_++ % instances_.size()];
        last = co_await attempt(instance);
        if (last.failure != Failure::unreachable) co_return last;
    }
    co_return last;
}

net::awaitable<UpstreamResult> UpstreamPool::send(rewrite::ModernRequest request, std::string authorization,
                                                  MessageSink sink, std::string pinned,
                                                  net::cancellation_slot cancel) {
    const std::string body = to_text(request.body);
    const json request_id = request.body.value("id", json());
    request.body = nullptr;  // a listen stream can last for hours: keep only the text
    Cancellation cancellation(cancel);
    rewrite::HeaderList headers{{"Content-Type", "application/json"},
                                {"Accept", "application/json, text/event-stream"},
                                {"User-Agent", "mcpshim"}};
    if (!authorization.empty()) headers.emplace_back("Authorization", std::move(authorization));
    headers.insert(headers.end(), request.headers.begin(), request.headers.end());
    const bool long_lived = std::any_of(request.headers.begin(), request.headers.end(), [](const auto& header) {
        return header.first == "Mcp-Method" && header.second == method_name::subscriptions_listen;
    });
    const AnswerReader read = [&](Exchange& exchange) -> net::awaitable<bool> {
        if (exchange.result.streamed) co_return co_await exchange.relay_events(sink, long_lived);
        co_return co_await exchange.read_json_answer(request_id, sink);
    };
    if (!pinned.empty()) {
        for (auto& instance : instances_)
            if (instance->endpoint.url == pinned) co_return co_await exchange_with(*instance, body, headers, cancellation, read);
        UpstreamResult gone;
        gone.failure = Failure::unreachable;
        gone.instance = pinned;
        gone.detail = "the instance " + pinned + " is no longer among the configured upstreams";
        co_return gone;
    }
    co_return co_await balanced(cancellation, [&](Instance& instance) {
        return exchange_with(instance, body, headers, cancellation, read);
    });
}

net::awaitable<UpstreamResult> UpstreamPool::relay(RawRequest request, const RawAnswer& answer,
                                                   net::cancellation_slot cancel) {
    Cancellation cancellation(cancel);
    const bool long_lived = request.long_lived;
    const AnswerReader read = [&](Exchange& exchange) -> net::awaitable<bool> {
        if (exchange.result.streamed) co_return co_await exchange.relay_raw_events(answer, long_lived);
        co_return co_await exchange.read_raw_body(answer);
    };
    co_return co_await balanced(cancellation, [&](Instance& instance) {
        return exchange_with(instance, request.body, request.headers, cancellation, read);
    });
}

net::awaitable<UpstreamResult> UpstreamPool::exchange_with(Instance& instance, std::string_view body,
                                                           const rewrite::HeaderList& headers,
                                                           Cancellation& cancellation, const AnswerReader& read) {
    UpstreamResult result;
    result.instance = instance.endpoint.url;
    std::string error;
    auto connection = take_idle(instance);
    if (!connection) connection = co_await connect(instance, error);
    if (!connection) {
        result.failure = Failure::unreachable;
        result.detail = error;
        co_return result;
    }
    Exchange exchange{*this, *connection, result, std::nullopt};
    if (cancellation.requested) {
        exchange.fail(Failure::client_gone, "cancelled before the request was written");
        co_return result;
    }
    cancellation.reading = &connection->tcp();
    // Cleared on every way out: the connection may be pooled or dropped.
    struct StopReading {
        Cancellation& cancellation;
        ~StopReading() { cancellation.reading = nullptr; }
    } stop_reading{cancellation};
    if (!co_await exchange.write(
            wire::format_request({"POST", instance.endpoint.target, instance.endpoint.host_header}, headers, body),
            cancellation))
        co_return result;
    if (!co_await exchange.read_final_head()) co_return result;
    if (co_await read(exchange) && exchange.reusable() && instance.idle.size() < limits_.max_idle_connections) {
        connection->idle_since = Clock::now();
        instance.idle.push_back(std::move(connection));
    }
    co_return result;
}

}  // namespace mcpshim::upstream
