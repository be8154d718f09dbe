#include <catch2/catch.hpp>

#include "mcpshim/rewrite/capabilities.hpp"

using namespace mcpshim;
using namespace mcpshim::rewrite;

TEST_CASE("legacy client capabilities become modern per-request capabilities") {
    const auto modern = modern_client_capabilities(json::parse(
        R"({"roots":{"listChanged":true},"sampling":{"tools":{}},"elicitation":{},"tasks":{"list":{}},"experimental":{"x":{}}})"));
    CHECK(modern == json::parse(R"({"roots":{},"sampling":{"tools":{}},"elicitation":{},"experimental":{"x":{}},
                                   "extensions":{"io.modelcontextprotocol/tasks":{}}})"));
    // The shim polls tasks for every client, so it always declares the extension.
    CHECK(modern_client_capabilities(nullptr) == json::parse(R"({"extensions":{"io.modelcontextprotocol/tasks":{}}})"));
}

TEST_CASE("modern server capabilities become what a legacy version knows, plus what the shim provides") {
    const auto modern = json::parse(
        R"({"tools":{"listChanged":true},"resources":{"subscribe":true,"listChanged":true},"completions":{},"extensions":{"io.modelcontextprotocol/tasks":{}}})");
    const auto legacy = legacy_server_capabilities(modern, "2025-11-25", ShimProvided{true, false});
    CHECK(legacy ==
          json::parse(
              R"({"tools":{"listChanged":true},"resources":{"listChanged":true},"completions":{},"logging":{}})"));
    const auto old = legacy_server_capabilities(modern, "2024-11-05", ShimProvided{false, true});
    CHECK_FALSE(old.contains("completions"));
    CHECK_FALSE(old.contains("logging"));
    CHECK(old["resources"]["subscribe"] == true);
    const auto with_tasks = legacy_server_capabilities(modern, "2025-11-25", ShimProvided{true, false, true});
    CHECK(with_tasks["tasks"] == json::parse(R"({"list":{},"cancel":{},"requests":{"tools":{"call":{}}}})"));
}

TEST_CASE("the listen filter asks for what the server announces and the session subscribed") {
    const auto caps = json::parse(
        R"({"tools":{"listChanged":true},"prompts":{},"resources":{"subscribe":true,"listChanged":false}})");
    CHECK(listen_filter(caps, {}) == json::parse(R"({"toolsListChanged":true})"));
    CHECK(listen_filter(caps, {"test://a", "test://b"}) ==
          json::parse(R"({"toolsListChanged":true,"resourceSubscriptions":["test://a","test://b"]})"));
    CHECK(listen_filter(json::parse(R"({"resources":{}})"), {"test://a"}) == json::object());
    CHECK(supports_resource_subscriptions(caps));
}
