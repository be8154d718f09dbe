// The Redis client under the shared session store: RESP in and out (pure),
// the store URL, and one pipelined connection against a real redis-server —
// replies matched to their commands under concurrency, an error reply, a store
// that is down (fails at once, then again only after --redis-retry-ms), one
// that stops answering (--redis-timeout-ms), one that comes back, AUTH, and a
// peer that does not speak RESP.
#include <catch2/catch.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <functional>
#include <set>

#include "redis/redis_connection.hpp"
#include "redis/redis_endpoint.hpp"
#include "redis/redis_subscriber.hpp"
#include "redis/resp.hpp"
#include "redis_server.hpp"
#include "run_coroutine.hpp"

using namespace mcpshim;
using namespace std::chrono_literals;
using redis::RedisFailure;
using redis::Reply;

namespace {

redis::RedisEndpoint endpoint(const std::string& url) {
    std::string error;
    auto parsed = redis::parse_redis_url(url, error);
    REQUIRE(parsed);
    return *parsed;
}

void run(boost::asio::io_context& io, std::function<boost::asio::awaitable<void>()> body) {
    REQUIRE(testing::run_coroutine(io, std::move(body)));
}

boost::asio::awaitable<void> sleep_for(std::chrono::milliseconds duration) {
    boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor, duration);
    co_await timer.async_wait(boost::asio::use_awaitable);
}

constexpr int calls_each = 40;

// One of many callers sharing a connection: each INCR, SET and GET must get its own reply.
boost::asio::awaitable<void> pipelined_caller(redis::RedisConnection& connection, int caller, std::set<long long>& seen,
                                              int& finished) {
    for (int i = 0; i < calls_each; ++i) {
        auto incremented = co_await connection.command(redis::args("INCR", "counter"));
        CHECK(incremented.ok());
        seen.insert(incremented.reply.integer);
        const std::string key = "k" + std::to_string(caller) + "-" + std::to_string(i);
        CHECK((co_await connection.command(redis::args("SET", key, key + "-value"))).ok());
        auto got = co_await connection.command(redis::args("GET", key));
        CHECK(got.reply.text == key + "-value");
    }
    ++finished;
}

}  // namespace

TEST_CASE("RESP: a command's bytes, and replies read from bytes that arrive in pieces") {
    constexpr char expected[] = "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$3\r\na\0b\r\n";
    CHECK(redis::format_command(redis::args("SET", "k", std::string("a\0b", 3))) ==
          std::string(expected, sizeof expected - 1));
    redis::ReplyReader reader;
    const std::string stream = "+OK\r\n:42\r\n$-1\r\n-ERR wrong\r\n*2\r\n$1\r\na\r\n:7\r\n";
    std::vector<Reply> replies;
    for (char c : stream) {  // one byte at a time
        reader.feed(std::string_view(&c, 1));
        for (auto next = reader.next(); std::holds_alternative<Reply>(next); next = reader.next())
            replies.push_back(std::get<Reply>(next));
    }
    REQUIRE(replies.size() == 5);
    CHECK(replies[0].type == Reply::Type::status);
    CHECK(replies[0].text == "OK");
    CHECK(replies[1].integer == 42);
    CHECK(replies[2].is_nil());
    CHECK(replies[3].is_error());
    CHECK(replies[3].text == "ERR wrong");
    REQUIRE(replies[4].elements.size() == 2);
    CHECK(replies[4].elements[0].text == "a");
    CHECK(replies[4].elements[1].integer == 7);

    redis::ReplyReader garbage;
    garbage.feed("HTTP/1.1 400 Bad Request\r\n");
    CHECK(std::holds_alternative<std::string>(garbage.next()));
}

TEST_CASE("the store URL: host, port, password, database; and what is wrong with a bad one") {
    auto full = endpoint("redis://:s3cret@cache.internal:6380/2");
    CHECK(full.host == "cache.internal");
    CHECK(full.port == 6380);
    CHECK(full.password == "s3cret");
    CHECK(full.db == 2);
    auto plain = endpoint("redis://127.0.0.1");
    CHECK(plain.port == 6379);
    CHECK(plain.db == 0);
    CHECK(plain.password.empty());
    CHECK(endpoint("redis://[::1]:7000").host == "::1");
    CHECK(endpoint("redis://user:pw@h:1/0").password == "pw");
    for (const char* bad : {"http://h:1", "redis://", "redis://h:0", "redis://h:99999", "redis://h:1/x", "redis://h:port"}) {
        std::string error;
        INFO(bad);
        CHECK_FALSE(redis::parse_redis_url(bad, error));
        CHECK_FALSE(error.empty());
    }
}

