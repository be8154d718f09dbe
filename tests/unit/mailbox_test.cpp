// The wake-up and mailbox primitives every queue toward a client is built on:
// no notification lost between check and wait, bounds by count and bytes,
// back-pressure for a producer that waits, close keeping what was queued.
#include <catch2/catch.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "async/mailbox.hpp"
#include "async/wakeup.hpp"

namespace net = boost::asio;
using mcpshim::async::Clock;
using mcpshim::async::Mailbox;
using mcpshim::async::MailboxBounds;
using mcpshim::async::Posted;
using mcpshim::async::Wakeup;
using mcpshim::async::Woke;
using namespace std::chrono_literals;

namespace {

net::awaitable<void> wait_once(Wakeup& wakeup, Clock::duration timeout, Woke& woke) {
    woke = co_await wakeup.wait_for(timeout);
}

net::awaitable<void> consume(Mailbox<std::string>& mailbox, std::vector<std::string>& seen) {
    for (;;) {
        while (auto item = mailbox.take()) seen.push_back(std::move(*item));
        if (mailbox.closed()) co_return;
        co_await mailbox.wait_until(Clock::time_point::max());
    }
}

net::awaitable<void> produce(Mailbox<std::string>& mailbox, int count, std::vector<Posted>& outcomes) {
    for (int i = 0; i < count; ++i) outcomes.push_back(co_await mailbox.send(std::to_string(i), 1));
    mailbox.close();
}

}  // namespace

TEST_CASE("a notify before the wait is not lost; an unnotified wait times out") {
    net::io_context io;
    Wakeup wakeup(io.get_executor());
    Woke woke = Woke::cancelled;
    wakeup.notify();  // nobody waits yet
    net::co_spawn(io, wait_once(wakeup, 10s, woke), net::detached);
    io.run();
    CHECK(woke == Woke::notified);

    io.restart();
    const auto started = Clock::now();
    net::co_spawn(io, wait_once(wakeup, 20ms, woke), net::detached);
    io.run();
    CHECK(woke == Woke::timed_out);
    CHECK(Clock::now() - started >= 20ms);
}

TEST_CASE("a notify wakes a waiting coroutine before its deadline") {
    net::io_context io;
    Wakeup wakeup(io.get_executor());
    Woke woke = Woke::cancelled;
    net::co_spawn(io, wait_once(wakeup, 3600s, woke), net::detached);
    net::post(io, [&] { wakeup.notify(); });
    io.run();
    CHECK(woke == Woke::notified);
}

TEST_CASE("post refuses what passes either bound, and take gives the room back") {
    net::io_context io;
    Mailbox<std::string> mailbox(io.get_executor(), MailboxBounds{2, 10});
    CHECK(mailbox.post("aaaa", 4) == Posted::queued);
    CHECK(mailbox.post("bbbbbbb", 7) == Posted::full);  // 11 bytes > 10
    CHECK(mailbox.post("bbbb", 4) == Posted::queued);
    CHECK(mailbox.post("c", 1) == Posted::full);  // 3 messages > 2
    CHECK(mailbox.size() == 2);
    CHECK(mailbox.bytes() == 8);
    CHECK(mailbox.take() == std::optional<std::string>("aaaa"));
    CHECK(mailbox.bytes() == 4);
    CHECK(mailbox.post("c", 1) == Posted::queued);
    mailbox.drop_oldest();
    CHECK(mailbox.take() == std::optional<std::string>("c"));
    CHECK_FALSE(mailbox.take());
}

TEST_CASE("a zero bound is no bound") {
    net::io_context io;
    Mailbox<int> mailbox(io.get_executor(), MailboxBounds{0, 0});
    for (int i = 0; i < 5000; ++i) REQUIRE(mailbox.post(i, 1 << 20) == Posted::queued);
}

TEST_CASE("close keeps what was queued for the consumer; discard drops it; nothing is posted after") {
    net::io_context io;
    Mailbox<std::string> mailbox(io.get_executor(), MailboxBounds{});
    mailbox.post("kept");
    mailbox.close();
    CHECK(mailbox.post("late") == Posted::closed);
    std::vector<std::string> seen;
    net::co_spawn(io, consume(mailbox, seen), net::detached);
    io.run();
    CHECK(seen == std::vector<std::string>{"kept"});

    Mailbox<std::string> dropped(io.get_executor(), MailboxBounds{});
    dropped.post("gone", 4);
    dropped.discard();
    CHECK(dropped.empty());
    CHECK(dropped.bytes() == 0);
}

TEST_CASE("send waits for room instead of passing the bound, and delivers everything in order") {
    net::io_context io;
    Mailbox<std::string> mailbox(io.get_executor(), MailboxBounds{3, 0});
    std::vector<Posted> outcomes;
    std::vector<std::string> seen;
    std::size_t most_queued = 0;
    // A consumer that samples how full the mailbox got.
    net::co_spawn(io, produce(mailbox, 100, outcomes), net::detached);
    net::co_spawn(
        io,
        [&]() -> net::awaitable<void> {
            for (;;) {
                most_queued = std::max(most_queued, mailbox.size());
                while (auto item = mailbox.take()) seen.push_back(std::move(*item));
                if (mailbox.closed() && mailbox.empty()) co_return;
                co_await mailbox.wait_until(Clock::time_point::max());
            }
        },
        net::detached);
    io.run();
    REQUIRE(seen.size() == 100);
    for (int i = 0; i < 100; ++i) CHECK(seen[i] == std::to_string(i));
    CHECK(most_queued <= 3);
    CHECK(std::count(outcomes.begin(), outcomes.end(), Posted::queued) == 100);
}
