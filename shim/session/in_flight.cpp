#include "session/in_flight.hpp"

#include <boost/asio/post.hpp>

namespace mcpshim::session {

void LocalInFlight::add(const std::string& session_id, const std::string& request_id,
                        boost::asio::any_io_executor executor, const std::shared_ptr<RequestCancel>& cancel) {
    std::lock_guard lock(mutex_);
    requests_.emplace(session_id + "\n" + request_id, Entry{std::move(executor), cancel});
}

void LocalInFlight::remove(const std::string& session_id, const std::string& request_id,
                           const std::shared_ptr<RequestCancel>& cancel) {
    std::lock_guard lock(mutex_);
    auto [first, last] = requests_.equal_range(session_id + "\n" + request_id);
    for (auto it = first; it != last; ++it) {
        if (it->second.cancel.lock() != cancel) continue;
        requests_.erase(it);
        return;
    }
}

bool LocalInFlight::cancel(const std::string& session_id, const std::string& request_id) {
    std::lock_guard lock(mutex_);
    auto [first, last] = requests_.equal_range(session_id + "\n" + request_id);
    if (first == last) return false;
    for (auto it = first; it != last; ++it)
        boost::asio::post(it->second.executor, [weak = it->second.cancel] {
            if (auto cancel = weak.lock()) {
                cancel->cancelled = true;
                cancel->signal.emit(boost::asio::cancellation_type::terminal);
            }
        });
    return true;
}

InFlightScope::InFlightScope(InFlight& registry, std::string session_id, std::string request_id,
                             boost::asio::any_io_executor executor)
    : registry_(registry), session_id_(std::move(session_id)), request_id_(std::move(request_id)) {
    registry_.add(session_id_, request_id_, std::move(executor), cancel_);
}

InFlightScope::~InFlightScope() {
    registry_.remove(session_id_, request_id_, cancel_);
}

}  // namespace mcpshim::session
