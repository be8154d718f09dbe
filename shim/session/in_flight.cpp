#include "session/in_flight.hpp"

#include <boost/asio/post.hpp>

namespace mcpshim::session {

void LocalInFlight::add(const std::string& session_id, const std::string& request_id,
                        boost::asio::any_io_executor executor, const std::shared_ptr<RequestCancel>& cancel) {
    std::lock_guard lock(mutex_);
    requests_[session_id + "\n" + request_id] = Entry{std::move(executor), cancel};
}

void LocalInFlight::remove(const std::string& session_id, const std::string& request_id) {
    std::lock_guard lock(mutex_);
    requests_.erase(session_id + "\n" + request_id);
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
    registry_.add(session_id_, request_id_, std::move(executor), cancel_);
}

InFlightScope::~InFlightScope() {
    registry_.remove(session_id_, request_id_);
}

}  // namespace mcpshim::session
