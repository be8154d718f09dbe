#include <catch2/catch.hpp>

#include "session/opened_tokens.hpp"
#include "session/session_store.hpp"
#include "session/session_token.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

using namespace mcpshim;
using namespace mcpshim::session;

namespace {

SessionClaims sample_claims() {
    SessionClaims claims;
    claims.protocol_version = "2025-06-18";
    claims.client_info = json{{"name", "client"}, {"version", "1.0"}};
    claims.client_capabilities = json{{"sampling", json::object()}};
    claims.issued_at = 1000;
    claims.expires_at = 2000;
    claims.principal = principal_digest("Bearer abc");
    claims.session_id = "0123456789abcdef";
    return claims;
}

const std::string key_a = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
const std::string key_b = "ff0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

}  // namespace

TEST_CASE("a sealed token opens to the same claims, in visible ASCII") {
    const auto ring = SessionKeyring::from_text(key_a);
    const auto token = ring.seal(sample_claims());
    for (char c : token) CHECK((c >= 0x21 && c <= 0x7E));
    auto opened = ring.open(token, 1500);
    REQUIRE(std::holds_alternative<SessionClaims>(opened));
    const auto& claims = std::get<SessionClaims>(opened);
    CHECK(claims.protocol_version == "2025-06-18");
    CHECK(claims.client_info["name"] == "client");
    CHECK(claims.client_capabilities.contains("sampling"));
    CHECK(claims.principal == principal_digest("Bearer abc"));
    CHECK(claims.session_id == "0123456789abcdef");
    CHECK(ring.seal(sample_claims()) != token);  // fresh nonce every time
}

TEST_CASE("forged, altered, foreign and expired tokens are refused") {
    const auto ring = SessionKeyring::from_text(key_a);
    const auto token = ring.seal(sample_claims());
    CHECK(std::get<OpenError>(ring.open("not-a-token", 1500)) == OpenError::malformed);
    CHECK(std::get<OpenError>(ring.open(token, 2000)) == OpenError::expired);
    std::string altered = token;
    altered[altered.size() - 5] = altered[altered.size() - 5] == 'A' ? 'B' : 'A';
    CHECK(std::get<OpenError>(ring.open(altered, 1500)) == OpenError::tampered);
    const auto other = SessionKeyring::from_text(key_b);
    CHECK(std::get<OpenError>(other.open(token, 1500)) == OpenError::unknown_key);
    // Same key id but another key: authentication fails.
    std::string relabelled = other.seal(sample_claims());
    relabelled.replace(6, 8, ring.sealing_key_id());
    CHECK(std::get<OpenError>(ring.open(relabelled, 1500)) == OpenError::tampered);
}

TEST_CASE("a rotated-in key seals while the old key still opens") {
    const auto old_ring = SessionKeyring::from_text(key_a);
    const auto token = old_ring.seal(sample_claims());
    const auto rotated = SessionKeyring::from_text(key_b + "\n" + key_a);
    CHECK(std::holds_alternative<SessionClaims>(rotated.open(token, 1500)));
    CHECK(rotated.sealing_key_id() != old_ring.sealing_key_id());
}

TEST_CASE("bad key text is refused with how to make a key") {
    CHECK_THROWS_WITH(SessionKeyring::from_text("too-short"), Catch::Contains("openssl rand -hex 32"));
    CHECK_THROWS(SessionKeyring::from_text(""));
}

namespace {
// Runs one store call to completion (the memory store never suspends).
template <typename T>
T run(boost::asio::awaitable<T> task) {
    boost::asio::io_context io;
    auto future = boost::asio::co_spawn(io, std::move(task), boost::asio::use_future);
    io.run();
    return future.get();
}
}  // namespace

namespace {
EntryOwner owner(std::string id, std::int64_t until, std::string principal = "p1") {
    return EntryOwner{std::move(id), std::move(principal), until};
}
}  // namespace