TEST_CASE("a pipelined connection matches every reply to its command, from many coroutines at once") {
    testing::RedisServer server;
    boost::asio::io_context io;
    auto connection = redis::RedisConnection::create(io.get_executor(), endpoint(server.url()), {});
    std::set<long long> seen;
    int finished = 0;
    constexpr int callers = 50;
    for (int c = 0; c < callers; ++c)
        boost::asio::co_spawn(io, pipelined_caller(*connection, c, seen, finished), boost::asio::detached);
    while (finished < callers && io.run_one() > 0) {
    }
    CHECK(finished == callers);
    CHECK(seen.size() == std::size_t(callers * calls_each));  // every INCR got its own reply
    CHECK(*seen.rbegin() == callers * calls_each);
    CHECK(connection->connected());
}

TEST_CASE("an error reply fails the command with the store's words; the connection goes on") {
    testing::RedisServer server;
    boost::asio::io_context io;
    auto connection = redis::RedisConnection::create(io.get_executor(), endpoint(server.url()), {});
    run(io, [&]() -> boost::asio::awaitable<void> {
        co_await connection->command(redis::args("SET", "s", "text"));
        auto wrong = co_await connection->command(redis::args("INCR", "s"));
        CHECK_FALSE(wrong.ok());
        CHECK(wrong.failure == RedisFailure::none);
        CHECK_THAT(wrong.detail, Catch::Contains("refused") && Catch::Contains("not an integer"));
        CHECK((co_await connection->command(redis::args("PING"))).reply.text == "PONG");
    });
}

TEST_CASE("a store that is down fails at once, naming it; it is tried again after --redis-retry-ms and comes back") {
    testing::RedisServer server;
    server.stop();
    boost::asio::io_context io;
    redis::RedisSettings settings;
    settings.retry_after = 200ms;
    auto connection = redis::RedisConnection::create(io.get_executor(), endpoint(server.url()), settings);
    run(io, [&]() -> boost::asio::awaitable<void> {
        auto first = co_await connection->command(redis::args("PING"));
        CHECK(first.failure == RedisFailure::unavailable);
        CHECK_THAT(first.detail, Catch::Contains("redis://127.0.0.1:" + std::to_string(server.port())));
        const auto started = std::chrono::steady_clock::now();
        auto again = co_await connection->command(redis::args("PING"));  // within the retry wait: no attempt
        CHECK(again.failure == RedisFailure::unavailable);
        CHECK_THAT(again.detail, Catch::Contains("retrying"));
        CHECK(std::chrono::steady_clock::now() - started < 100ms);
        server.start();
        co_await sleep_for(250ms);
        auto back = co_await connection->command(redis::args("PING"));
        CHECK(back.reply.text == "PONG");
    });
}

TEST_CASE("a store that dies mid-run fails what waits, and serves again once restarted") {
    testing::RedisServer server;
    boost::asio::io_context io;
    redis::RedisSettings settings;
    settings.retry_after = 100ms;
    auto connection = redis::RedisConnection::create(io.get_executor(), endpoint(server.url()), settings);
    run(io, [&]() -> boost::asio::awaitable<void> {
        CHECK((co_await connection->command(redis::args("SET", "a", "1"))).ok());
        server.stop();
        auto lost = co_await connection->command(redis::args("GET", "a"));
        CHECK(lost.failure == RedisFailure::unavailable);
        server.start();  // empty: nothing was saved
        co_await sleep_for(150ms);
        auto back = co_await connection->command(redis::args("GET", "a"));
        CHECK(back.ok());
        CHECK(back.reply.is_nil());
    });
}

TEST_CASE("a store that stops answering fails the command after --redis-timeout-ms, then recovers") {
    testing::RedisServer server;
    boost::asio::io_context io;
    redis::RedisSettings settings;
    settings.command_timeout = 150ms;
    settings.retry_after = 50ms;
    auto connection = redis::RedisConnection::create(io.get_executor(), endpoint(server.url()), settings);
    run(io, [&]() -> boost::asio::awaitable<void> {
        CHECK((co_await connection->command(redis::args("PING"))).ok());
        server.pause();
        const auto started = std::chrono::steady_clock::now();
        auto stuck = co_await connection->command(redis::args("PING"));
        const auto waited = std::chrono::steady_clock::now() - started;
        CHECK(stuck.failure == RedisFailure::timeout);
        CHECK_THAT(stuck.detail, Catch::Contains("--redis-timeout-ms"));
        CHECK(waited >= 150ms);
        CHECK(waited < 1000ms);
        server.resume();
        co_await sleep_for(100ms);
        CHECK((co_await connection->command(redis::args("PING"))).reply.text == "PONG");
    });
}

