#include <catch2/catch.hpp>

#include <boost/beast/http.hpp>

#include "wire/http_wire.hpp"

namespace http = boost::beast::http;
using namespace mcpshim;

namespace {

// Reads back what was formatted, as a client or server would.
template <bool is_request>
http::message<is_request, http::string_body> parse(const std::string& bytes) {
    http::parser<is_request, http::string_body> parser;
    parser.eager(true);
    boost::beast::error_code ec;
    const auto used = parser.put(boost::asio::buffer(bytes), ec);
    REQUIRE_FALSE(ec);
    REQUIRE(used == bytes.size());
    REQUIRE(parser.is_done());
    return parser.release();
}

}  // namespace

TEST_CASE("a formatted response reads back with its status, headers and body") {
    const wire::ResponseHead head{11, 404, "application/json", true, false};
    const auto response = parse<false>(wire::format_response(head, {{"Mcp-Session-Id", "abc"}}, R"({"x":1})"));
    CHECK(response.result_int() == 404);
    CHECK(response.reason() == "Not Found");
    CHECK(response[http::field::content_type] == "application/json");
    CHECK(response["Mcp-Session-Id"] == "abc");
    CHECK(response.body() == R"({"x":1})");
    CHECK(response.keep_alive());
}

TEST_CASE("keep-alive is spelled out only where the HTTP version's default differs") {
    const auto closing = parse<false>(wire::format_response({11, 200, {}, false, false}, {}, ""));
    CHECK_FALSE(closing.keep_alive());
    const auto old_kept = parse<false>(wire::format_response({10, 200, {}, true, false}, {}, "ok"));
    CHECK(old_kept.version() == 10);
    CHECK(old_kept.keep_alive());
    const auto old_closing = parse<false>(wire::format_response({10, 200, {}, false, false}, {}, "ok"));
    CHECK_FALSE(old_closing.keep_alive());
}

TEST_CASE("a header value cannot end the header early") {
    const auto bytes = wire::format_response({11, 200, {}, true, false}, {{"X-Note", "a\r\nInjected: yes"}}, "");
    const auto response = parse<false>(bytes);
    CHECK(response["X-Note"] == "a  Injected: yes");
    CHECK(response.find("Injected") == response.end());
}

TEST_CASE("a chunked response reads back from its head, chunks and last chunk") {
    std::string bytes = wire::format_response({11, 200, "text/event-stream", true, true}, {}, "ignored");
    bytes += wire::format_chunk("data: one\n\n");
    bytes += wire::format_chunk(std::string(300, 'x'));
    bytes += wire::last_chunk;
    const auto response = parse<false>(bytes);
    CHECK(response.chunked());
    CHECK(response.body() == "data: one\n\n" + std::string(300, 'x'));
}

TEST_CASE("a formatted request reads back with its target, host, headers and body") {
    const auto request = parse<true>(wire::format_request(
        {"POST", "/mcp?x=1", "example.test:8080"}, {{"Mcp-Method", "tools/call"}}, R"({"jsonrpc":"2.0"})"));
    CHECK(request.method() == http::verb::post);
    CHECK(request.target() == "/mcp?x=1");
    CHECK(request[http::field::host] == "example.test:8080");
    CHECK(request["Mcp-Method"] == "tools/call");
    CHECK(request.body() == R"({"jsonrpc":"2.0"})");
    CHECK(request.keep_alive());
}
