// The session store's contract, written once against the interface: every
// store implementation is added to the type list and must pass all of it.
#include <catch2/catch.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "redis_server.hpp"
#include "session/redis_session_store.hpp"
#include "session/session_store.hpp"
#include "store_harness.hpp"

using namespace mcpshim;
using namespace mcpshim::session;
using mcpshim::testing::run;

namespace {

struct MemoryStore {
    static std::unique_ptr<SessionStore> make(StoreLimits limits) {
        testing::store_loop() = nullptr;
        return std::make_unique<MemorySessionStore>(limits, ReplayLimits{});
    }
};

// One redis-server for the whole run; each store has keys of its own.
testing::RedisServer& shared_redis() {
    static testing::RedisServer server;
    return server;
}

boost::asio::io_context& redis_loop() {
    static boost::asio::io_context loop;
    return loop;
}

SharedStoreSettings fleet_settings(const std::string& prefix,
                                   std::chrono::milliseconds heartbeat = std::chrono::milliseconds(1000)) {
    SharedStoreSettings settings;
    settings.heartbeat = heartbeat;
    settings.url = shared_redis().url();
    settings.key_prefix = prefix;
    return settings;
}

std::string fresh_prefix() {
    static int stores = 0;
    return "test" + std::to_string(++stores) + ":";
}

// One instance of a fleet: its process part and one serving thread's store.
struct FleetInstance {
    FleetInstance(StoreLimits limits, const std::string& prefix,
                  std::chrono::milliseconds heartbeat = std::chrono::milliseconds(1000))
        : fleet(std::make_unique<RedisFleet>(fleet_settings(prefix, heartbeat), limits, ReplayLimits{})),
          store(std::make_unique<RedisSessionStore>(redis_loop().get_executor(), *fleet)) {}
    SessionStore* operator->() const { return store.get(); }
    std::unique_ptr<RedisFleet> fleet;
    std::unique_ptr<RedisSessionStore> store;
};

struct RedisStore {
    static FleetInstance make(StoreLimits limits) {
        testing::store_loop() = &redis_loop();
        return FleetInstance(limits, fresh_prefix());
    }
};

constexpr std::int64_t far_future = 4'000'000'000;

EntryOwner owner(const std::string& session, const std::string& principal = "p", std::int64_t until = far_future) {
    return EntryOwner{session, principal, until};
}

TaskRecord task(const std::string& id) {
    TaskRecord record;
    record.task_id = id;
    record.instance = "http://a/mcp";
    return record;
}

}  // namespace

TEMPLATE_TEST_CASE("a session's state: unknown, then what was set", "[store]", MemoryStore, RedisStore) {
    auto store = TestType::make({});
    auto fresh = run(store->load("s1"));
    CHECK_FALSE(fresh.ended);
    CHECK_FALSE(fresh.log_level);
    CHECK(fresh.subscriptions.empty());

    CHECK(run(store->set_log_level(owner("s1"), "debug")) == StoreRefusal::none);
    CHECK(run(store->subscribe(owner("s1"), "file:///a")) == StoreRefusal::none);
    CHECK(run(store->subscribe(owner("s1"), "file:///b")) == StoreRefusal::none);
    CHECK(run(store->subscribe(owner("s1"), "file:///a")) == StoreRefusal::none);  // once is enough
    auto state = run(store->load("s1"));
    CHECK(state.log_level == "debug");
    CHECK(state.subscriptions == std::vector<std::string>{"file:///a", "file:///b"});
    run(store->unsubscribe("s1", "file:///a"));
    CHECK(run(store->load("s1")).subscriptions == std::vector<std::string>{"file:///b"});
    CHECK_FALSE(run(store->load("s2")).log_level);  // sessions do not share state
}