TEST_CASE("the memory store ends sessions and keeps levels, within its bound") {
    MemorySessionStore store(StoreLimits{2, 2, 2}, ReplayLimits{});
    const auto far = unix_now() + 3600;
    CHECK(run(store.set_log_level(owner("a", far), "debug")) == StoreRefusal::none);
    run(store.end_session(owner("b", far)));
    CHECK(run(store.set_log_level(owner("c", far), "info")) == StoreRefusal::store_full);  // full, nothing expired
    CHECK(run(store.load("a")).log_level == std::optional<std::string>("debug"));
    CHECK(run(store.load("b")).ended);
    CHECK_FALSE(run(store.load("zzz")).ended);
    MemorySessionStore expiring(StoreLimits{1, 2, 2}, ReplayLimits{});
    run(expiring.end_session(owner("old", unix_now() - 1)));
    run(expiring.end_session(owner("new", far)));  // the expired entry made room
    CHECK(expiring.size() == 1);
    CHECK(run(expiring.load("new")).ended);
    CHECK(run(store.subscribe(owner("a", far), "test://1")) == StoreRefusal::none);
    CHECK(run(store.subscribe(owner("a", far), "test://1")) == StoreRefusal::none);  // twice is once
    CHECK(run(store.subscribe(owner("a", far), "test://2")) == StoreRefusal::none);
    CHECK(run(store.subscribe(owner("a", far), "test://3")) == StoreRefusal::subscriptions);
    run(store.unsubscribe("a", "test://1"));
    CHECK(run(store.load("a")).subscriptions == std::vector<std::string>{"test://2"});
}

TEST_CASE("a revocation always finds room, taking a log level before another revocation") {
    MemorySessionStore store(StoreLimits{2, 2, 2, 10, 1024}, ReplayLimits{});
    const auto far = unix_now() + 3600;
    CHECK(run(store.set_log_level(owner("attacker-1", far, "anon"), "debug")) == StoreRefusal::none);
    run(store.end_session(owner("victim-old", far, "victim")));
    run(store.end_session(owner("victim", far, "victim")));  // full: the log level gives way
    CHECK(run(store.load("victim")).ended);
    CHECK(run(store.load("victim-old")).ended);
    CHECK_FALSE(run(store.load("attacker-1")).log_level.has_value());
}

TEST_CASE("one principal cannot fill the store for the others") {
    MemorySessionStore store(StoreLimits{100, 2, 2, 3, 1024}, ReplayLimits{});
    const auto far = unix_now() + 3600;
    for (int i = 0; i < 3; ++i)
        CHECK(run(store.set_log_level(owner("anon-" + std::to_string(i), far, "anonymous"), "debug")) ==
              StoreRefusal::none);
    CHECK(run(store.set_log_level(owner("anon-3", far, "anonymous"), "debug")) == StoreRefusal::principal_full);
    CHECK(run(store.set_log_level(owner("alice-1", far, "alice"), "info")) == StoreRefusal::none);
    // Its own revocation takes the place of its own oldest log level.
    run(store.end_session(owner("anon-9", far, "anonymous")));
    CHECK(run(store.load("anon-9")).ended);
    CHECK_FALSE(run(store.load("anon-0")).log_level.has_value());
    CHECK(run(store.load("alice-1")).log_level == std::optional<std::string>("info"));
    CHECK(store.size() == 4);
}

TEST_CASE("subscriptions and held results are bounded in bytes per session") {
    MemorySessionStore store(StoreLimits{100, 100, 100, 100, 64}, ReplayLimits{});
    const auto far = unix_now() + 3600;
    CHECK(run(store.subscribe(owner("s", far), std::string(40, 'a'))) == StoreRefusal::none);
    CHECK(run(store.subscribe(owner("s", far), std::string(40, 'b'))) == StoreRefusal::session_bytes);
    run(store.unsubscribe("s", std::string(40, 'a')));
    CHECK(run(store.subscribe(owner("s", far), std::string(40, 'b'))) == StoreRefusal::none);
    TaskRecord big;
    big.task_id = "t";
    big.held_task = json::object();
    big.held_result = std::string(100, 'x');
    CHECK(run(store.remember_task(owner("s", far), big)) == StoreRefusal::session_bytes);
    TaskRecord small = big;
    small.held_result = "ok";
    CHECK(run(store.remember_task(owner("s", far), small)) == StoreRefusal::none);
}

