// A minimal modern (2026-07-28) MCP server for the benchmarks: it answers
// server/discover, tools/list, tools/call (a fixed echo result) and
// resources/read (a 64 KiB text), and holds subscriptions/listen streams,
// to which POST /notify sends a tools/list_changed. It does as little as it
// can, so that what the benchmark measures is the path in front of it.
//   bench_upstream [--port N]   prints {"listening": URL}
#include <boost/asio.hpp>
#include <boost/beast.hpp>
#include <nlohmann/json.hpp>

#include <iostream>
#include <list>
#include <memory>
#include <string>

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;
using nlohmann::json;
constexpr auto use_tuple = net::as_tuple(net::use_awaitable);

namespace {

const std::string big_text(64 * 1024, 'x');

struct Listener {
    beast::tcp_stream* stream;
    std::string subscription_id;
    net::steady_timer* wake;
    std::list<std::string>* queue;
};
std::list<Listener*> listeners;

std::string result_for(const json& request) {
    const std::string method = request.value("method", "");
    json result;
    if (method == "server/discover") {
        result = {{"supportedVersions", {"2026-07-28"}},
                  {"capabilities", {{"tools", {{"listChanged", true}}}, {"resources", json::object()}}},
                  {"resultType", "complete"},
                  {"ttlMs", 60000},
                  {"cacheScope", "public"},
                  {"_meta", {{"io.modelcontextprotocol/serverInfo", {{"name", "bench-upstream"}, {"version", "1"}}}}}};
    } else if (method == "tools/list") {
        result = {{"tools",
                   {{{"name", "echo"},
                     {"inputSchema", {{"type", "object"}, {"properties", {{"text", {{"type", "string"}}}}}}}}}},
                  {"resultType", "complete"},
                  {"ttlMs", 60000},
                  {"cacheScope", "public"}};
    } else if (method == "tools/call") {
        const auto& args = request["params"].value("arguments", json::object());
        result = {{"content", {{{"type", "text"}, {"text", args.value("text", "")}}}}, {"resultType", "complete"}};
    } else if (method == "resources/read") {
        result = {{"contents",
                   {{{"uri", request["params"].value("uri", "")}, {"mimeType", "text/plain"}, {"text", big_text}}}},
                  {"resultType", "complete"}};
    } else {
        json error = {{"jsonrpc", "2.0"},
                      {"id", request.value("id", json())},
                      {"error", {{"code", -32601}, {"message", "no such method"}}}};
        return error.dump();
    }
    json response = {{"jsonrpc", "2.0"}, {"id", request.value("id", json())}, {"result", std::move(result)}};
    return response.dump();
}

std::string sse_event(const json& message) {
    return "event: message\ndata: " + message.dump() + "\n\n";
}

net::awaitable<void> hold_listen(beast::tcp_stream& stream, unsigned version, const json& request) {
    http::response<http::empty_body> head{http::status::ok, version};
    head.set(http::field::content_type, "text/event-stream");
    head.chunked(true);
    http::response_serializer<http::empty_body> serializer{head};
    if (auto [ec, n] = co_await http::async_write_header(stream, serializer, use_tuple); ec) co_return;
    const std::string id = request.value("id", json()).dump();
    json ack = {{"jsonrpc", "2.0"},
                {"method", "notifications/subscriptions/acknowledged"},
                {"params", {{"_meta", {{"io.modelcontextprotocol/subscriptionId", request.value("id", json())}}}}}};
    std::list<std::string> queue{sse_event(ack)};
    net::steady_timer wake(stream.get_executor());
    Listener self{&stream, id, &wake, &queue};
    listeners.push_back(&self);
    for (;;) {
        while (!queue.empty()) {
            auto [ec, n] = co_await net::async_write(stream, http::make_chunk(net::buffer(queue.front())), use_tuple);
            if (ec) {
                listeners.remove(&self);
                co_return;
            }
            queue.pop_front();
        }
        wake.expires_after(std::chrono::hours(1));
        co_await wake.async_wait(use_tuple);
        if (!stream.socket().is_open()) break;
    }
    listeners.remove(&self);
}

void notify_all() {
    for (auto* listener : listeners) {
        json note = {
            {"jsonrpc", "2.0"},
            {"method", "notifications/tools/list_changed"},
            {"params",
             {{"_meta", {{"io.modelcontextprotocol/subscriptionId", json::parse(listener->subscription_id)}}}}}};
        listener->queue->push_back(sse_event(note));
        listener->wake->cancel();
    }
}

net::awaitable<void> serve(tcp::socket socket) {
    socket.set_option(tcp::no_delay(true));
    beast::tcp_stream stream(std::move(socket));
    beast::flat_buffer buffer;
    for (;;) {
        http::request<http::string_body> request;
        auto [ec, n] = co_await http::async_read(stream, buffer, request, use_tuple);
        if (ec) co_return;
        if (request.target() == "/notify") {
            notify_all();
            http::response<http::string_body> ok{http::status::ok, request.version()};
            ok.body() = "notified " + std::to_string(listeners.size()) + "\n";
            ok.prepare_payload();
            ok.keep_alive(request.keep_alive());
            co_await http::async_write(stream, ok, use_tuple);
            continue;
        }
        auto parsed = json::parse(request.body(), nullptr, false);
        if (request.method() != http::verb::post || parsed.is_discarded() || !parsed.is_object()) {
            http::response<http::string_body> bad{http::status::method_not_allowed, request.version()};
            bad.prepare_payload();
            co_await http::async_write(stream, bad, use_tuple);
            co_return;
        }
        if (parsed.value("method", "") == "subscriptions/listen") {
            co_await hold_listen(stream, request.version(), parsed);
            co_return;
        }
        http::response<http::string_body> response{http::status::ok, request.version()};
        response.set(http::field::content_type, "application/json");
        response.body() = result_for(parsed);
        response.prepare_payload();
        response.keep_alive(request.keep_alive());
        auto [wec, wn] = co_await http::async_write(stream, response, use_tuple);
        if (wec || !request.keep_alive()) co_return;
    }
}

net::awaitable<void> accept(tcp::acceptor& acceptor) {
    for (;;) {
        auto [ec, socket] = co_await acceptor.async_accept(use_tuple);
        if (!ec) net::co_spawn(acceptor.get_executor(), serve(std::move(socket)), net::detached);
    }
}

}  // namespace

int main(int argc, char** argv) {
    unsigned short port = 0;
    for (int i = 1; i + 1 < argc; ++i)
        if (std::string(argv[i]) == "--port") port = static_cast<unsigned short>(std::stoi(argv[i + 1]));
    net::io_context io{1};
    tcp::acceptor acceptor(io, tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
    net::co_spawn(io, accept(acceptor), net::detached);
    std::cout << R"({"listening":"http://127.0.0.1:)" << acceptor.local_endpoint().port() << R"(/mcp"})" << std::endl;
    io.run();
}
