#include "session/in_flight.hpp"

#include <boost/asio/post.hpp>

namespace mcpshim::session {

bool LocalInFlight::add(const std::string& session_id, const std::string& request_id,
                        boost::asio::any_io_executor executor, const std::shared_ptr<RequestCancel>& cancel) {
    std::lock_guard lock(mutex_);
    return requests_.try_emplace(session_id + "\n" + request_id, Entry{std::move(executor), cancel}).second;
}

void LocalInFlight::remove(const std::string& session_id, const std::string& request_id,
                           const std::shared_ptr<RequestCancel>& cancel) {
    std::lock_guard lock(mutex_);
    const auto it = requests_.find(session_id + "\n" + request_id);
    if (it != requests_.end() && it->second.cancel.lock() == cancel) requests_.erase(it);
}

bool LocalInFlight::cancel(const std::string& session_id, const std::string& request_id) {
    std::lock_guard lock(mutex_);
    const auto it = requests_.find(session_id + "\n" + request_id);
    if (it == requests_.end()) return false;
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
    admitted_ = registry_.add(session_id_, request_id_, std::move(executor), cancel_);
}

InFlightScope::~InFlightScope() {
    if (admitted_) registry_.remove(session_id_, request_id_, cancel_);
}

}  // namespace mcpshim::session
