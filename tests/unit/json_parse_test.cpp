#include <catch2/catch.hpp>

#include "mcpshim/rewrite/json_parse.hpp"

using namespace mcpshim;
using namespace mcpshim::rewrite;

namespace {

std::string object_with_keys(std::size_t count) {
    std::string text = "{";
    for (std::size_t i = 0; i < count; ++i) {
        if (i) text += ',';
        text += "\"k" + std::to_string(i) + "\":" + std::to_string(i);
    }
    return text + "}";
}

}  // namespace

TEST_CASE("parse_json keeps member order and every kind of value") {
    const auto parsed = parse_json(R"({"z":1,"a":[true,null,-2,3.5,"s",{"b":{}}],"m":18446744073709551615})", {});
    REQUIRE(parsed.ok());
    CHECK(parsed.value.dump() == R"({"z":1,"a":[true,null,-2,3.5,"s",{"b":{}}],"m":18446744073709551615})");
    CHECK(parsed.value["a"][5]["b"].is_object());
}

TEST_CASE("parse_json refuses what json::parse refuses, naming no raw bytes") {
    for (const char* bad : {"", "{", "{\"a\":}", "[1,]", "{\"a\":1} x", "\"\xff\""}) {
        const auto parsed = parse_json(bad, {});
        CHECK_FALSE(parsed.ok());
        CHECK(parsed.value.is_discarded());
        CHECK(parsed.error.find("byte") != std::string::npos);
    }
}

TEST_CASE("parse_json refuses duplicate member names, at any depth") {
    CHECK_FALSE(parse_json(R"({"method":"a","method":"b"})", {}).ok());
    const auto nested = parse_json(R"({"p":{"x":1,"y":2,"x":3}})", {});
    CHECK_FALSE(nested.ok());
    CHECK(nested.error.find("duplicate member name \"x\"") != std::string::npos);
    // Many members, one twin far apart: found by the sort, not by a scan.
    std::string many = object_with_keys(500);
    many.back() = ',';
    many += "\"k7\":0}";
    CHECK_FALSE(parse_json(many, {}).ok());
    CHECK(parse_json(object_with_keys(500), {}).ok());
}

TEST_CASE("members per object are a named limit, counted per object") {
    JsonLimits limits;
    limits.max_object_members = 3;
    CHECK(parse_json(R"({"a":1,"b":{"c":1,"d":2,"e":3},"f":[{"g":1}]})", limits).ok());
    const auto over = parse_json(R"({"a":1,"b":2,"c":3,"d":4})", limits);
    REQUIRE(over.limit);
    CHECK(over.limit->option == "--max-object-members");
    CHECK(over.error.find("--max-object-members") != std::string::npos);
    // Colons inside strings and array elements are not members.
    CHECK(parse_json(R"({"a":"x:y:z:w","b":[1,2,3,4,5,6]})", limits).ok());
}

TEST_CASE("a very large object parses in time linear in its size") {
    // 300k members: a lookup per member among the earlier ones (the
    // insertion-ordered map's own insert) takes minutes here; this takes
    // well under a second.
    JsonLimits limits;
    limits.max_object_members = 400000;
    limits.max_body_bytes = 16 * 1024 * 1024;
    const auto parsed = parse_json(object_with_keys(300000), limits);
    REQUIRE(parsed.ok());
    CHECK(parsed.value.size() == 300000);
    CHECK(parsed.value.back() == 299999);
}

TEST_CASE("nesting deeper than the limit is refused before any parse") {
    const std::string deep = std::string(70000, '[') + std::string(70000, ']');
    const auto parsed = parse_json(deep, {});
    REQUIRE(parsed.limit);
    CHECK(parsed.limit->option == "--max-json-depth");
}
