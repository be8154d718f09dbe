#include "http/http_server.hpp"

#include <atomic>
#include <cerrno>
#include <optional>

#include <spdlog/spdlog.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>

#include <algorithm>
#include <chrono>

#include "async/guarded_spawn.hpp"
#include "http/legacy_endpoint.hpp"
#include "http/response_writer.hpp"
#include "http/sse_transport.hpp"
#include "async/failpoint.hpp"
#include "async/log_throttle.hpp"
#include "mcpshim/rewrite/option_names.hpp"
#include "mcpshim/rewrite/jsonrpc.hpp"
#include "mcpshim/rewrite/safe_text.hpp"
#include "relay/request_log.hpp"
#include "wire/request_framing.hpp"

namespace mcpshim::http_face {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;
constexpr auto use_tuple = net::as_tuple(net::use_awaitable);

namespace {

std::string limit_error(const std::string& message) {
    return to_text(rewrite::make_error(nullptr, rewrite::error_code::invalid_request, message));
}

net::awaitable<void> health(const Request& request, ResponseWriter& out, HttpContext& ctx) {
    if (request.target() == "/healthz") {
        co_await out.send(200, "text/plain", "ok\n");
        co_return;
    }
    if (ctx.drain && ctx.drain->draining) {
        co_await out.send(503, "text/plain", "not ready: stopping (requests under way are being answered)\n");
        co_return;
    }
    // Ready when an upstream answered server/discover within the window; if
    // none did lately, ask now.
    const auto within_window = [&] {
        const auto last = ctx.discover.last_success();
        return last && std::chrono::steady_clock::now() - *last < ctx.config.ready_window;
    };
    if (!within_window()) co_await ctx.discover.get("readiness", std::string());
    if (!within_window()) {
        co_await out.send(503, "text/plain", "not ready: no upstream answered server/discover\n");
        co_return;
    }
    if (const auto store = co_await ctx.store.readiness(); !store.empty()) {
        co_await out.send(503, "text/plain", "not ready: " + store + "\n");
        co_return;
    }
    co_await out.send(200, "text/plain", "ready\n");
}

// Numbers connections across serving threads, for recordings.
std::atomic<std::uint64_t> connection_counter{0};

// Reads until `buffer` holds a whole request head (a pipelined one may be
// there already); its length, or the read's error.
net::awaitable<std::pair<beast::error_code, std::size_t>> read_head(beast::tcp_stream& stream,
                                                                    beast::flat_buffer& buffer,
                                                                    std::size_t max_header_bytes) {
    for (;;) {
        const auto data = buffer.data();
        const std::string_view bytes(static_cast<const char*>(data.data()), data.size());
        if (auto length = wire::request_head_length(bytes)) co_return std::pair{beast::error_code{}, *length};
        if (bytes.size() > max_header_bytes)
            co_return std::pair{beast::error_code(http::error::header_limit), std::size_t{0}};
        auto [ec, n] = co_await stream.socket().async_read_some(buffer.prepare(4096), use_tuple);
        if (ec) co_return std::pair{ec, std::size_t{0}};
        buffer.commit(n);
    }
}

// Reads one request under the limits into `parser`, or answers the refusal
// (framing, size, time) that names the limit; false when the connection ends.
net::awaitable<bool> read_request(beast::tcp_stream& stream, beast::flat_buffer& buffer,
                                  http::request_parser<http::string_body>& parser, HttpContext& ctx) {
    const auto& config = ctx.config;
    parser.header_limit(static_cast<std::uint32_t>(config.max_header_bytes));
    parser.body_limit(ctx.settings.json_limits.max_body_bytes);
    // A deadline that cancels the read but leaves the socket open, so a
    // slow client can still be told which limit it hit.
    net::steady_timer deadline(stream.get_executor());
    bool timed_out = false;
    deadline.expires_after(config.read_timeout);
    deadline.async_wait([&timed_out, &stream](beast::error_code wait_ec) {
        if (wait_ec) return;
        timed_out = true;
        beast::error_code ignored;
        stream.socket().cancel(ignored);
    });
    auto [ec, head_length] = co_await read_head(stream, buffer, config.max_header_bytes);
    if (!ec) {
        const auto data = buffer.data();
        const std::string_view head(static_cast<const char*>(data.data()), head_length);
        if (auto refusal = wire::check_request_framing(head)) {
            deadline.cancel();
            ResponseWriter out(stream, 11, false, config.write_timeout);
            co_await out.send(refusal->status, "application/json",
                              limit_error("the request's framing is refused: " + refusal->reason));
            spdlog::info("request refused: {}", rewrite::log_safe(refusal->reason));
            co_return false;
        }
        auto [read_ec, bytes] = co_await http::async_read(stream, buffer, parser, use_tuple);
        ec = read_ec;
    }
    deadline.cancel();
    if (timed_out && ec) ec = beast::error::timeout;
    if (ec == http::error::end_of_stream || ec == net::error::connection_reset || ec == net::error::eof) co_return false;
    if (ec) {
        ResponseWriter out(stream, 11, false, config.write_timeout);
        if (ec == beast::error::timeout) {
            if (parser.got_some())
                co_await out.send(
                    408, "application/json",
                    limit_error("the request was not received within " +
                                std::to_string(config.read_timeout.count()) + " ms (" + std::string(option::read_timeout_ms) + ")"));
        } else if (ec == http::error::body_limit) {
            co_await out.send(
                413, "application/json",
                limit_error("the request body is over " + std::to_string(ctx.settings.json_limits.max_body_bytes) +
                            " bytes (raise it with " + std::string(option::max_body_bytes) + ")"));
        } else if (ec == http::error::header_limit) {
            co_await out.send(
                431, "application/json",
                limit_error("the request headers are over " + std::to_string(config.max_header_bytes) +
                            " bytes (raise it with " + std::string(option::max_header_bytes) + ")"));
        } else {
            co_await out.send(400, "application/json", limit_error("malformed HTTP request: " + ec.message()));
        }
        if (parser.got_some() || buffer.size() > 0 || ec != beast::error::timeout)
            spdlog::info("{} refused: {}", stream.socket().is_open() ? "request" : "connection", ec.message());
        co_return false;
    }
    co_return true;
}

net::awaitable<void> route(const Request& request, std::string_view path, ResponseWriter& out, RequestLog& log,
                           HttpContext& ctx) {
    const auto& config = ctx.config;
    if (path == config.endpoint_path) {
        LegacyEndpoint endpoint(ctx);
        co_await endpoint.handle(request, out, log);
    } else if (path == config.sse_path && request.method() == http::verb::get) {
        co_await serve_sse_stream(ctx, request, out, log);
    } else if (path == config.messages_path && request.method() == http::verb::post) {
        co_await accept_sse_message(ctx, request, out, log);
    } else if (path == "/healthz" || path == "/readyz") {
        co_await health(request, out, ctx);
    } else {
        co_await out.send(404, "application/json",
                          limit_error("no such path; the MCP endpoint is " + config.endpoint_path));
    }
}

net::awaitable<void> serve_connection(tcp::socket socket, HttpContext& ctx) {
    const std::uint64_t connection_number = ++connection_counter;
    std::uint64_t exchange_number = 0;
    beast::tcp_stream stream(std::move(socket));
    beast::flat_buffer buffer;
    const auto& config = ctx.config;
    ++ctx.open_connections;
    struct Release {
        HttpContext& ctx;
        ~Release() { --ctx.open_connections; }
    } release{ctx};

    if (ctx.open_connections > config.max_connections) {
        thread_local LogThrottle throttle;
        if (const auto count = throttle.event())
            spdlog::warn("refused {} connection{} over {} {}", count, count == 1 ? "" : "s",
                         option::max_connections, config.max_connections);
        ResponseWriter out(stream, 11, false, config.write_timeout);
        co_await out.send(503, "application/json",
                          limit_error("too many open connections (" + std::string(option::max_connections) + " " +
                                      std::to_string(config.max_connections) + ")"));
        co_return;
    }

    for (;;) {
        http::request_parser<http::string_body> parser;
        if (!co_await read_request(stream, buffer, parser, ctx)) break;
        const auto started = std::chrono::steady_clock::now();
        const auto& request = parser.get();
        // While draining, what is answered is answered on a connection that then closes.
        const bool draining = ctx.drain && ctx.drain->draining;
        ResponseWriter out(stream, request.version(), request.keep_alive() && !draining, config.write_timeout);
        struct Answering {
            Drain* drain;
            explicit Answering(Drain* d) : drain(d) {
                if (drain) ++drain->answering;
            }
            ~Answering() {
                if (drain) --drain->answering;
            }
        } answering(request.method() == http::verb::get ? nullptr : ctx.drain);
        std::optional<record::ExchangeRecorder> recorder;
        if (ctx.recording) {
            recorder.emplace(*ctx.recording, ctx.recording_server, connection_number, ++exchange_number);
            recorder->request(request);
            out.record_with(&*recorder);
        }
        RequestLog log;
        const auto path = request.target().substr(0, request.target().find('?'));
        // A GET may hold its stream for hours: give the idle read buffer back meanwhile.
        if (request.method() == http::verb::get && buffer.size() == 0) buffer.shrink_to_fit();
        // The boundary of the HTTP face: a failure is logged and, unless the
        // answer had begun, answered; the connection then closes, since what
        // it was in the middle of is unknown.
        std::exception_ptr failure;
        try {
            async::failpoint("http.route", path);  // e.g. http.route:/mcp
            co_await route(request, path, out, log, ctx);
        } catch (...) {
            failure = std::current_exception();
        }
        if (failure) {
            const auto what = async::describe(failure);
            spdlog::error("{} {}: the shim failed on this request: {}", std::string(request.method_string()),
                          rewrite::log_safe(path), what);
            log.note = "failed in the shim: " + what;
            if (!out.started())
                co_await out.send(500, "application/json",
                                  to_text(rewrite::make_error(nullptr, rewrite::error_code::internal_error,
                                                              "the shim failed on this request: " + what)));
        }
        // Every peer-given text is made one line of valid UTF-8 first.
        if (spdlog::should_log(spdlog::level::info))  // the line's parts cost a copy each: only when it is written
            relay::log_request(fmt::format("{} {} {}", std::string_view(request.method_string()),
                                           rewrite::log_safe(path), out.status()),
                               log, started);
        if (!out.keep_alive() || failure) break;
    }
    beast::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
}

}  // namespace

namespace {

// Accepting fails like this while the process (or the system) is out of
// descriptors or memory; retrying at once only spins.
bool out_of_resources(const beast::error_code& ec) {
    // ENFILE has no Asio name: compared as the system error it is.
    const boost::system::error_code system_out_of_files(ENFILE, boost::system::system_category());
    return ec == net::error::no_descriptors || ec == system_out_of_files ||
           ec == net::error::no_buffer_space || ec == net::error::no_memory;
}

}  // namespace

net::awaitable<void> accept_loop(tcp::acceptor& acceptor, HttpContext& context) {
    using std::chrono::milliseconds;
    milliseconds backoff{0};
    std::size_t refused_while_out = 0;
    net::steady_timer pause(acceptor.get_executor());
    for (;;) {
        auto [ec, socket] = co_await acceptor.async_accept(use_tuple);
        if (ec == net::error::operation_aborted) co_return;
        if (out_of_resources(ec)) {
            if (backoff.count() == 0)
                spdlog::warn("accept failed: {}; pausing accepts (raise the open-file limit or lower {})",
                             ec.message(), option::max_connections);
            ++refused_while_out;
            backoff = std::clamp(backoff * 2, milliseconds(10), milliseconds(1000));
            pause.expires_after(backoff);
            co_await pause.async_wait(use_tuple);
            continue;
        }
        if (backoff.count() != 0) {
            spdlog::warn("accepting again after {} failed accept{}", refused_while_out,
                         refused_while_out == 1 ? "" : "s");
            backoff = milliseconds(0);
            refused_while_out = 0;
        }
        if (ec) {
            thread_local LogThrottle throttle;
            if (throttle.event()) spdlog::warn("accept failed: {}", ec.message());
            continue;
        }
        beast::error_code option_ec;
        socket.set_option(tcp::no_delay(true), option_ec);  // a socket reset meanwhile must not end this loop
        async::spawn_guarded(acceptor.get_executor(), serve_connection(std::move(socket), context), "a client connection");
    }
}

}  // namespace mcpshim::http_face
