#include "http/sse_connections.hpp"
#include "mcpshim/rewrite/option_names.hpp"

#include <spdlog/spdlog.h>

namespace mcpshim::http_face {

bool SseConnection::send(const json& message) {
    if (closed) return false;
    std::string text = to_text(message);
    const auto size = text.size();
    if (outbox.post(std::move(text), size) == async::Posted::queued) return true;
    overflowed = true;
    close();
    spdlog::warn("an HTTP+SSE stream is closed: the client read too slowly (its outbox passed "
                 "{} {} or {} {})",
                 option::max_outbox_bytes, outbox.bounds().max_bytes, option::max_outbox_messages,
                 outbox.bounds().max_messages);
    return false;
}

void SseConnection::close() {
    closed = true;
    outbox.discard();
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