TEMPLATE_TEST_CASE("each bound is refused with its own reason", "[store]", MemoryStore, RedisStore) {
    StoreLimits limits;
    limits.max_subscriptions = 2;
    limits.max_session_bytes = 64;
    limits.max_entries_per_principal = 2;
    limits.max_entries = 3;
    auto store = TestType::make(limits);
    CHECK(run(store->subscribe(owner("s1"), "u1")) == StoreRefusal::none);
    CHECK(run(store->subscribe(owner("s1"), "u2")) == StoreRefusal::none);
    CHECK(run(store->subscribe(owner("s1"), "u3")) == StoreRefusal::subscriptions);
    CHECK(run(store->subscribe(owner("s2"), std::string(100, 'x'))) == StoreRefusal::session_bytes);
    CHECK(run(store->set_log_level(owner("s3"), "info")) == StoreRefusal::principal_full);  // p holds s1, s2
    CHECK(run(store->set_log_level(owner("s4", "q"), "info")) == StoreRefusal::none);
    CHECK(run(store->set_log_level(owner("s5", "r"), "info")) == StoreRefusal::store_full);
    for (auto refusal : {StoreRefusal::store_full, StoreRefusal::principal_full, StoreRefusal::subscriptions,
                         StoreRefusal::session_bytes})
        CHECK_THAT(describe(refusal), Catch::Contains("--max-"));
}

TEMPLATE_TEST_CASE("ending a session always succeeds, even when the store is full", "[store]", MemoryStore, RedisStore) {
    StoreLimits limits;
    limits.max_entries = 2;
    limits.max_entries_per_principal = 2;
    auto store = TestType::make(limits);
    CHECK(run(store->set_log_level(owner("a1", "a"), "info")) == StoreRefusal::none);
    CHECK(run(store->set_log_level(owner("b1", "b"), "info")) == StoreRefusal::none);
    run(store->end_session(owner("c1", "c")));  // a third principal, the store full of conveniences
    CHECK(run(store->load("c1")).ended);
    run(store->end_session(owner("a1", "a")));
    CHECK(run(store->load("a1")).ended);
}

TEMPLATE_TEST_CASE("expired entries make room", "[store]", MemoryStore, RedisStore) {
    StoreLimits limits;
    limits.max_entries = 1;
    auto store = TestType::make(limits);
    CHECK(run(store->set_log_level(owner("old", "p", 1), "info")) == StoreRefusal::none);  // expired in 1970
    CHECK(run(store->set_log_level(owner("new", "q"), "info")) == StoreRefusal::none);
    CHECK(run(store->load("new")).log_level == "info");
}

TEMPLATE_TEST_CASE("tasks: kept in order, found, cancelled, forgotten, the oldest dropped past --max-tasks",
                   "[store]", MemoryStore, RedisStore) {
    StoreLimits limits;
    limits.max_tasks = 2;
    auto store = TestType::make(limits);
    CHECK(run(store->remember_task(owner("s"), task("t1"))) == StoreRefusal::none);
    CHECK(run(store->remember_task(owner("s"), task("t2"))) == StoreRefusal::none);
    auto found = run(store->find_task("s", "t1"));
    REQUIRE(found);
    CHECK(found->instance == "http://a/mcp");
    CHECK_FALSE(run(store->find_task("other", "t1")));  // another session's task is not found
    run(store->mark_task_cancelled("s", "t2", json{{"status", "cancelled"}}));
    CHECK(run(store->find_task("s", "t2"))->cancelled_view["status"] == "cancelled");
    CHECK(run(store->remember_task(owner("s"), task("t3"))) == StoreRefusal::none);
    auto listed = run(store->list_tasks("s"));
    REQUIRE(listed.size() == 2);
    CHECK(listed[0].task_id == "t2");
    CHECK(listed[1].task_id == "t3");
    run(store->forget_task("s", "t2"));
    CHECK(run(store->list_tasks("s")).size() == 1);
}

TEMPLATE_TEST_CASE("a request id is under way once per session", "[store]", MemoryStore, RedisStore) {
    auto store = TestType::make({});
    boost::asio::io_context io;
    auto first = std::make_shared<RequestCancel>();
    auto second = std::make_shared<RequestCancel>();
    auto& in_flight = store->in_flight();
    CHECK(in_flight.add("s", "7", io.get_executor(), first));
    CHECK_FALSE(in_flight.add("s", "7", io.get_executor(), second));
    CHECK(in_flight.add("other", "7", io.get_executor(), second));  // ids are per session
    in_flight.remove("s", "7", second);                             // not its entry: nothing removed
    CHECK(in_flight.cancel("s", "7"));
    io.run();
    CHECK(first->cancelled);
    CHECK_FALSE(second->cancelled);
    in_flight.remove("s", "7", first);
    CHECK_FALSE(in_flight.cancel("s", "7"));
}

