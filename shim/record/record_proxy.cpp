#include "record/record_proxy.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>

#include <atomic>
#include <boost/asio/this_coro.hpp>
#include <cstdio>
#include <iostream>

#include "async/guarded_spawn.hpp"
#include "mcpshim/rewrite/option_names.hpp"
#include "mcpshim/rewrite/sse.hpp"
#include "record/recording_entry.hpp"
#include "record/recording_writer.hpp"
#include "upstream/upstream_endpoint.hpp"

namespace mcpshim::record {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;

namespace {

constexpr auto use_tuple = net::as_tuple(net::use_awaitable);

struct Proxy {
    const RecordConfig& config;
    upstream::UpstreamEndpoint upstream;
    RecordingWriter& writer;
    std::atomic<std::uint64_t> connections{0};
    std::atomic<std::uint64_t> exchanges{0};
};

bool is_hop_by_hop(http::field name) {
    return name == http::field::connection || name == http::field::keep_alive ||
           name == http::field::transfer_encoding || name == http::field::te || name == http::field::trailer ||
           name == http::field::upgrade || name == http::field::proxy_connection || name == http::field::content_length;
}

// Relays one upstream response to the client, recording it; false when the
// client connection cannot be reused.
net::awaitable<bool> relay_response(Proxy& proxy, beast::tcp_stream& client, beast::tcp_stream& server,
                                    std::uint64_t connection, std::uint64_t exchange, unsigned version,
                                    bool keep_alive) {
    beast::flat_buffer buffer;
    http::response_parser<http::buffer_body> parser;
    parser.body_limit(boost::none);  // streams are unbounded; JSON bodies are bounded below
    server.expires_after(proxy.config.upstream_timeouts.response);
    auto [header_ec, header_bytes] = co_await http::async_read_header(server, buffer, parser, use_tuple);
    if (header_ec) {
        json failed = exchange_entry(connection, exchange, "s2c", "response", proxy.upstream.url);
        failed["error"] = "no response from the upstream: " + header_ec.message();
        proxy.writer.write(std::move(failed));
        http::response<http::string_body> bad{http::status::bad_gateway, version};
        bad.set(http::field::content_type, "text/plain");
        bad.body() = "mcpshim record: the upstream did not answer (" + header_ec.message() + ")\n";
        bad.prepare_payload();
        co_await http::async_write(client, bad, use_tuple);
        co_return false;
    }
    const auto& head = parser.get();
    const bool streaming = head[http::field::content_type].starts_with("text/event-stream");
    json entry = exchange_entry(connection, exchange, "s2c", "response", proxy.upstream.url);
    entry["status"] = head.result_int();
    attach_headers(entry, head);

    http::response<http::empty_body> out{head.result(), version};
    for (const auto& field : head)
        if (!is_hop_by_hop(field.name())) out.set(field.name_string(), field.value());
    out.keep_alive(keep_alive);
    const auto length = parser.content_length();
    if (streaming || !length)
        out.chunked(true);
    else
        out.content_length(*length);

    std::string body;  // JSON answers are recorded whole
    rewrite::SseParser events(proxy.config.max_body_bytes);
    std::vector<rewrite::SseEvent> completed;
    http::response_serializer<http::empty_body> serializer(out);
    client.expires_never();
    if (auto [ec, n] = co_await http::async_write_header(client, serializer, use_tuple); ec) co_return false;
    if (streaming) proxy.writer.write(entry);

    char chunk[16 * 1024];
    bool client_alive = true;
    while (!parser.is_done()) {
        parser.get().body().data = chunk;
        parser.get().body().size = sizeof chunk;
        server.expires_after(proxy.config.upstream_timeouts.idle);
        auto [ec, n] = co_await http::async_read_some(server, buffer, parser, use_tuple);
        if (ec == http::error::need_buffer) ec = {};
        const std::size_t got = sizeof chunk - parser.get().body().size;
        if (got > 0) {
            const std::string_view piece(chunk, got);
            if (streaming) {
                events.feed(piece, completed);
                for (auto& event : completed) {
                    json line = exchange_entry(connection, exchange, "s2c", "event", proxy.upstream.url);
                    if (!event.id.empty()) line["eventId"] = event.id;
                    if (!event.event.empty()) line["event"] = event.event;
                    attach_body(line, event.data, proxy.config.max_recorded_text);
                    proxy.writer.write(std::move(line));
                }
                completed.clear();
            } else if (body.size() + got <= proxy.config.max_body_bytes) {
                body.append(piece);
            }
            auto [wec, wn] = out.chunked()
                                 ? co_await net::async_write(client, http::make_chunk(net::buffer(piece)), use_tuple)
                                 : co_await net::async_write(client, net::buffer(piece), use_tuple);
            if (wec) {
                client_alive = false;
                break;
            }
        }
        if (ec) break;  // the upstream ended the stream early; the client sees it end
    }
    if (client_alive && out.chunked()) {
        auto [ec, n] = co_await net::async_write(client, http::make_chunk_last(), use_tuple);
        client_alive = !ec;
    }
    if (streaming) {
        json end = exchange_entry(connection, exchange, "s2c", "end", proxy.upstream.url);
        end["complete"] = parser.is_done();
        proxy.writer.write(std::move(end));
    } else {
        attach_body(entry, body, proxy.config.max_recorded_text);
        proxy.writer.write(std::move(entry));
    }
    co_return client_alive&& parser.is_done() && keep_alive;
}

net::awaitable<void> serve_client(Proxy& proxy, tcp::socket socket) {
    const std::uint64_t connection = ++proxy.connections;
    beast::tcp_stream client(std::move(socket));
    beast::flat_buffer buffer;
    for (;;) {
        http::request_parser<http::string_body> parser;
        parser.header_limit(static_cast<std::uint32_t>(proxy.config.max_header_bytes));
        parser.body_limit(proxy.config.max_body_bytes);
        client.expires_after(proxy.config.read_timeout);
        auto [ec, n] = co_await http::async_read(client, buffer, parser, use_tuple);
        if (ec) {
            if (ec != http::error::end_of_stream && ec != net::error::eof && ec != beast::error::timeout)
                spdlog::info("conn={} request refused: {} (see {}, {})", connection, ec.message(),
                             option::max_header_bytes, option::max_body_bytes);
            co_return;
        }
        auto request = parser.release();
        const std::uint64_t exchange = ++proxy.exchanges;
        json entry = exchange_entry(connection, exchange, "c2s", "request", proxy.upstream.url);
        entry["method"] = std::string(request.method_string());
        entry["path"] = std::string(request.target());
        attach_headers(entry, request);
        attach_body(entry, request.body(), proxy.config.max_recorded_text);
        proxy.writer.write(std::move(entry));

        // One upstream connection per exchange: simple, and a GET stream
        // holds only its own.
        beast::tcp_stream server(co_await net::this_coro::executor);
        tcp::resolver resolver(co_await net::this_coro::executor);
        auto [rec, results] = co_await resolver.async_resolve(proxy.upstream.host, proxy.upstream.port, use_tuple);
        server.expires_after(proxy.config.upstream_timeouts.response);
        boost::system::error_code cec = rec;
        if (!rec) {
            auto [connect_ec, endpoint] = co_await server.async_connect(results, use_tuple);
            cec = connect_ec;
        }
        const bool keep_alive = request.keep_alive();
        if (!cec) {
            request.set(http::field::host, proxy.upstream.host_header);
            request.keep_alive(false);
            request.prepare_payload();
            auto [wec, wn] = co_await http::async_write(server, request, use_tuple);
            cec = wec;
        }
        if (cec) {
            json failed = exchange_entry(connection, exchange, "s2c", "response", proxy.upstream.url);
            failed["error"] = "upstream unreachable: " + cec.message();
            proxy.writer.write(std::move(failed));
            http::response<http::string_body> bad{http::status::bad_gateway, request.version()};
            bad.set(http::field::content_type, "text/plain");
            bad.body() = "mcpshim record: cannot reach " + proxy.upstream.url + " (" + cec.message() + ")\n";
            bad.prepare_payload();
            co_await http::async_write(client, bad, use_tuple);
            co_return;
        }
        const bool reuse =
            co_await relay_response(proxy, client, server, connection, exchange, request.version(), keep_alive);
        if (!reuse) co_return;
    }
}

net::awaitable<void> accept_clients(Proxy& proxy, tcp::acceptor& acceptor) {
    for (;;) {
        auto [ec, socket] = co_await acceptor.async_accept(use_tuple);
        if (ec) continue;
        async::spawn_guarded(acceptor.get_executor(), serve_client(proxy, std::move(socket)), "a recorded client connection");
    }
}

}  // namespace

int run_record(const RecordConfig& config) {
    std::string error;
    const auto parsed = upstream::parse_upstream_url(config.upstream_url, error);
    if (!parsed) {
        std::cerr << "mcpshim record: " + std::string(option::upstream) + " " << error << "\n";
        return 2;
    }
    const auto& endpoint = *parsed;
    if (endpoint.tls) {
        std::cerr << "mcpshim record: " + std::string(option::upstream) + " must be http:// (put the recorder where TLS is already terminated)\n";
        return 2;
    }
    RecordingWriter writer(config.out_path, config.upstream_url);
    net::io_context io{1};
    tcp::acceptor acceptor(io, tcp::endpoint(net::ip::make_address(config.listen_host), config.listen_port));
    Proxy proxy{config, endpoint, writer};
    async::spawn_guarded(io, accept_clients(proxy, acceptor), "the recording proxy's accept loop");
    net::signal_set signals(io, SIGINT, SIGTERM);
    signals.async_wait([&](const boost::system::error_code&, int) { io.stop(); });

    const auto bound = acceptor.local_endpoint();
    const std::string url =
        "http://" + bound.address().to_string() + ":" + std::to_string(bound.port()) + endpoint.target;
    spdlog::info("recording traffic to {} into {}", config.upstream_url, config.out_path);
    std::cout << R"({"listening":")" << url << R"(","port":)" << bound.port() << "}" << std::endl;
    io.run();
    spdlog::info("recorded {} lines", writer.lines());
    spdlog::shutdown();
    std::fflush(nullptr);
    std::_Exit(0);
}

}  // namespace mcpshim::record
