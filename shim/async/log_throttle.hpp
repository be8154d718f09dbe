#pragma once
// At most one log line per interval for an event that a peer can repeat at
// will (refused connections, accept failures): the log stays readable and
// cannot be used to fill a disk, and the line says how many it stands for.
#include <chrono>
#include <cstddef>

namespace mcpshim {

class LogThrottle {
public:
    explicit LogThrottle(std::chrono::milliseconds interval = std::chrono::seconds(1)) : interval_(interval) {}

    // Counts one event; returns how many events the line written now stands
    // for, or 0 when no line is due yet.
    std::size_t event() {
        ++pending_;
        const auto now = std::chrono::steady_clock::now();
        if (now - last_ < interval_) return 0;
        last_ = now;
        const std::size_t count = pending_;
        pending_ = 0;
        return count;
    }

private:
    std::chrono::milliseconds interval_;
    std::chrono::steady_clock::time_point last_{};
    std::size_t pending_ = 0;
};

}  // namespace mcpshim
