#include <catch2/catch.hpp>

#include "mcpshim/rewrite/header_encoding.hpp"

using namespace mcpshim;
using namespace mcpshim::rewrite;

TEST_CASE("header values: plain when safe, base64 sentinel otherwise") {
    CHECK(encode_header_value("us-west1") == "us-west1");
    CHECK(encode_header_value("us west 1") == "us west 1");
    CHECK(encode_header_value("") == "");
    CHECK(encode_header_value("Hello, 世界") == "=?base64?SGVsbG8sIOS4lueVjA==?=");
    CHECK(encode_header_value(" padded ") == "=?base64?IHBhZGRlZCA=?=");
    CHECK(encode_header_value("line1\nline2") == "=?base64?bGluZTEKbGluZTI=?=");
    CHECK(encode_header_value("\tindented") == "=?base64?CWluZGVudGVk?=");
    CHECK(encode_header_value("=?base64?literal?=") == "=?base64?PT9iYXNlNjQ/bGl0ZXJhbD89?=");
    CHECK(decode_header_value("=?base64?SGVsbG8sIOS4lueVjA==?=") == std::optional<std::string>("Hello, 世界"));
    CHECK(decode_header_value("plain") == std::optional<std::string>("plain"));
    CHECK_FALSE(decode_header_value("=?base64?SGVs!!!bG8=?="));
}

TEST_CASE("x-mcp-header annotations become Mcp-Param headers") {
    const auto schema = json::parse(R"({"type":"object","properties":{
        "region":{"type":"string","x-mcp-header":"Region"},
        "count":{"type":"integer","x-mcp-header":"Count"},
        "flag":{"type":"boolean","x-mcp-header":"Flag"},
        "nested":{"type":"object","properties":{"zone":{"type":"string","x-mcp-header":"Zone"}}},
        "plain":{"type":"string"}}})");
    const auto spec = inspect_tool_headers(schema);
    REQUIRE(spec.valid);
    REQUIRE(spec.params.size() == 4);
    const auto headers = param_headers(
        spec, json::parse(R"({"region":"Hello, 世界","count":42,"flag":false,"nested":{"zone":"a"},"plain":"x"})"));
    CHECK(headers == HeaderList{{"Mcp-Param-Region", "=?base64?SGVsbG8sIOS4lueVjA==?="},
                                {"Mcp-Param-Count", "42"},
                                {"Mcp-Param-Flag", "false"},
                                {"Mcp-Param-Zone", "a"}});
    CHECK(param_headers(spec, json::parse(R"({"region":null,"count":7.0})")) == HeaderList{{"Mcp-Param-Count", "7"}});
}

TEST_CASE("invalid x-mcp-header annotations make the tool invalid") {
    auto invalid = [](const char* text) { return !inspect_tool_headers(json::parse(text)).valid; };
    CHECK(invalid(R"({"properties":{"a":{"type":"string","x-mcp-header":""}}})"));
    CHECK(invalid(R"({"properties":{"a":{"type":"number","x-mcp-header":"A"}}})"));
    CHECK(invalid(R"({"properties":{"a":{"type":"object","x-mcp-header":"A"}}})"));
    CHECK(invalid(R"({"properties":{"a":{"type":"string","x-mcp-header":"My Region"}}})"));
    CHECK(invalid(R"({"properties":{"a":{"type":"string","x-mcp-header":"Region:Primary"}}})"));
    CHECK(invalid(R"({"properties":{"a":{"type":"string","x-mcp-header":"Région"}}})"));
    CHECK(invalid(R"({"properties":{"a":{"type":"string","x-mcp-header":"Region\t1"}}})"));
    CHECK(invalid(R"({"properties":{"a":{"type":"string","x-mcp-header":"MyField"},
                                     "b":{"type":"string","x-mcp-header":"myfield"}}})"));
    CHECK(invalid(R"({"properties":{"a":{"type":"array","items":{"type":"string","x-mcp-header":"A"}}}})"));
    CHECK(invalid(R"({"anyOf":[{"properties":{"a":{"type":"string","x-mcp-header":"A"}}}]})"));
    CHECK_FALSE(invalid(R"({"properties":{"x-mcp-header":{"type":"string"}}})"));
}
