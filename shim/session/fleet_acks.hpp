#pragma once
// What the other instances of a fleet acknowledged of this instance's
// invalidations. A write to what requests load is answered only once every
// other instance that heard it has dropped what it cached, so the client's
// next request sees the write wherever it lands (docs/fleet.md).
//
// Redis delivers one channel's messages to a subscriber in order, so an
// instance acknowledging seq has dropped everything published before it too:
// per instance, only the highest seq it acknowledged is kept.
#include <boost/asio/any_io_executor.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "async/wakeup.hpp"

namespace mcpshim::session {

// How many acknowledgements a write waits for: one from each other instance
// that heard it. `receivers` counts every connection that heard it (this
// instance's own subscription among them when `subscribed`, and any other
// subscriber, say a redis-cli watching), `others` the other instances whose
// heartbeat has not lapsed; an instance counted in one and not in the other
// (not subscribed just now, or stopped) cannot answer.
std::size_t acks_needed(long long receivers, long long others, bool subscribed);

class FleetAcks {
public:
    // A wait for `needed` instances to have acknowledged `seq`: nullptr when
    // they already have. Notified on `executor`.
    std::shared_ptr<async::Wakeup> expect(std::uint64_t seq, std::size_t needed,
                                          boost::asio::any_io_executor executor);
    void drop(const std::shared_ptr<async::Wakeup>& wait);
    // `instance` has dropped everything up to `seq`.
    void heard(const std::string& instance, std::uint64_t seq);
    std::size_t waiting() const;

private:
    std::size_t acknowledged(std::uint64_t seq) const;  // with mutex_ held

    struct Acker {
        std::uint64_t seq = 0;
        std::chrono::steady_clock::time_point when;
    };
    struct Waiter {
        std::uint64_t seq;
        std::size_t needed;
        std::shared_ptr<async::Wakeup> wake;
    };
    mutable std::mutex mutex_;
    // Instances come and go (each start has a new id): ones silent for long
    // are pruned as the map grows.
    std::unordered_map<std::string, Acker> ackers_;
    std::vector<Waiter> waiters_;
};

}  // namespace mcpshim::session
