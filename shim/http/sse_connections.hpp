#pragma once
// The HTTP+SSE transport (2024-11-05): each client holds one GET stream, and
// POSTs its messages to a URL naming that stream. The POST may land on any
// serving thread; its work is handed to the thread that owns the stream.
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "mcpshim/rewrite/json.hpp"
#include "session/session_store.hpp"
#include "session/session_token.hpp"

namespace mcpshim::http_face {

// One client's stream, owned by its GET; touched only on its own executor.
struct SseConnection {
    explicit SseConnection(boost::asio::any_io_executor executor) : wake(std::move(executor)) {}
    boost::asio::steady_timer wake;  // cancelled when the outbox fills or the connection closes
    std::deque<json> outbox;
    bool closed = false;
    std::optional<session::SessionClaims> claims;  // after initialize
    session::SessionState state;

    bool send(json message) {
        if (closed) return false;
        outbox.push_back(std::move(message));
        wake.cancel();
        return true;
    }
};

class SseConnections {
public:
    void add(const std::string& id, const std::shared_ptr<SseConnection>& connection);
    void remove(const std::string& id);
    // Runs `work` on the connection's executor; false when there is no such connection.
    bool dispatch(const std::string& id, std::function<void(std::shared_ptr<SseConnection>)> work);

private:
    std::mutex mutex_;
    std::unordered_map<std::string, std::weak_ptr<SseConnection>> connections_;
};

}  // namespace mcpshim::http_face
