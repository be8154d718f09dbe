#include "session/stream_registry.hpp"

#include <boost/asio/post.hpp>

namespace mcpshim::session {

bool LocalStreamRegistry::open(const std::string& session_id, boost::asio::any_io_executor executor,
                               std::function<void()> on_change) {
    std::lock_guard lock(mutex_);
    return streams_.emplace(session_id, Stream{std::move(executor), std::move(on_change)}).second;
}

void LocalStreamRegistry::close(const std::string& session_id) {
    std::lock_guard lock(mutex_);
    streams_.erase(session_id);
}

void LocalStreamRegistry::changed(const std::string& session_id) {
    std::lock_guard lock(mutex_);
    const auto it = streams_.find(session_id);
    if (it != streams_.end()) boost::asio::post(it->second.executor, it->second.on_change);
}

void LocalStreamRegistry::changed_all() {
    std::lock_guard lock(mutex_);
    for (const auto& [id, stream] : streams_) boost::asio::post(stream.executor, stream.on_change);
}

std::size_t LocalStreamRegistry::size() const {
    std::lock_guard lock(mutex_);
    return streams_.size();
}

}  // namespace mcpshim::session
