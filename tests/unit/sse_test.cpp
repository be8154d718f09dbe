#include <catch2/catch.hpp>

#include "mcpshim/rewrite/sse.hpp"

using namespace mcpshim::rewrite;

TEST_CASE("SSE events parse across arbitrary splits and line endings") {
    const std::string stream =
        ": keep-alive\n\nid: 7\nevent: message\nretry: 500\ndata: {\"a\":1}\n\r\ndata: line1\r\ndata: line2\r\n\r\n"
        "data:no-space\n\nid: 9\n\n";
    for (std::size_t split = 0; split <= stream.size(); ++split) {
        SseParser parser(1024);
        std::vector<SseEvent> events;
        REQUIRE(parser.feed(stream.substr(0, split), events));
        REQUIRE(parser.feed(stream.substr(split), events));
        REQUIRE(events.size() == 3);
        CHECK(events[0].id == "7");
        CHECK(events[0].event == "message");
        CHECK(events[0].retry_ms == 500);
        CHECK(events[0].data == R"({"a":1})");
        CHECK(events[1].data == "line1\nline2");
        CHECK(events[2].data == "no-space");
    }
}

TEST_CASE("an event over the limit stops the parser") {
    SseParser parser(16);
    std::vector<SseEvent> events;
    CHECK_FALSE(parser.feed("data: " + std::string(64, 'x'), events));
}

TEST_CASE("events are written with one data line per line") {
    CHECK(format_sse_event("{}", "s1_3", "message") == "id: s1_3\nevent: message\ndata: {}\n\n");
    CHECK(format_sse_event("a\nb") == "data: a\ndata: b\n\n");
    CHECK(format_sse_event("", "p", {}, 1000) == "id: p\nretry: 1000\ndata: \n\n");
}
