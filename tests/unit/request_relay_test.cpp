// The request relay against a scripted upstream and a recording reply
// channel: one case per kind of upstream answer (complete, error, malformed,
// missing, notifications first, input_required, task), each checked for what
// the legacy client gets and the answer kind its face would map.
#include <catch2/catch.hpp>

#include "relay/request_relay.hpp"
#include "relay_harness.hpp"

using namespace mcpshim;
using mcpshim::testing::answer_to;
using mcpshim::testing::json_answer;
using mcpshim::testing::method_of;
using mcpshim::testing::RecordingReply;
using mcpshim::testing::RelayHarness;
using mcpshim::testing::Scripted;
using mcpshim::testing::sse_answer_to;

namespace {

rewrite::Message call(int id, const std::string& tool, json arguments = json::object()) {
    json body{{"jsonrpc", "2.0"}, {"id", id}, {"method", "tools/call"}};
    body["params"] = json{{"name", tool}, {"arguments", std::move(arguments)}};
    return rewrite::Message{rewrite::MessageKind::request, std::move(body)};
}

json text_result(const std::string& text) {
    return json{{"content", json::array({json{{"type", "text"}, {"text", text}}})}};
}

// Answers tools/list with no tools (no Mcp-Param headers), tools/call with `on_call`.
void serve_tools(RelayHarness& harness, std::function<Scripted(const std::string&)> on_call) {
    harness.upstream.respond_with([on_call](const std::string& body) {
        if (method_of(body) == "tools/list") return Scripted{answer_to(body, json{{"tools", json::array()}})};
        return on_call(body);
    });
}

struct Served {
    RecordingReply reply;
    relay::RequestLog log;
    bool alive = false;
};

Served serve(RelayHarness& harness, const rewrite::Message& message, relay::OpenSession session = RelayHarness::session(),
             std::function<void(const json&)> on_notify = {}) {
    Served served;
    served.reply.on_notify = std::move(on_notify);
    relay::RequestRelay relay(harness.context);
    const relay::Caller caller;
    harness.run([&]() -> boost::asio::awaitable<void> {
        served.alive = co_await relay.serve(message, session, caller, served.reply, served.log);
    });
    return served;
}

std::vector<json> upstream_requests(RelayHarness& harness, const std::string& method) {
    std::vector<json> found;
    for (const auto& body : harness.upstream.bodies)
        if (method_of(body) == method) found.push_back(json::parse(body));
    return found;
}

}  // namespace

TEST_CASE("a complete upstream result is the legacy client's answer") {
    RelayHarness harness;
    serve_tools(harness, [](const std::string& body) { return Scripted{answer_to(body, text_result("hi"))}; });
    auto served = serve(harness, call(7, "echo"));
    CHECK(served.alive);
    REQUIRE(served.reply.response.contains("result"));
    CHECK(served.reply.response["id"] == 7);
    CHECK(served.reply.response["result"]["content"][0]["text"] == "hi");
    CHECK(served.reply.kind == relay::AnswerKind::answered);
    CHECK_FALSE(served.log.upstream.empty());
    // The modern request carried the session's client in _meta, not a session.
    const auto calls = upstream_requests(harness, "tools/call");
    REQUIRE(calls.size() == 1);
    CHECK(calls[0]["params"]["_meta"].contains("io.modelcontextprotocol/clientInfo"));
}

TEST_CASE("an upstream error object is passed on under the client's id") {
    RelayHarness harness;
    serve_tools(harness, [](const std::string& body) {
        const json request = json::parse(body);
        json error{{"jsonrpc", "2.0"}, {"id", request["id"]}};
        error["error"] = json{{"code", -32602}, {"message", "no such tool"}};
        return Scripted{json_answer(error.dump())};
    });
    auto served = serve(harness, call(8, "missing"));
    REQUIRE(served.reply.response.contains("error"));
    CHECK(served.reply.response["id"] == 8);
    CHECK(served.reply.response["error"]["code"] == -32602);
    CHECK(served.reply.response["error"]["message"] == "no such tool");
    CHECK(served.reply.kind == relay::AnswerKind::answered);
}

