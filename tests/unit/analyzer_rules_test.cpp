// Each analyzer rule on hand-built sessions: the traffic shape it exists to
// catch yields its finding, and a stateless deployment yields none of any
// rule's. The readers and the model are tested end to end; this is the
// rules' own contract, with nothing parsed.
#include <catch2/catch.hpp>

#include <algorithm>
#include <functional>

#include "mcpshim/analyzer/rules.hpp"

using namespace mcpshim;
using namespace mcpshim::analyzer;

namespace {

// A session's calls written as the model would have kept them.
class SessionBuilder {
public:
    explicit SessionBuilder(std::string id) { session_.id = std::move(id); }

    SessionBuilder& tool(const std::string& name, json arguments, const std::string& result_text,
                         bool failed = false, std::vector<ProducedValue> produced = {}) {
        Call call = base(std::string("tools/call"));
        call.name = name;
        call.arguments = std::move(arguments);
        call.failed = failed;
        (failed ? call.error_text : call.result_text) = result_text;
        call.result_digest = std::hash<std::string>{}(result_text);
        call.produced = std::move(produced);
        session_.calls.push_back(std::move(call));
        return *this;
    }
    SessionBuilder& list(const std::string& method, std::set<std::string> names) {
        Call call = base(method);
        call.listed_names = std::move(names);
        session_.calls.push_back(std::move(call));
        return *this;
    }
    SessionBuilder& server_request(const std::string& method) {
        session_.server_requests.push_back(ServerRequest{next_location(), method});
        return *this;
    }
    SessionBuilder& feature(const std::string& what) {
        session_.features.push_back(SessionFeature{next_location(), what, true});
        return *this;
    }
    Session build() const { return session_; }

private:
    Location next_location() { return Location{"traffic.jsonl", ++line_, -1}; }
    Call base(std::string method) {
        Call call;
        call.where = next_location();
        call.answer_where = next_location();
        call.method = std::move(method);
        call.answered = true;
        call.principal = "alice";
        return call;
    }
    Session session_;
    std::uint64_t line_ = 0;
};

const Rule& rule(const std::string& id) {
    for (const auto& candidate : rule_catalogue())
        if (candidate->info().id == id) return *candidate;
    FAIL("no rule " << id);
    throw std::logic_error("unreachable");
}

std::vector<Finding> run(const Rule& rule, const Server& server, const std::vector<Session>& sessions) {
    auto state = rule.start();
    for (const auto& session : sessions) rule.session(server, session, *state);
    std::vector<Finding> out;
    rule.finish(server, *state, out);
    return out;
}

std::vector<Finding> run(const std::string& id, const std::vector<Session>& sessions, Server server = {}) {
    server.key = "http://127.0.0.1:9/mcp";
    return run(rule(id), server, sessions);
}

bool names_tool(const Finding& finding, const std::string& tool) {
    return std::find(finding.tools.begin(), finding.tools.end(), tool) != finding.tools.end();
}

}  // namespace

TEST_CASE("session-opener: a tool that fails until another ran, taking no handle from it") {
    auto session = SessionBuilder("s1")
                       .tool("read_page", json::object(), "no browser open", true)
                       .tool("open_browser", json::object(), "opened")
                       .tool("read_page", json::object(), "<html>")
                       .build();
    const auto findings = run("session-opener", {session});
    REQUIRE(findings.size() == 1);
    CHECK(names_tool(findings[0], "open_browser"));
    CHECK(names_tool(findings[0], "read_page"));
    CHECK(findings[0].confidence == "medium");  // seen once
    CHECK(findings[0].evidence.size() == 3);

    // The same, once the opener hands over a handle the dependent takes: nothing.
    auto handed = SessionBuilder("s2")
                      .tool("read_page", json::object(), "no browser open", true)
                      .tool("open_browser", json::object(), R"({"browser_id":"b-7f3a91c2e0d4"})", false,
                            {{"browser_id", "\"b-7f3a91c2e0d4\""}})
                      .tool("read_page", json{{"browser_id", "b-7f3a91c2e0d4"}}, "<html>")
                      .build();
    CHECK(run("session-opener", {handed}).empty());
}

TEST_CASE("session-local-handle: small ids handed out and taken back, the same ones in two sessions") {
    std::vector<Session> sessions;
    for (const char* id : {"s1", "s2"})
        sessions.push_back(SessionBuilder(id)
                               .tool("create_cart", json::object(), R"({"cart_id":1})", false, {{"cart_id", "1"}})
                               .tool("add_item", json{{"cart_id", 1}, {"item", "apple"}}, "added")
                               .build());
    const auto findings = run("session-local-handle", sessions);
    REQUIRE(findings.size() == 1);
    CHECK(names_tool(findings[0], "create_cart"));
    CHECK(names_tool(findings[0], "add_item"));
    CHECK(findings[0].confidence == "high");  // the same value in both sessions
    CHECK(findings[0].argument_keys == std::vector<std::string>{"cart_id"});
}

