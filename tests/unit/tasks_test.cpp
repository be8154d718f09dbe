#include <catch2/catch.hpp>

#include "mcpshim/rewrite/modern_request.hpp"
#include "mcpshim/rewrite/tasks.hpp"

using namespace mcpshim;
using namespace mcpshim::rewrite;

TEST_CASE("a modern task becomes a legacy Task without its inlined payload") {
    const auto modern = json::parse(R"({"resultType":"task","taskId":"t1","status":"completed","statusMessage":"done",
        "createdAt":"2026-01-01T00:00:00Z","lastUpdatedAt":"2026-01-01T00:00:01Z","ttlMs":60000,"pollIntervalMs":50,
        "result":{"content":[]},"_meta":{"io.modelcontextprotocol/serverInfo":{"name":"s"}}})");
    CHECK(legacy_task(modern) == json::parse(R"({"taskId":"t1","status":"completed","statusMessage":"done",
        "createdAt":"2026-01-01T00:00:00Z","lastUpdatedAt":"2026-01-01T00:00:01Z","ttl":60000,"pollInterval":50})"));
    // ttl is required in legacy: null when the server gave none (unlimited).
    CHECK(legacy_task(json::parse(R"({"taskId":"t2","status":"working"})"))["ttl"].is_null());
}

TEST_CASE("only 2025-11-25 clients that declared tasks use the legacy task methods") {
    const auto declared = json::parse(R"({"tasks":{"list":{}}})");
    CHECK(legacy_client_uses_tasks("2025-11-25", declared));
    CHECK_FALSE(legacy_client_uses_tasks("2025-06-18", declared));
    CHECK_FALSE(legacy_client_uses_tasks("2025-11-25", json::object()));
    CHECK(server_offers_tasks(json::parse(R"({"extensions":{"io.modelcontextprotocol/tasks":{}}})")));
    CHECK_FALSE(server_offers_tasks(json::parse(R"({"tasks":{}})")));
}

TEST_CASE("task augmentation is read from tools/call and dropped on the way upstream") {
    const auto request = json::parse(R"({"jsonrpc":"2.0","id":1,"method":"tools/call",
        "params":{"name":"slow","arguments":{},"task":{"ttl":1000}}})");
    CHECK(is_task_augmented(request));
    CHECK_FALSE(is_task_augmented(json::parse(R"({"method":"tools/call","params":{"name":"x"}})")));
    const SessionView session{"2025-11-25", json::object(), json::object(), std::nullopt};
    const auto modern = to_modern_request(request, 5, session, {});
    CHECK_FALSE(modern.body["params"].contains("task"));
    const auto get = to_modern_request(json::parse(R"({"method":"tasks/get","params":{"taskId":"abc"}})"), 6, session, {});
    CHECK(std::find(get.headers.begin(), get.headers.end(), std::pair<std::string, std::string>{"Mcp-Name", "abc"}) !=
          get.headers.end());
}

TEST_CASE("tools are offered for task augmentation unless they say otherwise") {
    auto result = json::parse(R"({"tools":[{"name":"a"},{"name":"b","execution":{"taskSupport":"forbidden"}}]})");
    offer_task_support(result);
    CHECK(result["tools"][0]["execution"]["taskSupport"] == "optional");
    CHECK(result["tools"][1]["execution"]["taskSupport"] == "forbidden");
    json tagged = json::object();
    tag_related_task(tagged, "t9");
    CHECK(tagged["_meta"]["io.modelcontextprotocol/related-task"]["taskId"] == "t9");
}