TEST_CASE("an upstream answer with a wrong-typed field is answered with an error, never lost") {
    RelayHarness harness;
    serve_tools(harness, [](const std::string& body) {
        const json request = json::parse(body);
        return Scripted{json_answer(json{{"jsonrpc", "2.0"}, {"id", request["id"]}, {"error", "boom"}}.dump())};
    });
    auto served = serve(harness, call(9, "echo"));
    REQUIRE(served.reply.response.contains("error"));
    CHECK(served.reply.response["id"] == 9);
    CHECK(served.reply.response["error"]["code"] == -32603);
    CHECK_THAT(served.reply.response["error"]["message"].get<std::string>(), Catch::Contains("upstream"));
    CHECK(served.reply.kind == relay::AnswerKind::upstream_failed);
    CHECK_FALSE(served.log.note.empty());
}

TEST_CASE("an upstream that closes without answering gets the client an error naming it") {
    RelayHarness harness;
    serve_tools(harness, [](const std::string&) { return Scripted{"", true}; });
    auto served = serve(harness, call(10, "echo"));
    REQUIRE(served.reply.response.contains("error"));
    CHECK(served.reply.response["error"]["data"]["upstream"] == served.log.upstream);
    CHECK(served.reply.kind == relay::AnswerKind::upstream_failed);
}

TEST_CASE("notifications on the answer's stream reach the client first, in order, without modern _meta") {
    RelayHarness harness;
    serve_tools(harness, [](const std::string& body) {
        std::vector<json> progress;
        for (int step : {1, 2})
            progress.push_back(json{{"jsonrpc", "2.0"},
                                    {"method", "notifications/progress"},
                                    {"params", {{"progressToken", "p"}, {"progress", step}}}});
        return Scripted{sse_answer_to(body, progress, text_result("done"))};
    });
    auto served = serve(harness, call(11, "slow"));
    REQUIRE(served.reply.notifications.size() == 2);
    CHECK(served.reply.notifications[0]["params"]["progress"] == 1);
    CHECK(served.reply.notifications[1]["params"]["progress"] == 2);
    CHECK(served.reply.response["result"]["content"][0]["text"] == "done");
}

TEST_CASE("a slow answer's notifications wait in a bounded mailbox that holds the upstream back, losing none") {
    RelayHarness harness;
    harness.settings.poll_after = std::chrono::milliseconds(60000);  // the exchange runs in its own coroutine
    harness.settings.outbox.max_messages = 1;
    serve_tools(harness, [](const std::string& body) {
        std::vector<json> progress;
        for (int step = 1; step <= 6; ++step)
            progress.push_back(json{{"jsonrpc", "2.0"},
                                    {"method", "notifications/progress"},
                                    {"params", {{"progressToken", "p"}, {"progress", step}}}});
        return Scripted{sse_answer_to(body, progress, text_result("done"))};
    });
    auto session = RelayHarness::session();
    session.claims.protocol_version = "2025-11-25";  // polls when an answer is slow
    auto served = serve(harness, call(16, "slow"), session);
    REQUIRE(served.reply.notifications.size() == 6);
    for (int step = 1; step <= 6; ++step) CHECK(served.reply.notifications[step - 1]["params"]["progress"] == step);
    CHECK(served.reply.response["result"]["content"][0]["text"] == "done");
}