TEMPLATE_TEST_CASE("the replay buffer gives a stream's events after a sequence number, to its session only",
                   "[store]", MemoryStore, RedisStore) {
    auto store = TestType::make({});
    auto& replay = store->replay();
    replay.begin("stream", "s", {});
    replay.append("stream", 1, "one");
    replay.append("stream", 2, "two");
    auto partial = run(replay.after("stream", "s", 1));
    CHECK(partial.found);
    CHECK_FALSE(partial.complete);
    REQUIRE(partial.events.size() == 1);
    CHECK(partial.events[0].data == "two");
    replay.complete("stream");
    CHECK(run(replay.after("stream", "s", 0)).complete);
    CHECK(run(replay.after("stream", "s", 0)).events.size() == 2);
    CHECK_FALSE(run(replay.after("stream", "intruder", 0)).found);
    CHECK_FALSE(run(replay.after("unknown", "s", 0)).found);
}

// ---- what only a store shared by several instances has ----

namespace {

// Runs the shared loop until `done` or `limit` passes.
bool drive_until(const std::function<bool()>& done, std::chrono::milliseconds limit = std::chrono::seconds(5)) {
    auto& loop = redis_loop();
    const auto deadline = std::chrono::steady_clock::now() + limit;
    loop.restart();
    while (!done() && std::chrono::steady_clock::now() < deadline) {
        loop.run_one_for(std::chrono::milliseconds(10));
        loop.restart();
    }
    return done();
}

// Two instances of one fleet, subscribed; they beat every 50 ms.
struct TwoInstances {
    TwoInstances() : prefix(fresh_prefix()), a({}, prefix, beat), b({}, prefix, beat) {
        testing::store_loop() = &redis_loop();
        a.fleet->start(redis_loop().get_executor());
        b.fleet->start(redis_loop().get_executor());
        REQUIRE(drive_until([&] { return a.fleet->subscribed() && b.fleet->subscribed(); }));
        drive_until([] { return false; }, 2 * beat);  // each has beaten: the other counts it
    }
    ~TwoInstances() {
        a.fleet->stop();
        b.fleet->stop();
        drive_until([] { return false; }, std::chrono::milliseconds(50));
    }
    static constexpr std::chrono::milliseconds beat{50};
    std::string prefix;
    FleetInstance a;
    FleetInstance b;
};

}  // namespace

TEST_CASE("a shared store: what one instance changes, another sees, though it had cached the state", "[store][fleet]") {
    TwoInstances fleet;
    CHECK_FALSE(run(fleet.b->load("s")).log_level);  // cached by b now
    CHECK(fleet.b.fleet->cache.size() == 1);
    CHECK(run(fleet.a->set_log_level(owner("s"), "warning")) == StoreRefusal::none);
    // Answered only once b acknowledged it had dropped what it cached.
    CHECK(fleet.b.fleet->cache.size() == 0);
    CHECK(run(fleet.b->load("s")).log_level == "warning");
    CHECK(run(fleet.b->load("s")).log_level == "warning");  // from its cache, again
    CHECK(fleet.b.fleet->cache.size() == 1);
    CHECK(run(fleet.a->end_session(owner("s"))) == StoreRefusal::none);
    CHECK(fleet.b.fleet->cache.size() == 0);
    CHECK(run(fleet.b->load("s")).ended);
    CHECK(fleet.a.fleet->acks.waiting() == 0);
}

TEST_CASE("a shared store: a change does not wait for an instance that no longer hears the fleet", "[store][fleet]") {
    TwoInstances fleet;
    CHECK_FALSE(run(fleet.b->load("s")).log_level);
    fleet.b.fleet->stop();  // b no longer hears; its beat lapses only after three
    const auto started = std::chrono::steady_clock::now();
    CHECK(run(fleet.a->set_log_level(owner("s"), "warning")) == StoreRefusal::none);
    // Redis no longer counts b among those that heard it: nothing waits for b.
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::milliseconds(500));
    CHECK(fleet.a.fleet->acks.waiting() == 0);
}

