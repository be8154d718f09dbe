#include <catch2/catch.hpp>

#include "mcpshim/rewrite/jsonrpc.hpp"

using namespace mcpshim;
using namespace mcpshim::rewrite;

namespace {
const JsonLimits limits{};

ParsedBody parse_ok(std::string_view text, bool batch = false) {
    auto parsed = parse_body(text, limits, batch);
    REQUIRE(std::holds_alternative<ParsedBody>(parsed));
    return std::get<ParsedBody>(std::move(parsed));
}

ParseFailure parse_fails(std::string_view text, const JsonLimits& with = limits, bool batch = false) {
    auto parsed = parse_body(text, with, batch);
    REQUIRE(std::holds_alternative<ParseFailure>(parsed));
    return std::get<ParseFailure>(std::move(parsed));
}
}  // namespace

TEST_CASE("messages are classified by their members") {
    CHECK(parse_ok(R"({"jsonrpc":"2.0","id":1,"method":"ping"})").messages[0].kind == MessageKind::request);
    CHECK(parse_ok(R"({"jsonrpc":"2.0","id":"a","method":"ping"})").messages[0].kind == MessageKind::request);
    CHECK(parse_ok(R"({"jsonrpc":"2.0","method":"notifications/initialized"})").messages[0].kind ==
          MessageKind::notification);
    CHECK(parse_ok(R"({"jsonrpc":"2.0","id":7,"result":{}})").messages[0].kind == MessageKind::result);
    CHECK(parse_ok(R"({"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"x"}})").messages[0].kind ==
          MessageKind::error);
}

TEST_CASE("invalid messages are refused with the reason") {
    CHECK(parse_fails("{not json").code == error_code::parse_error);
    CHECK(parse_fails(R"({"id":1,"method":"ping"})").message.find("jsonrpc") != std::string::npos);
    CHECK(parse_fails(R"({"jsonrpc":"2.0","id":1.5,"method":"ping"})").code == error_code::invalid_request);
    CHECK(parse_fails(R"({"jsonrpc":"2.0","id":1,"method":"x","params":[1]})").message.find("params") !=
          std::string::npos);
    CHECK(parse_fails(R"({"jsonrpc":"2.0","id":1,"result":{},"error":{"code":1,"message":"m"}})").code ==
          error_code::invalid_request);
    CHECK(parse_fails(R"({"jsonrpc":"2.0","id":1,"error":{"code":"x","message":"m"}})").code ==
          error_code::invalid_request);
    CHECK(parse_fails("[1,2]").message.find("2025-03-26") != std::string::npos);
}

TEST_CASE("batches are accepted only when allowed, and every element is checked") {
    const auto body = parse_ok(R"([{"jsonrpc":"2.0","id":1,"method":"ping"},{"jsonrpc":"2.0","method":"n"}])", true);
    CHECK(body.batch);
    CHECK(body.messages.size() == 2);
    CHECK(parse_fails("[]", limits, true).code == error_code::invalid_request);
    CHECK(parse_fails(R"([{"jsonrpc":"2.0","id":1,"method":"ping"},{"id":2}])", limits, true).code ==
          error_code::invalid_request);
}

TEST_CASE("named limits reject before parsing and name the option") {
    JsonLimits tight;
    tight.max_depth = 3;
    tight.max_body_bytes = 200;
    tight.max_string_bytes = 10;
    auto deep = parse_fails(R"({"jsonrpc":"2.0","id":1,"method":"m","params":{"a":{"b":{"c":1}}}})", tight);
    REQUIRE(deep.limit);
    CHECK(deep.limit->option == "--max-json-depth");
    CHECK(deep.message.find("--max-json-depth") != std::string::npos);
    auto big = parse_fails(std::string(201, ' '), tight);
    REQUIRE(big.limit);
    CHECK(big.limit->option == "--max-body-bytes");
    auto longstring = parse_fails(R"({"jsonrpc":"2.0","id":1,"method":"abcdefghijklmnop"})", tight);
    REQUIRE(longstring.limit);
    CHECK(longstring.limit->option == "--max-string-bytes");
    // Brackets inside strings do not count as nesting.
    JsonLimits shallow;
    shallow.max_depth = 2;
    CHECK_FALSE(check_json_limits(R"({"jsonrpc":"2.0","method":"[[[[{{{{\""})", shallow));
}

TEST_CASE("builders produce JSON-RPC 2.0 messages") {
    const auto error = make_error(3, error_code::invalid_params, "bad", json{{"uri", "x"}});
    CHECK(error.dump() == R"({"jsonrpc":"2.0","id":3,"error":{"code":-32602,"message":"bad","data":{"uri":"x"}}})");
    CHECK(make_result("a", json::object()).dump() == R"({"jsonrpc":"2.0","id":"a","result":{}})");
}

TEST_CASE("upstream messages the relays cannot read are named, not thrown on") {
    const auto why = [](const char* text) { return malformed_upstream_message(json::parse(text)); };
    CHECK_FALSE(why(R"({"jsonrpc":"2.0","id":1,"result":{}})"));
    CHECK_FALSE(why(R"({"jsonrpc":"2.0","method":"notifications/progress","params":{"progress":1}})"));
    CHECK_FALSE(why(R"({"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"x","data":[1]}})"));
    CHECK(why(R"({"jsonrpc":"2.0","id":1,"error":"boom"})")->find("integer \"code\"") != std::string::npos);
    CHECK(why(R"({"jsonrpc":"2.0","id":1,"error":{"code":"1","message":"x"}})"));
    CHECK(why(R"({"jsonrpc":"2.0","id":1,"result":[1,2]})")->find("must be an object") != std::string::npos);
    CHECK(why(R"({"jsonrpc":"2.0","method":7})"));
    CHECK(why(R"({"jsonrpc":"2.0","method":"m","params":[1]})"));
    CHECK(why(R"({"jsonrpc":"2.0","id":{"a":1},"result":{}})"));
    CHECK(why(R"({"jsonrpc":"1.0","id":1,"result":{}})"));
    CHECK(why(R"([1])"));
}
