// The session store's contract, written once against the interface: every
// store implementation is added to the type list and must pass all of it.
#include <catch2/catch.hpp>

#include <memory>
#include <string>

#include "session/session_store.hpp"
#include "store_harness.hpp"

using namespace mcpshim;
using namespace mcpshim::session;
using mcpshim::testing::run;

namespace {

struct MemoryStore {
    static std::unique_ptr<SessionStore> make(StoreLimits limits) {
        return std::make_unique<MemorySessionStore>(limits, ReplayLimits{});
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

TEMPLATE_TEST_CASE("a session's state: unknown, then what was set", "[store]", MemoryStore) {
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

TEMPLATE_TEST_CASE("each bound is refused with its own reason", "[store]", MemoryStore) {
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

TEMPLATE_TEST_CASE("ending a session always succeeds, even when the store is full", "[store]", MemoryStore) {
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

TEMPLATE_TEST_CASE("expired entries make room", "[store]", MemoryStore) {
    StoreLimits limits;
    limits.max_entries = 1;
    auto store = TestType::make(limits);
    CHECK(run(store->set_log_level(owner("old", "p", 1), "info")) == StoreRefusal::none);  // expired in 1970
    CHECK(run(store->set_log_level(owner("new", "q"), "info")) == StoreRefusal::none);
    CHECK(run(store->load("new")).log_level == "info");
}

TEMPLATE_TEST_CASE("tasks: kept in order, found, cancelled, forgotten, the oldest dropped past --max-tasks",
                   "[store]", MemoryStore) {
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

TEMPLATE_TEST_CASE("a request id is under way once per session", "[store]", MemoryStore) {
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
                   "[store]", MemoryStore) {
    auto store = TestType::make({});
    auto& replay = store->replay();
    replay.begin("stream", "s");
    replay.append("stream", 1, "one");
    replay.append("stream", 2, "two");
    auto partial = replay.after("stream", "s", 1);
    CHECK(partial.found);
    CHECK_FALSE(partial.complete);
    REQUIRE(partial.events.size() == 1);
    CHECK(partial.events[0].data == "two");
    replay.complete("stream");
    CHECK(replay.after("stream", "s", 0).complete);
    CHECK(replay.after("stream", "s", 0).events.size() == 2);
    CHECK_FALSE(replay.after("stream", "intruder", 0).found);
    CHECK_FALSE(replay.after("unknown", "s", 0).found);
}
