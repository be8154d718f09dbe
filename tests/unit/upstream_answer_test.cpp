// Each kind of final upstream answer, and each task state, read without a
// throwing accessor: a wrong-typed member is a reason, never an exception.
#include <catch2/catch.hpp>

#include "mcpshim/rewrite/task_state.hpp"
#include "mcpshim/rewrite/upstream_answer.hpp"

using mcpshim::json;
using namespace mcpshim::rewrite;

namespace {
json response(json result) {
    return json{{"jsonrpc", "2.0"}, {"id", 1}, {"result", std::move(result)}};
}
}  // namespace

TEST_CASE("an upstream answer is one kind: error, input_required, task, complete, malformed or missing") {
    SECTION("error") {
        auto kind = classify_upstream_answer(json::parse(R"({"jsonrpc":"2.0","id":1,"error":{"code":-32602,"message":"no"}})"));
        auto* error = std::get_if<answer::Error>(&kind);
        REQUIRE(error);
        CHECK(error->code == -32602);
        CHECK(error->error["message"] == "no");
    }
    SECTION("input_required") {
        auto kind = classify_upstream_answer(response(json::parse(
            R"({"resultType":"input_required","inputRequests":{"a":{"method":"elicitation/create","params":{}}},"requestState":"s"})")));
        auto* input = std::get_if<answer::InputRequired>(&kind);
        REQUIRE(input);
        REQUIRE(input->round.requests.size() == 1);
        CHECK(input->round.requests[0].key == "a");
        CHECK(input->round.request_state == "s");
    }
    SECTION("task") {
        auto kind = classify_upstream_answer(response(json::parse(R"({"resultType":"task","taskId":"t1"})")));
        REQUIRE(std::get_if<answer::Task>(&kind));
        CHECK(std::get<answer::Task>(kind).result["taskId"] == "t1");
    }
    SECTION("complete, with or without resultType") {
        auto kind = classify_upstream_answer(response(json::parse(R"({"content":[]})")));
        REQUIRE(std::get_if<answer::Complete>(&kind));
        auto unknown = classify_upstream_answer(response(json::parse(R"({"resultType":"later"})")));
        REQUIRE(std::get_if<answer::Complete>(&unknown));  // translated and refused where it is read
    }
    SECTION("missing") {
        auto kind = classify_upstream_answer(nullptr);
        CHECK(std::holds_alternative<answer::Missing>(kind));
    }
    SECTION("malformed: wrong-typed members are reasons") {
        for (const char* text : {R"({"jsonrpc":"2.0","id":1,"error":"boom"})",
                                 R"({"jsonrpc":"2.0","id":1,"error":{"code":"x","message":"m"}})",
                                 R"({"jsonrpc":"2.0","id":1,"result":"done"})",
                                 R"({"jsonrpc":"2.0","id":1})",
                                 R"({"jsonrpc":"2.0","id":1,"method":"notifications/message"})",
                                 R"({"jsonrpc":"1.0","id":1,"result":{}})",
                                 R"([1,2])"}) {
            auto kind = classify_upstream_answer(json::parse(text));
            INFO(text);
            REQUIRE(std::holds_alternative<answer::Malformed>(kind));
            CHECK_FALSE(std::get<answer::Malformed>(kind).reason.empty());
        }
        auto bad_round = classify_upstream_answer(response(json::parse(R"({"resultType":"input_required","inputRequests":7})")));
        REQUIRE(std::holds_alternative<answer::Malformed>(bad_round));
        CHECK_THAT(std::get<answer::Malformed>(bad_round).reason, Catch::Contains("input_required"));
    }
}

TEST_CASE("a task's state is one kind, whatever types its members have") {
    CHECK(std::holds_alternative<task_state::Completed>(read_task_state(json::parse(R"({"status":"completed","result":{"content":[]}})"))));
    CHECK(std::get<task_state::Completed>(read_task_state(json::parse(R"({"status":"completed"})"))).result == json::object());
    auto failed = read_task_state(json::parse(R"({"status":"failed","error":"not an object"})"));
    REQUIRE(std::holds_alternative<task_state::Failed>(failed));
    CHECK(std::get<task_state::Failed>(failed).error["code"] == -32603);
    auto cancelled = read_task_state(json::parse(R"({"status":"cancelled","statusMessage":42})"));
    REQUIRE(std::holds_alternative<task_state::Cancelled>(cancelled));
    CHECK(std::get<task_state::Cancelled>(cancelled).message == "no reason given");
    auto working = read_task_state(json::parse(R"({"status":"working","statusMessage":"half way"})"));
    REQUIRE(std::holds_alternative<task_state::Working>(working));
    CHECK(std::get<task_state::Working>(working).message == "half way");
    CHECK(std::holds_alternative<task_state::InputRequired>(read_task_state(json::parse(
        R"({"status":"input_required","inputRequests":{"k":{"method":"roots/list","params":{}}}})"))));
    for (const char* text : {R"({"status":7})", R"({})", R"("working")", R"({"status":"completed","result":[]})",
                             R"({"status":"input_required","inputRequests":[]})"}) {
        INFO(text);
        CHECK(std::holds_alternative<task_state::Malformed>(read_task_state(json::parse(text))));
    }
}

TEST_CASE("members are read by type, with a fallback") {
    const auto object = json::parse(R"({"s":"text","n":5,"f":1.5,"wrong":[1]})");
    CHECK(mcpshim::string_member(object, "s") == "text");
    CHECK(mcpshim::string_member(object, "wrong", "fallback") == "fallback");
    CHECK(mcpshim::string_member(json::array(), "s", "x") == "x");
    CHECK(mcpshim::integer_member(object, "n") == 5);
    CHECK_FALSE(mcpshim::integer_member(object, "f"));
    CHECK_FALSE(mcpshim::integer_member(object, "absent"));
}
