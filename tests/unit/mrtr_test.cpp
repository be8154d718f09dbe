#include <catch2/catch.hpp>

#include "mcpshim/rewrite/mrtr.hpp"

using namespace mcpshim;
using namespace mcpshim::rewrite;

TEST_CASE("an input_required result is read in the server's order") {
    const auto result = json::parse(R"({"resultType":"input_required","requestState":"opaque-1",
        "inputRequests":{"b":{"method":"elicitation/create","params":{"message":"m"}},"a":{"method":"roots/list"}}})");
    auto read = read_input_required(result);
    REQUIRE(std::holds_alternative<InputRound>(read));
    const auto& round = std::get<InputRound>(read);
    REQUIRE(round.requests.size() == 2);
    CHECK(round.requests[0].key == "b");
    CHECK(round.requests[1].method == "roots/list");
    CHECK(round.requests[1].params == json::object());
    CHECK(round.request_state == std::optional<std::string>("opaque-1"));
    CHECK(std::holds_alternative<InputRound>(read_input_required(json::parse(R"({"requestState":"s"})"))));
    CHECK(std::holds_alternative<std::string>(read_input_required(json::parse(R"({"resultType":"input_required"})"))));
    CHECK(std::holds_alternative<std::string>(read_input_required(json::parse(R"({"inputRequests":{"x":{}}})"))));
}

TEST_CASE("input requests need the matching legacy capability") {
    const auto caps = json::parse(R"({"sampling":{},"roots":{"listChanged":true}})");
    CHECK_FALSE(missing_capability("sampling/createMessage", caps));
    CHECK_FALSE(missing_capability("roots/list", caps));
    CHECK(missing_capability("elicitation/create", caps) == std::optional<std::string>("elicitation"));
    CHECK(missing_capability("tools/call", caps));
}

TEST_CASE("the retry carries this round's responses and exact state") {
    const auto original =
        json::parse(R"({"name":"t","arguments":{"x":1},"inputResponses":{"old":{}},"requestState":"r1"})");
    const auto retry = retry_params(original, json::parse(R"({"k":{"action":"accept"}})"), std::string("r2"));
    CHECK(retry.dump() ==
          R"({"name":"t","arguments":{"x":1},"inputResponses":{"k":{"action":"accept"}},"requestState":"r2"})");
    const auto stateless = retry_params(original, json::object(), std::nullopt);
    CHECK_FALSE(stateless.contains("requestState"));
    CHECK_FALSE(stateless.contains("inputResponses"));
}