TEST_CASE("implicit-current-state: the same read answers differently after a setter that names nothing") {
    auto session = SessionBuilder("s1")
                       .tool("get_directory", json::object(), "/home")
                       .tool("change_directory", json{{"path", "/tmp"}}, "ok")
                       .tool("get_directory", json::object(), "/tmp")
                       .build();
    const auto findings = run("implicit-current-state", {session});
    REQUIRE(findings.size() == 1);
    CHECK(names_tool(findings[0], "change_directory"));

    auto steady = SessionBuilder("s2")
                      .tool("get_directory", json::object(), "/home")
                      .tool("change_directory", json{{"path", "/tmp"}}, "ok")
                      .tool("get_directory", json::object(), "/home")
                      .build();
    CHECK(run("implicit-current-state", {steady}).empty());
}

TEST_CASE("session-accumulator: a reader returns what several earlier calls added, naming no container") {
    auto session = SessionBuilder("s1")
                       .tool("add_to_cart", json{{"item", "apple"}}, "added")
                       .tool("add_to_cart", json{{"item", "pear"}}, "added")
                       .tool("view_cart", json::object(), "apple, pear")
                       .build();
    const auto findings = run("session-accumulator", {session});
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].tools == std::vector<std::string>{"add_to_cart", "view_cart"});
    CHECK(findings[0].argument_keys == std::vector<std::string>{"item"});

    // A reader that takes what it looks for is a search, not an accumulator.
    auto search = SessionBuilder("s2")
                      .tool("add_to_cart", json{{"item", "apple"}}, "added")
                      .tool("add_to_cart", json{{"item", "pear"}}, "added")
                      .tool("find", json{{"query", "fruit"}}, "apple, pear")
                      .build();
    CHECK(run("session-accumulator", {search}).empty());
}

TEST_CASE("credentials-in-session: calls after a login carry no credential; two callers share a session") {
    auto session = SessionBuilder("s1")
                       .tool("get_balance", json::object(), "not logged in", true)
                       .tool("login", json{{"user", "alice"}, {"password", "x"}}, "welcome")
                       .tool("get_balance", json::object(), "42")
                       .build();
    const auto findings = run("credentials-in-session", {session});
    REQUIRE_FALSE(findings.empty());
    CHECK(names_tool(findings[0], "login"));
    CHECK(names_tool(findings[0], "get_balance"));
    CHECK(findings[0].confidence == "high");  // failed before the login, succeeded after

    auto shared = SessionBuilder("s2").tool("get_balance", json::object(), "42").build();
    shared.principals = {"alice", "bob"};
    const auto shared_findings = run("credentials-in-session", {shared});
    REQUIRE(shared_findings.size() == 1);
    CHECK(shared_findings[0].confidence == "high");
}

TEST_CASE("session-dependent-lists: tools/list changes within a session after a call") {
    auto session = SessionBuilder("s1")
                       .list("tools/list", {"login"})
                       .tool("login", json{{"user", "alice"}}, "welcome")
                       .list("tools/list", {"login", "transfer"})
                       .build();
    const auto findings = run("session-dependent-lists", {session});
    REQUIRE(findings.size() == 1);
    CHECK(names_tool(findings[0], "login"));
    CHECK_THAT(findings[0].message, Catch::Contains("tools/list changes within a session"));

    auto steady = SessionBuilder("s2").list("tools/list", {"a"}).tool("a", json::object(), "x").list("tools/list", {"a"}).build();
    CHECK(run("session-dependent-lists", {steady}).empty());
}

TEST_CASE("server-to-client-requests: one finding per method, naming the tool whose call was open") {
    auto session = SessionBuilder("s1")
                       .tool("book_trip", json::object(), "booked")
                       .server_request("elicitation/create")
                       .server_request("elicitation/create")
                       .build();
    const auto findings = run("server-to-client-requests", {session});
    REQUIRE(findings.size() == 1);
    CHECK(names_tool(findings[0], "book_trip"));
    CHECK(findings[0].evidence.size() == 2);
}

TEST_CASE("removed-session-features: each removed feature once, with its replacement") {
    auto session = SessionBuilder("s1").feature("resources/subscribe").feature("logging/setLevel").build();
    const auto findings = run("removed-session-features", {session});
    REQUIRE(findings.size() == 2);
    for (const auto& finding : findings) CHECK_FALSE(finding.change.empty());
}

TEST_CASE("session-required: sessionless requests refused by the server") {
    Server server;
    server.sessionless.push_back(SessionlessRequest{Location{"traffic.jsonl", 1, -1}, "tools/list", 400,
                                                    "Bad Request: No valid session ID provided", true});
    const auto findings = run("session-required", {}, server);
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].confidence == "high");  // a known SDK refusal text
    CHECK(run("session-required", {}).empty());
}

TEST_CASE("a stateless deployment: handles passed explicitly, steady lists, nothing any rule reports") {
    std::vector<Session> sessions;
    for (const char* id : {"s1", "s2"})
        sessions.push_back(SessionBuilder(id)
                               .list("tools/list", {"open_browser", "read_page"})
                               .tool("open_browser", json::object(), R"({"browser_id":"b-4c1d8e2f9a07"})", false,
                                     {{"browser_id", std::string("\"b-4c1d8e2f9a07") + id + "\""}})
                               .tool("read_page", json{{"browser_id", std::string("b-4c1d8e2f9a07") + id}}, "<html>")
                               .list("tools/list", {"open_browser", "read_page"})
                               .build());
    Server server;
    server.key = "http://127.0.0.1:9/mcp";
    for (const auto& candidate : rule_catalogue()) {
        INFO(candidate->info().id);
        CHECK(run(*candidate, server, sessions).empty());
    }
}
