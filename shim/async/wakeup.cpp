#include "async/wakeup.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace mcpshim::async {

namespace net = boost::asio;

Woke Wakeup::outcome(const boost::system::error_code& ec) {
    if (pending_) {
        pending_ = false;
        return Woke::notified;
    }
    return ec ? Woke::cancelled : Woke::timed_out;
}

net::awaitable<Woke> Wakeup::wait_until(Clock::time_point deadline) {
    if (pending_) co_return outcome({});
    timer_.expires_at(deadline);
    auto [ec] = co_await timer_.async_wait(net::as_tuple(net::use_awaitable));
    co_return outcome(ec);
}

net::awaitable<Woke> Wakeup::wait_until(Clock::time_point deadline, net::cancellation_slot slot) {
    if (pending_) co_return outcome({});
    timer_.expires_at(deadline);
    auto [ec] = co_await timer_.async_wait(net::bind_cancellation_slot(slot, net::as_tuple(net::use_awaitable)));
    co_return outcome(ec);
}

}  // namespace mcpshim::async