TEST_CASE("AUTH from the URL's password; a wrong one is said") {
    testing::RedisServer server("pa55");
    boost::asio::io_context io;
    auto good = redis::RedisConnection::create(io.get_executor(), endpoint(server.url()), {});
    auto bad_endpoint = endpoint(server.url());
    bad_endpoint.password = "wrong";
    auto bad = redis::RedisConnection::create(io.get_executor(), bad_endpoint, {});
    run(io, [&]() -> boost::asio::awaitable<void> {
        CHECK((co_await good->command(redis::args("PING"))).reply.text == "PONG");
        auto refused = co_await bad->command(redis::args("PING"));
        CHECK(refused.failure == RedisFailure::unavailable);
        CHECK_THAT(refused.detail, Catch::Contains("handshake"));
    });
}

TEST_CASE("a peer that does not speak RESP is dropped, and the command fails instead of waiting") {
    boost::asio::io_context io;
    boost::asio::ip::tcp::acceptor acceptor(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
    boost::asio::co_spawn(
        io,
        [&]() -> boost::asio::awaitable<void> {
            auto socket = co_await acceptor.async_accept(boost::asio::use_awaitable);
            co_await boost::asio::async_write(socket, boost::asio::buffer(std::string("HTTP/1.1 400 Bad Request\r\n\r\n")),
                                              boost::asio::use_awaitable);
            co_await sleep_for(2000ms);
        },
        boost::asio::detached);
    auto connection = redis::RedisConnection::create(
        io.get_executor(), endpoint("redis://127.0.0.1:" + std::to_string(acceptor.local_endpoint().port())), {});
    run(io, [&]() -> boost::asio::awaitable<void> {
        auto result = co_await connection->command(redis::args("PING"));
        CHECK(result.failure == RedisFailure::unavailable);
        CHECK_FALSE(result.detail.empty());
    });
}

namespace {

// Waits (on the io_context) until `condition` holds, for at most `limit`.
boost::asio::awaitable<bool> eventually(std::function<bool()> condition, std::chrono::milliseconds limit = 5000ms) {
    for (auto waited = 0ms; waited < limit; waited += 20ms) {
        if (condition()) co_return true;
        co_await sleep_for(20ms);
    }
    co_return condition();
}

struct Heard {
    std::vector<std::pair<std::string, std::string>> messages;
    int lost = 0;
    int ready = 0;
    redis::SubscriberHandlers handlers() {
        return {[this](const std::string& channel, const std::string& payload) { messages.emplace_back(channel, payload); },
                [this] { ++lost; }, [this] { ++ready; }};
    }
};

}  // namespace

TEST_CASE("a subscriber hears its channels and patterns; after the store restarts it subscribes again") {
    testing::RedisServer server;
    boost::asio::io_context io;
    redis::RedisSettings settings;
    settings.retry_after = 100ms;
    Heard heard;
    auto subscriber = redis::RedisSubscriber::create(io.get_executor(), endpoint(server.url()), settings, heard.handlers());
    subscriber->subscribe("mcpshim:changed");
    subscriber->psubscribe("mcpshim:input:*");
    subscriber->start();
    auto publisher = redis::RedisConnection::create(io.get_executor(), endpoint(server.url()), settings);
    run(io, [&]() -> boost::asio::awaitable<void> {
        REQUIRE(co_await eventually([&] { return subscriber->ready(); }));
        CHECK(heard.ready == 1);
        co_await publisher->command(redis::args("PUBLISH", "mcpshim:changed", "session-1"));
        co_await publisher->command(redis::args("PUBLISH", "mcpshim:input:host-a", "answer"));
        co_await publisher->command(redis::args("PUBLISH", "elsewhere", "not for us"));
        REQUIRE(co_await eventually([&] { return heard.messages.size() >= 2; }));
        CHECK(heard.messages[0] == std::pair<std::string, std::string>{"mcpshim:changed", "session-1"});
        CHECK(heard.messages[1] == std::pair<std::string, std::string>{"mcpshim:input:host-a", "answer"});

        server.stop();
        REQUIRE(co_await eventually([&] { return heard.lost == 1; }));
        CHECK_FALSE(subscriber->ready());
        server.start();
        REQUIRE(co_await eventually([&] { return heard.ready == 2; }));
        // A subscription added while connected is sent at once.
        subscriber->subscribe("mcpshim:late");
        co_await sleep_for(100ms);
        co_await publisher->command(redis::args("PUBLISH", "mcpshim:changed", "session-2"));
        co_await publisher->command(redis::args("PUBLISH", "mcpshim:late", "also"));
        REQUIRE(co_await eventually([&] { return heard.messages.size() >= 4; }));
        CHECK(heard.messages[2].second == "session-2");
        CHECK(heard.messages[3].first == "mcpshim:late");
        CHECK(heard.messages.size() == 4);  // "elsewhere" was never heard
        subscriber->stop();
    });
}
