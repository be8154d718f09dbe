#include "http/sse_connections.hpp"

#include <boost/asio/post.hpp>

namespace mcpshim::http_face {

void SseConnections::add(const std::string& id, const std::shared_ptr<SseConnection>& connection) {
    std::lock_guard lock(mutex_);
    connections_[id] = connection;
}

void SseConnections::remove(const std::string& id) {
    std::lock_guard lock(mutex_);
    connections_.erase(id);
}

bool SseConnections::dispatch(const std::string& id, std::function<void(std::shared_ptr<SseConnection>)> work) {
    std::shared_ptr<SseConnection> connection;
    {
        std::lock_guard lock(mutex_);
        const auto it = connections_.find(id);
        if (it != connections_.end()) connection = it->second.lock();
    }
    if (!connection || connection->closed) return false;
    auto executor = connection->wake.get_executor();
    boost::asio::post(executor, [connection = std::move(connection), work = std::move(work)] { work(connection); });
    return true;
}

}  // namespace mcpshim::http_face
