// The upstream pool against scripted sockets: which failures move a request
// to the next instance (only those where it never left), and when a
// connection may be reused (never with bytes left over).
#include <catch2/catch.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>

#include "scripted_upstream.hpp"
#include "upstream/upstream_pool.hpp"

using namespace mcpshim;
using mcpshim::testing::json_answer;
using mcpshim::testing::Scripted;
using mcpshim::testing::ScriptedUpstream;

namespace {

std::vector<upstream::UpstreamEndpoint> endpoints(std::initializer_list<std::string> urls) {
    std::vector<upstream::UpstreamEndpoint> out;
    for (const auto& url : urls) {
        std::string error;
        out.push_back(*upstream::parse_upstream_url(url, error));
    }
    return out;
}

rewrite::ModernRequest ping(int id) {
    return {json{{"jsonrpc", "2.0"}, {"id", id}, {"method", "ping"}}, {}};
}

// Sends `request` through `pool` on `io` and runs until it is answered.
struct Sent {
    upstream::UpstreamResult result;
    std::vector<json> messages;
};
Sent send(boost::asio::io_context& io, upstream::UpstreamPool& pool, rewrite::ModernRequest request,
          std::string pinned = {}) {
    Sent sent;
    bool done = false;
    boost::asio::co_spawn(
        io,
        [&]() -> boost::asio::awaitable<void> {
            sent.result = co_await pool.send(
                std::move(request), "",
                [&](json message) -> boost::asio::awaitable<bool> {
                    sent.messages.push_back(std::move(message));
                    co_return true;
                },
                pinned);
            done = true;
        },
        boost::asio::detached);
    while (!done) io.run_one();
    return sent;
}

// A port nothing listens on (it did a moment ago).
std::string dead_url(boost::asio::io_context& io) {
    boost::asio::ip::tcp::acceptor gone(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
    return "http://127.0.0.1:" + std::to_string(gone.local_endpoint().port()) + "/mcp";
}

struct Pool {
    boost::asio::io_context io;
    boost::asio::ssl::context tls{boost::asio::ssl::context::tls_client};
};

}  // namespace

TEST_CASE("an instance that cannot be reached passes the request to the next") {
    Pool p;
    ScriptedUpstream live(p.io);
    live.then({json_answer(R"({"jsonrpc":"2.0","id":1,"result":{}})")});
    upstream::UpstreamPool pool(p.io.get_executor(), endpoints({dead_url(p.io), live.url()}), {}, {}, p.tls);
    auto sent = send(p.io, pool, ping(1));
    CHECK(sent.result.failure == upstream::Failure::none);
    CHECK(sent.result.instance == live.url());
    REQUIRE(sent.messages.size() == 1);
    CHECK(sent.messages[0]["id"] == 1);
}

TEST_CASE("a request that left and then broke is not sent again") {
    Pool p;
    ScriptedUpstream breaks(p.io);
    ScriptedUpstream other(p.io);
    breaks.then({"", /*close=*/true});
    other.then({json_answer(R"({"jsonrpc":"2.0","id":1,"result":{}})")});
    upstream::UpstreamPool pool(p.io.get_executor(), endpoints({breaks.url(), other.url()}), {}, {}, p.tls);
    auto sent = send(p.io, pool, ping(1));
    CHECK(sent.result.failure == upstream::Failure::broken);
    CHECK(breaks.bodies.size() == 1);
    CHECK(other.bodies.empty());  // a tools/call is not idempotent: it may have run
}

TEST_CASE("a connection is reused, except with bytes left after the answer") {
    Pool p;
    ScriptedUpstream upstream(p.io);
    upstream.then({json_answer(R"({"jsonrpc":"2.0","id":1,"result":{}})")});
    upstream.then({json_answer(R"({"jsonrpc":"2.0","id":2,"result":{}})") + "SMUGGLED"});
    upstream.then({json_answer(R"({"jsonrpc":"2.0","id":3,"result":{}})")});
    upstream::UpstreamPool pool(p.io.get_executor(), endpoints({upstream.url()}), {}, {}, p.tls);
    CHECK(send(p.io, pool, ping(1)).result.failure == upstream::Failure::none);
    CHECK(send(p.io, pool, ping(2)).result.failure == upstream::Failure::none);
    CHECK(upstream.connections == 1);  // the second request reused the first connection
    auto third = send(p.io, pool, ping(3));
    CHECK(third.result.failure == upstream::Failure::none);
    REQUIRE(third.messages.size() == 1);
    CHECK(third.messages[0]["id"] == 3);
    CHECK(upstream.connections == 2);  // the connection with leftover bytes was dropped
}

TEST_CASE("a JSON answer that is not this request's response is refused") {
    Pool p;
    ScriptedUpstream upstream(p.io);
    upstream.then({json_answer(R"({"jsonrpc":"2.0","id":99,"result":{}})")});
    upstream.then({json_answer(R"({"jsonrpc":"2.0","id":2,"error":"boom"})")});
    upstream::UpstreamPool pool(p.io.get_executor(), endpoints({upstream.url()}), {}, {}, p.tls);
    auto other_id = send(p.io, pool, ping(1));
    CHECK(other_id.result.failure == upstream::Failure::bad_response);
    CHECK(other_id.messages.empty());
    auto wrong_type = send(p.io, pool, ping(2));
    CHECK(wrong_type.result.failure == upstream::Failure::bad_response);
    CHECK_THAT(wrong_type.result.detail, Catch::Contains("\"error\" needs an integer"));
}

TEST_CASE("a pinned request goes to its instance only") {
    Pool p;
    ScriptedUpstream first(p.io);
    ScriptedUpstream second(p.io);
    second.then({json_answer(R"({"jsonrpc":"2.0","id":1,"result":{}})")});
    upstream::UpstreamPool pool(p.io.get_executor(), endpoints({first.url(), second.url()}), {}, {}, p.tls);
    auto sent = send(p.io, pool, ping(1), second.url());
    CHECK(sent.result.instance == second.url());
    CHECK(first.bodies.empty());
    auto gone = send(p.io, pool, ping(2), "http://127.0.0.1:1/mcp");
    CHECK(gone.result.failure == upstream::Failure::unreachable);
    CHECK_THAT(gone.result.detail, Catch::Contains("no longer among the configured upstreams"));
}