TEST_CASE("the memory store keeps a session's tasks, newest last, within its bound") {
    MemorySessionStore store(StoreLimits{4, 2, 2}, ReplayLimits{});
    const auto far = unix_now() + 3600;
    auto record = [](std::string id, std::int64_t forget_at = 0) {
        TaskRecord task;
        task.task_id = std::move(id);
        task.instance = "http://127.0.0.1:1/mcp";
        task.forget_at = forget_at;
        return task;
    };
    CHECK(run(store.remember_task(owner("s", far), record("t1", unix_now() + 7200))) == StoreRefusal::none);
    CHECK(run(store.remember_task(owner("s", far), record("t2", unix_now() - 1))) == StoreRefusal::none);  // past its ttl
    CHECK(run(store.remember_task(owner("s", far), record("t3"))) == StoreRefusal::none);  // t2 goes first
    auto listed = run(store.list_tasks("s"));
    REQUIRE(listed.size() == 2);
    CHECK(listed[0].task_id == "t1");
    CHECK(listed[1].task_id == "t3");
    CHECK(run(store.remember_task(owner("s", far), record("t4"))) == StoreRefusal::none);  // none expired: the oldest goes
    CHECK_FALSE(run(store.find_task("s", "t1")).has_value());
    CHECK_FALSE(run(store.find_task("other", "t3")).has_value());  // tasks belong to their session
    run(store.mark_task_cancelled("s", "t3", json{{"status", "cancelled"}}));
    CHECK(run(store.find_task("s", "t3"))->cancelled_view["status"] == "cancelled");
    run(store.forget_task("s", "t3"));
    CHECK(run(store.list_tasks("s")).size() == 1);
}

TEST_CASE("opened session ids are kept within their bound, and expire") {
    OpenedTokens opened(2);
    SessionClaims claims;
    claims.session_id = "s1";
    claims.expires_at = 1000;
    opened.remember("token-1", claims);
    CHECK(opened.find("token-1", 999)->session_id == "s1");
    CHECK_FALSE(opened.find("token-1", 1000).has_value());  // expired ids are not served from memory
    CHECK_FALSE(opened.find("token-x", 1).has_value());
    claims.session_id = "s2";
    opened.remember("token-2", claims);
    claims.session_id = "s3";
    opened.remember("token-3", claims);  // over the bound: the oldest goes
    CHECK_FALSE(opened.find("token-1", 1).has_value());
    CHECK(opened.find("token-3", 1)->session_id == "s3");
}

TEST_CASE("the replay buffer is bounded in bytes per stream and in all") {
    ReplayLimits limits;
    limits.max_bytes_per_stream = 100;
    limits.max_total_bytes = 250;
    LocalReplayBuffer replay(limits);
    replay.begin("a", "s", {});
    for (std::uint64_t seq = 1; seq <= 5; ++seq) replay.append("a", seq, std::string(40, 'x'));
    auto kept = replay.read("a", "s", 0);
    REQUIRE(kept.found);
    CHECK(kept.events.size() == 2);  // 80 bytes: a third would pass 100
    CHECK(kept.events.back().seq == 5);
    replay.append("a", 6, std::string(150, 'y'));  // alone over the stream bound: the newest stays
    CHECK(replay.read("a", "s", 0).events.size() == 1);
    replay.begin("b", "s", {});
    replay.append("b", 1, std::string(90, 'z'));  // 240 in all: both kept
    CHECK(replay.read("a", "s", 0).found);
    replay.begin("c", "s", {});
    replay.append("c", 1, std::string(95, 'w'));  // 335: the stream touched least recently goes
    CHECK_FALSE(replay.read("a", "s", 0).found);
    CHECK(replay.read("b", "s", 0).events.size() == 1);
    CHECK(replay.read("c", "s", 0).events.size() == 1);
}
