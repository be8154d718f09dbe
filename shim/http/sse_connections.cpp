#include "http/sse_connections.hpp"

#include <spdlog/spdlog.h>

namespace mcpshim::http_face {

bool SseConnection::send(const json& message) {
    if (closed) return false;
    std::string text = to_text(message);
    if (outbox.size() + 1 > limits.max_outbox_messages || outbox_bytes + text.size() > limits.max_outbox_bytes) {
        overflowed = true;
        close();
        spdlog::warn("an HTTP+SSE stream is closed: the client read too slowly (its outbox passed "
                     "--max-outbox-bytes {} or --max-outbox-messages {})",
                     limits.max_outbox_bytes, limits.max_outbox_messages);
        return false;
    }
    outbox_bytes += text.size();
    outbox.push_back(std::move(text));
    wake.cancel();
    return true;
}

void SseConnection::close() {
    closed = true;
    outbox.clear();
    outbox_bytes = 0;
    wake.cancel();
}

void SseConnections::add(const std::string& id, const std::shared_ptr<SseConnection>& connection) {
    std::lock_guard lock(mutex_);
    connections_[id] = connection;
}

void SseConnections::remove(const std::string& id) {
    std::lock_guard lock(mutex_);
    connections_.erase(id);
}

std::shared_ptr<SseConnection> SseConnections::find(const std::string& id, const std::string& principal) {
    std::shared_ptr<SseConnection> connection;
    {
        std::lock_guard lock(mutex_);
        const auto it = connections_.find(id);
        if (it != connections_.end()) connection = it->second.lock();
    }
    if (!connection || connection->closed || connection->principal != principal) return nullptr;
    return connection;
}

}  // namespace mcpshim::http_face
