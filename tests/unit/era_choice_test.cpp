#include <catch2/catch.hpp>

#include <string>

#include "mcpshim/rewrite/era_choice.hpp"
#include "mcpshim/rewrite/http_forwarding.hpp"
#include "mcpshim/rewrite/jsonrpc.hpp"
#include "mcpshim/rewrite/sse.hpp"

using namespace mcpshim;
using namespace mcpshim::rewrite;

namespace {

const char* const modern_meta =
    R"("_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientInfo":{"name":"c","version":"1"},"io.modelcontextprotocol/clientCapabilities":{}})";

json body_of(const std::string& text) { return json::parse(text); }

std::string with_meta(const std::string& method, const std::string& more = "") {
    return R"({"jsonrpc":"2.0","id":1,"method":")" + method + R"(","params":{)" + more + modern_meta + "}}";
}

}  // namespace

TEST_CASE("the body chooses the era of a request on the Streamable HTTP endpoint") {
    struct Row {
        const char* what;
        std::string http_method;
        HeaderValue version;
        std::string body;  // empty: no JSON body
        Era era;
        int refusal_code;  // 0: none
    };
    const std::string legacy_initialize =
        R"({"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"c","version":"1"}}})";
    const std::string plain_call = R"({"jsonrpc":"2.0","id":2,"method":"tools/list"})";
    const std::string notification = R"({"jsonrpc":"2.0","method":"notifications/initialized"})";
    const Row rows[] = {
        {"a modern request", "POST", "2026-07-28", with_meta("tools/list"), Era::modern, 0},
        {"a modern request without the version header (the body decides)", "POST", std::nullopt,
         with_meta("tools/list"), Era::modern, 0},
        {"a modern request with a legacy version header (the server says they disagree)", "POST", "2025-06-18",
         with_meta("tools/list"), Era::modern, 0},
        {"server/discover", "POST", "2026-07-28", with_meta("server/discover"), Era::modern, 0},
        {"initialize carrying a modern claim is a modern request", "POST", "2026-07-28", with_meta("initialize"),
         Era::modern, 0},
        {"a legacy initialize", "POST", std::nullopt, legacy_initialize, Era::legacy, 0},
        {"a legacy initialize with a legacy header", "POST", "2025-11-25", legacy_initialize, Era::legacy, 0},
        {"a legacy initialize with a modern header", "POST", "2026-07-28", legacy_initialize, Era::legacy,
         error_code::header_mismatch},
        {"a legacy request in a session", "POST", "2025-11-25", plain_call, Era::legacy, 0},
        {"a request naming no version at all", "POST", std::nullopt, plain_call, Era::legacy, 0},
        {"a modern header without a claim (the server says what is missing)", "POST", "2026-07-28", plain_call,
         Era::modern, 0},
        {"a version the shim does not know, after the modern one", "POST", "2027-03-01", plain_call, Era::modern, 0},
        {"a version that sorts before every known one", "POST", "2024-01-01", plain_call, Era::legacy, 0},
        {"a legacy notification", "POST", "2025-11-25", notification, Era::legacy, 0},
        {"a notification under a modern header", "POST", "2026-07-28", notification, Era::modern, 0},
        {"a posted response", "POST", "2025-11-25", R"({"jsonrpc":"2.0","id":5,"result":{}})", Era::legacy, 0},
        {"a legacy batch", "POST", "2025-03-26", "[" + plain_call + "," + notification + "]", Era::legacy, 0},
        {"a batch with a modern request", "POST", "2026-07-28", "[" + with_meta("tools/list") + "]", Era::legacy,
         error_code::invalid_request},
        {"a body that is not JSON", "POST", "2026-07-28", "", Era::legacy, 0},
        {"GET", "GET", "2026-07-28", "", Era::legacy, 0},
        {"DELETE", "DELETE", "2025-11-25", "", Era::legacy, 0},
    };
    for (const auto& row : rows) {
        INFO(row.what);
        json body;
        if (!row.body.empty()) body = body_of(row.body);
        const auto choice = choose_era(EraSignals{row.http_method, row.version, row.body.empty() ? nullptr : &body});
        CHECK(choice.era == row.era);
        if (row.refusal_code == 0) {
            CHECK_FALSE(choice.refusal);
        } else {
            REQUIRE(choice.refusal);
            CHECK(choice.refusal->code == row.refusal_code);
            CHECK(choice.refusal->status == 400);
        }
    }
}