TEST_CASE("acknowledgements a change waits for: one from each other instance that heard it", "[store][fleet]") {
    CHECK(acks_needed(3, 2, true) == 2);   // this one and two others subscribed, two others beating
    CHECK(acks_needed(2, 2, true) == 1);   // one other not subscribed just now
    CHECK(acks_needed(4, 2, true) == 2);   // a redis-cli watching the channel does not answer
    CHECK(acks_needed(2, 2, false) == 2);  // this one not subscribed itself
    CHECK(acks_needed(1, 0, true) == 0);   // alone
    CHECK(acks_needed(0, 3, true) == 0);   // nobody heard it
}

TEST_CASE("fleet acknowledgements: an instance's highest acknowledged seq covers every earlier one", "[store][fleet]") {
    boost::asio::io_context io;
    FleetAcks acks;
    acks.heard("b", 5);
    CHECK_FALSE(acks.expect(5, 1, io.get_executor()));  // already acknowledged
    auto wait = acks.expect(7, 2, io.get_executor());
    REQUIRE(wait);
    acks.heard("b", 8);
    CHECK(acks.waiting() == 1);  // one of two
    acks.heard("c", 6);          // c has not reached 7 yet
    CHECK(acks.waiting() == 1);
    acks.heard("c", 7);
    CHECK(acks.waiting() == 0);
    bool woke = false;
    boost::asio::co_spawn(
        io, [&]() -> boost::asio::awaitable<void> { woke = co_await wait->wait_for(std::chrono::seconds(5)) ==
                                                           async::Woke::notified; },
        boost::asio::detached);
    io.run();
    CHECK(woke);
    auto dropped = acks.expect(9, 1, io.get_executor());
    acks.drop(dropped);
    CHECK(acks.waiting() == 0);
}

TEST_CASE("a shared store: a subscription change reaches the GET stream on the other instance", "[store][fleet]") {
    TwoInstances fleet;
    int changes = 0;
    REQUIRE(fleet.b->streams().open("s", redis_loop().get_executor(), [&] { ++changes; }));
    CHECK(run(fleet.a->subscribe(owner("s"), "file:///x")) == StoreRefusal::none);
    REQUIRE(drive_until([&] { return changes == 1; }));
    CHECK(run(fleet.a->unsubscribe("s", "file:///x")) == StoreRefusal::none);
    REQUIRE(drive_until([&] { return changes == 2; }));
    fleet.b->streams().close("s");
}

TEST_CASE("a shared store: an answer POSTed to one instance reaches the request waiting on another", "[store][fleet]") {
    TwoInstances fleet;
    auto wait = std::make_shared<InputWait>(redis_loop().get_executor());
    fleet.a->inputs().expect("s", session::request_id_key(json(41)), wait);
    CHECK(fleet.b->inputs().deliver("s", json{{"jsonrpc", "2.0"}, {"id", 41}, {"result", {{"action", "accept"}}}}));
    REQUIRE(drive_until([&] { return !wait->answers.empty(); }));
    CHECK(wait->answers.begin()->second["result"]["action"] == "accept");
    // Another session's answer with that id is not taken.
    wait->answers.clear();
    fleet.b->inputs().deliver("other", json{{"jsonrpc", "2.0"}, {"id", 41}, {"result", json::object()}});
    drive_until([] { return false; }, std::chrono::milliseconds(100));
    CHECK(wait->answers.empty());
    fleet.a->inputs().forget("s", session::request_id_key(json(41)));
}

TEST_CASE("a shared store: notifications/cancelled sent to one instance stops the request on another", "[store][fleet]") {
    TwoInstances fleet;
    auto cancel = std::make_shared<RequestCancel>();
    REQUIRE(fleet.a->in_flight().add("s", "9", redis_loop().get_executor(), cancel));
    CHECK_FALSE(fleet.b->in_flight().cancel("s", "9"));  // not under way on b: sent on
    REQUIRE(drive_until([&] { return cancel->cancelled; }));
    fleet.a->in_flight().remove("s", "9", cancel);
}