TEST_CASE("input_required: the client is asked, and the retry carries its answer in inputResponses") {
    RelayHarness harness;
    serve_tools(harness, [](const std::string& body) {
        const json request = json::parse(body);
        if (request["params"].contains("inputResponses"))
            return Scripted{answer_to(body, text_result("thanks, " + request["params"]["inputResponses"]["who"]["content"]["name"].get<std::string>()))};
        json ask{{"resultType", "input_required"}, {"requestState", "opaque-1"}};
        ask["inputRequests"]["who"] =
            json{{"method", "elicitation/create"}, {"params", {{"message", "your name?"}, {"requestedSchema", json::object()}}}};
        return Scripted{answer_to(body, ask)};
    });
    auto session = RelayHarness::session(json{{"elicitation", json::object()}});
    const auto session_id = session.claims.session_id;
    auto served = serve(harness, call(12, "greet"), session, [&](const json& request) {
        // The client answers its elicitation the way a POSTed response arrives.
        json answer{{"jsonrpc", "2.0"}, {"id", request["id"]}};
        answer["result"] = json{{"action", "accept"}, {"content", {{"name", "Ada"}}}};
        boost::asio::post(harness.io, [&harness, session_id, answer] { harness.store.inputs().deliver(session_id, answer); });
    });
    REQUIRE(served.reply.notifications.size() == 1);
    CHECK(served.reply.notifications[0]["method"] == "elicitation/create");
    CHECK(served.reply.response["result"]["content"][0]["text"] == "thanks, Ada");
    const auto calls = upstream_requests(harness, "tools/call");
    REQUIRE(calls.size() == 2);
    CHECK(calls[1]["params"]["requestState"] == "opaque-1");
}

TEST_CASE("input_required for a capability the client never declared is refused, not forwarded") {
    RelayHarness harness;
    serve_tools(harness, [](const std::string& body) {
        json ask{{"resultType", "input_required"}};
        ask["inputRequests"]["who"] = json{{"method", "elicitation/create"}, {"params", {{"message", "name?"}}}};
        return Scripted{answer_to(body, ask)};
    });
    auto served = serve(harness, call(13, "greet"));
    CHECK(served.reply.notifications.empty());
    REQUIRE(served.reply.response.contains("error"));
    CHECK_THAT(served.reply.response["error"]["message"].get<std::string>(),
               Catch::Contains("did not declare the \"elicitation\" capability"));
    CHECK(upstream_requests(harness, "tools/call").size() == 1);
}

TEST_CASE("a task handle is driven to its result for a client without tasks") {
    RelayHarness harness;
    harness.settings.task_polling.min_interval = std::chrono::milliseconds(1);
    int polls = 0;
    serve_tools(harness, [&polls](const std::string& body) {
        if (method_of(body) == "tasks/get") {
            ++polls;
            json task{{"taskId", "t-1"}, {"status", polls < 2 ? "working" : "completed"}, {"pollIntervalMs", 1}};
            if (polls >= 2) task["result"] = text_result("finished");
            return Scripted{answer_to(body, task)};
        }
        return Scripted{answer_to(body, json{{"resultType", "task"}, {"taskId", "t-1"}, {"status", "working"}})};
    });
    auto served = serve(harness, call(14, "long"));
    CHECK(polls == 2);
    REQUIRE(served.reply.response.contains("result"));
    CHECK(served.reply.response["id"] == 14);
    CHECK(served.reply.response["result"]["content"][0]["text"] == "finished");
    CHECK_THAT(served.log.note, Catch::Contains("driven to its end"));
}

TEST_CASE("a second request under an id still under way is refused; the first is answered") {
    RelayHarness harness;
    serve_tools(harness, [](const std::string& body) { return Scripted{answer_to(body, text_result("first"))}; });
    auto session = RelayHarness::session();
    relay::RequestRelay relay(harness.context);
    const relay::Caller caller;
    RecordingReply first_reply, second_reply;
    relay::RequestLog first_log, second_log;
    const auto first = call(15, "echo");
    int finished = 0;
    auto serve_one = [&](RecordingReply& reply, relay::RequestLog& log) -> boost::asio::awaitable<void> {
        co_await relay.serve(first, session, caller, reply, log);
        ++finished;
    };
    boost::asio::co_spawn(harness.io, serve_one(first_reply, first_log), boost::asio::detached);
    boost::asio::co_spawn(harness.io, serve_one(second_reply, second_log), boost::asio::detached);
    while (finished < 2 && harness.io.run_one() > 0) {
    }
    CHECK(first_reply.response["result"]["content"][0]["text"] == "first");
    CHECK_THAT(second_reply.response["error"]["message"].get<std::string>(), Catch::Contains("already in use"));
}