TEST_CASE("a modern request's standard headers are checked against its body") {
    struct Row {
        const char* what;
        ModernHeaders headers;
        std::string body;
        bool refused;
    };
    const std::string call = with_meta("tools/call", R"("name":"get_weather","arguments":{},)");
    const std::string read = with_meta("resources/read", R"("uri":"file:///a b",)");
    const Row rows[] = {
        {"all agree", {"2026-07-28", "tools/call", "get_weather"}, call, false},
        {"Mcp-Method differs", {"2026-07-28", "tools/list", "get_weather"}, call, true},
        {"Mcp-Method differs in case only (values are case-sensitive)", {"2026-07-28", "Tools/Call", "get_weather"},
         call, true},
        {"Mcp-Method missing", {"2026-07-28", std::nullopt, "get_weather"}, call, true},
        {"MCP-Protocol-Version missing", {std::nullopt, "tools/call", "get_weather"}, call, true},
        {"MCP-Protocol-Version differs from the _meta", {"2025-11-25", "tools/call", "get_weather"}, call, true},
        {"Mcp-Name differs", {"2026-07-28", "tools/call", "other"}, call, true},
        {"Mcp-Name missing", {"2026-07-28", "tools/call", std::nullopt}, call, true},
        {"Mcp-Name base64-encoded", {"2026-07-28", "resources/read", "=?base64?ZmlsZTovLy9hIGI=?="}, read, false},
        {"Mcp-Name a broken sentinel", {"2026-07-28", "resources/read", "=?base64?!!?="}, read, true},
        {"a method without Mcp-Name", {"2026-07-28", "tools/list", std::nullopt}, with_meta("tools/list"), false},
        {"a notification needs no headers", {std::nullopt, std::nullopt, std::nullopt},
         R"({"jsonrpc":"2.0","method":"notifications/cancelled","params":{}})", false},
        {"a notification's Mcp-Method must still agree", {std::nullopt, "notifications/other", std::nullopt},
         R"({"jsonrpc":"2.0","method":"notifications/cancelled","params":{}})", true},
    };
    for (const auto& row : rows) {
        INFO(row.what);
        const auto refusal = check_modern_headers(row.headers, body_of(row.body));
        CHECK(refusal.has_value() == row.refused);
        if (refusal) {
            CHECK(refusal->code == error_code::header_mismatch);
            CHECK(refusal->status == 400);
        }
    }
    CHECK(strip_header_whitespace(" \ttools/call \t") == "tools/call");
    CHECK(mcp_name_source("tasks/get") == "taskId");
}

TEST_CASE("a proxy passes end-to-end headers and keeps hop-by-hop ones") {
    CHECK(is_hop_by_hop("connection", ""));
    CHECK(is_hop_by_hop("Transfer-Encoding", ""));
    CHECK(is_hop_by_hop("X-Hop", "keep-alive, X-Hop"));
    CHECK_FALSE(is_hop_by_hop("X-Hop", "keep-alive"));
    CHECK(forwards_request_header("Authorization", ""));
    CHECK(forwards_request_header("Mcp-Param-Region", ""));
    CHECK(forwards_request_header("traceparent", ""));
    CHECK_FALSE(forwards_request_header("Host", ""));
    CHECK_FALSE(forwards_request_header("content-length", ""));
    CHECK_FALSE(forwards_request_header("Mcp-Session-Id", ""));
    CHECK_FALSE(forwards_request_header("TE", ""));
    CHECK(forwards_response_header("WWW-Authenticate", ""));
    CHECK(forwards_response_header("X-Accel-Buffering", ""));
    CHECK_FALSE(forwards_response_header("Content-Type", ""));
    CHECK_FALSE(forwards_response_header("Keep-Alive", ""));
}

TEST_CASE("whole SSE events are found in a byte stream however it is split") {
    const std::string stream = "data: one\n\n: comment\r\n\r\nid: 2\rdata: two\r\rdata: part";
    for (std::size_t split = 0; split <= stream.size(); ++split) {
        SseEventEnds ends;
        ends.feed(std::string_view(stream).substr(0, split));
        ends.feed(std::string_view(stream).substr(split));
        INFO("split at " << split);
        CHECK(ends.fed() == stream.size());
        CHECK(ends.last_end() == stream.size() - std::string("data: part").size());
    }
    SseEventEnds half;
    half.feed("data: {\"jsonrpc\":");
    CHECK(half.last_end() == 0);
    half.feed("\"2.0\"}\n");
    CHECK(half.last_end() == 0);
    half.feed("\n");
    CHECK(half.last_end() == half.fed());
}
