#include "session/in_flight.hpp"

#include <boost/asio/post.hpp>

namespace mcpshim::session {

void InFlight::add(const std::string& session_id, const std::string& request_id, boost::asio::any_io_executor executor,
                   const std::shared_ptr<RequestCancel>& cancel) {
    std::lock_guard lock(mutex_);
    requests_[session_id + "\n" + request_id] = Entry{std::move(executor), cancel};
}

void InFlight::remove(const std::string& session_id, const std::string& request_id) {
    std::lock_guard lock(mutex_);
    requests_.erase(session_id + "\n" + request_id);
}

bool InFlight::cancel(const std::string& session_id, const std::string& request_id) {
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

}  // namespace mcpshim::session
