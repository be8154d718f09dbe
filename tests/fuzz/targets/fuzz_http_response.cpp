// An upstream's response bytes through Beast's response parser, then the
// body through the SSE parser and the JSON parse, as the upstream pool reads them.
#include <cstddef>
#include <cstdint>

#include <boost/beast/http.hpp>

#include "mcpshim/rewrite/json_parse.hpp"
#include "mcpshim/rewrite/safe_text.hpp"
#include "mcpshim/rewrite/sse.hpp"

namespace http = boost::beast::http;
using namespace mcpshim;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    http::response_parser<http::string_body> parser;
    parser.body_limit(1024 * 1024);
    parser.eager(true);
    boost::beast::error_code ec;
    parser.put(boost::asio::buffer(data, size), ec);
    if (ec || !parser.is_header_done()) return 0;
    const std::string& body = parser.get().body();
    rewrite::SseParser sse(64 * 1024);
    std::vector<rewrite::SseEvent> events;
    sse.feed(body, events);
    for (const auto& event : events) (void)rewrite::parse_json(event.data, rewrite::JsonLimits{});
    const auto parsed = rewrite::parse_json(body, rewrite::JsonLimits{});
    if (!parsed.ok()) (void)rewrite::valid_utf8(rewrite::utf8_prefix(body, 300));
    return 0;
}