TEST_CASE("a shared store: a stream written on one instance is resumed on another, to its end", "[store][fleet]") {
    TwoInstances fleet;
    auto& writer = fleet.a->replay();
    auto& reader = fleet.b->replay();
    writer.begin("st", "s", {"5"});
    writer.append("st", 1, R"({"jsonrpc":"2.0","method":"notifications/progress"})");
    Replay seen;
    REQUIRE(drive_until([&] {
        seen = run(reader.after("st", "s", 0));
        return seen.events.size() == 1;
    }));
    CHECK(seen.found);
    CHECK_FALSE(seen.complete);
    CHECK_FALSE(seen.abandoned);
    CHECK(seen.request_ids == std::vector<std::string>{"5"});
    CHECK(seen.recheck == TwoInstances::beat);
    CHECK_FALSE(run(reader.after("st", "intruder", 0)).found);
    bool woken = false;
    reader.watch("st", redis_loop().get_executor(), [&] { woken = true; });
    writer.append("st", 2, R"({"jsonrpc":"2.0","id":5,"result":{}})");
    writer.complete("st");
    REQUIRE(drive_until([&] { return woken; }));  // told of the event written after the resume
    REQUIRE(drive_until([&] { return run(reader.after("st", "s", 1)).complete; }));
    CHECK(run(reader.after("st", "s", 1)).events.at(0).data.find("\"id\":5") != std::string::npos);
}

TEST_CASE("a shared store: a stream whose instance stopped is abandoned, not waited on", "[store][fleet]") {
    TwoInstances fleet;
    fleet.a->replay().begin("st", "s", {"7"});
    fleet.a->replay().append("st", 1, "{}");
    REQUIRE(drive_until([&] { return run(fleet.b->replay().after("st", "s", 0)).found; }));
    CHECK_FALSE(run(fleet.b->replay().after("st", "s", 0)).abandoned);
    fleet.a.fleet->stop();  // no more heartbeats: gone after three
    REQUIRE(drive_until([&] { return run(fleet.b->replay().after("st", "s", 0)).abandoned; }));
    CHECK(run(fleet.b->replay().after("st", "s", 0)).events.size() == 1);  // what it wrote is still there
}

TEST_CASE("a shared store that is away: writes refused naming it, loads served, reads fail, readiness says so",
          "[store][fleet]") {
    testing::RedisServer server;
    auto settings = fleet_settings(fresh_prefix());
    settings.url = server.url();
    settings.redis.retry_after = std::chrono::milliseconds(50);
    testing::store_loop() = &redis_loop();
    RedisFleet fleet(settings, {}, {});
    RedisSessionStore store(redis_loop().get_executor(), fleet);
    CHECK(run(store.set_log_level(owner("s"), "info")) == StoreRefusal::none);
    CHECK(run(store.readiness()).find("subscription") != std::string::npos);  // never started
    server.stop();
    const auto refused = run(store.set_log_level(owner("s"), "debug"));
    CHECK(refused == StoreRefusal::unavailable);
    CHECK_THAT(store.explain(refused), Catch::Contains(server.url().substr(0, 10)) && Catch::Contains("--session-store"));
    CHECK_FALSE(run(store.load("s")).ended);  // served without its state
    CHECK_THROWS_AS(run(store.find_task("s", "t")), StoreUnavailable);
    CHECK_THAT(run(store.readiness()), Catch::Contains("unreachable"));
    // A DELETE it cannot store is still known here.
    CHECK(run(store.end_session(owner("s"))) == StoreRefusal::unavailable);
    CHECK(run(store.load("s")).ended);
    server.start();
    std::this_thread::sleep_for(std::chrono::milliseconds(60));
    // A new redis-server has no scripts loaded: the store sends its text again.
    CHECK(run(store.set_log_level(owner("t"), "info")) == StoreRefusal::none);
    CHECK(run(store.load("t")).log_level == "info");
}
