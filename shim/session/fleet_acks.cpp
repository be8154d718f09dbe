#include "session/fleet_acks.hpp"

#include <boost/asio/post.hpp>

#include <algorithm>

namespace mcpshim::session {

std::size_t acks_needed(long long receivers, long long others, bool subscribed) {
    const long long other_receivers = receivers - (subscribed ? 1 : 0);
    return static_cast<std::size_t>(std::max(0LL, std::min(other_receivers, others)));
}

std::size_t FleetAcks::acknowledged(std::uint64_t seq) const {
    return static_cast<std::size_t>(
        std::count_if(ackers_.begin(), ackers_.end(), [&](const auto& acker) { return acker.second.seq >= seq; }));
}

std::shared_ptr<async::Wakeup> FleetAcks::expect(std::uint64_t seq, std::size_t needed,
                                                 boost::asio::any_io_executor executor) {
    std::lock_guard lock(mutex_);
    if (acknowledged(seq) >= needed) return nullptr;
    auto wake = std::make_shared<async::Wakeup>(std::move(executor));
    waiters_.push_back(Waiter{seq, needed, wake});
    return wake;
}

void FleetAcks::drop(const std::shared_ptr<async::Wakeup>& wait) {
    std::lock_guard lock(mutex_);
    std::erase_if(waiters_, [&](const Waiter& waiter) { return waiter.wake == wait; });
}

void FleetAcks::heard(const std::string& instance, std::uint64_t seq) {
    constexpr std::size_t prune_past = 256;
    constexpr auto silent_for_long = std::chrono::minutes(10);
    const auto now = std::chrono::steady_clock::now();
    std::lock_guard lock(mutex_);
    if (ackers_.size() >= prune_past)
        std::erase_if(ackers_, [&](const auto& acker) { return now - acker.second.when > silent_for_long; });
    auto& acker = ackers_[instance];
    acker.seq = std::max(acker.seq, seq);
    acker.when = now;
    std::erase_if(waiters_, [&](const Waiter& waiter) {
        if (acknowledged(waiter.seq) < waiter.needed) return false;
        boost::asio::post(waiter.wake->get_executor(), [wake = waiter.wake] { wake->notify(); });
        return true;
    });
}

std::size_t FleetAcks::waiting() const {
    std::lock_guard lock(mutex_);
    return waiters_.size();
}

}  // namespace mcpshim::session
