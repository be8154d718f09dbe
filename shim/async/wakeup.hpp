#pragma once
// An auto-reset event for coroutines on one executor: notify() wakes the
// coroutine waiting on it, or, when none is waiting yet, makes the next wait
// return at once, so a notification that lands between "check" and "wait" is
// never lost. One waiter at a time; notify() and the wait run on the same
// executor (post to it from another thread).
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>

namespace mcpshim::async {

using Clock = std::chrono::steady_clock;

enum class Woke {
    notified,   // notify() was called
    timed_out,  // the deadline passed first
    cancelled,  // the wait's cancellation slot (or the coroutine's) fired
};

class Wakeup {
public:
    explicit Wakeup(boost::asio::any_io_executor executor) : timer_(std::move(executor)) {}

    void notify() {
        pending_ = true;
        timer_.cancel();
    }

    // Until notified or `deadline` (Clock::time_point::max(): no deadline).
    // Cancelled through the coroutine's own cancellation state.
    boost::asio::awaitable<Woke> wait_until(Clock::time_point deadline);
    // The same, cancelled through `slot` instead.
    boost::asio::awaitable<Woke> wait_until(Clock::time_point deadline, boost::asio::cancellation_slot slot);
    boost::asio::awaitable<Woke> wait_for(Clock::duration timeout) { return wait_until(Clock::now() + timeout); }
    boost::asio::awaitable<Woke> wait() { return wait_until(Clock::time_point::max()); }

    boost::asio::any_io_executor get_executor() { return timer_.get_executor(); }

private:
    Woke outcome(const boost::system::error_code& ec);

    boost::asio::steady_timer timer_;  // its cancel() is the wake-up; its expiry the deadline
    bool pending_ = false;
};

}  // namespace mcpshim::async
