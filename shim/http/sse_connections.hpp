#pragma once
// The HTTP+SSE transport (2024-11-05): each client holds one GET stream, and
// POSTs its messages to a URL naming that stream. The POST may land on any
// serving thread; its work is handed to the thread that owns the stream.
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

#include <atomic>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "mcpshim/rewrite/json.hpp"
#include "session/session_store.hpp"
#include "session/session_token.hpp"

namespace mcpshim::http_face {

// Bounds on one HTTP+SSE connection.
struct SseConnectionLimits {
    std::size_t max_outbox_bytes = 8 * 1024 * 1024;  // --max-outbox-bytes: written, not yet sent
    std::size_t max_outbox_messages = 1024;          // --max-outbox-messages
    std::size_t max_requests_in_flight = 64;         // --max-requests-in-flight
};

// One client's stream, owned by its GET; touched only on its own executor,
// except `principal` (fixed at creation) and `closed`.
struct SseConnection {
    SseConnection(boost::asio::any_io_executor executor, std::string principal_digest, SseConnectionLimits bounds)
        : wake(std::move(executor)), principal(std::move(principal_digest)), limits(bounds) {}
    boost::asio::steady_timer wake;  // cancelled when the outbox fills or the connection closes
    const std::string principal;     // of the GET that opened the stream: only it may POST here
    const SseConnectionLimits limits;
    std::deque<std::string> outbox;  // serialized messages, oldest first
    std::size_t outbox_bytes = 0;
    std::atomic<bool> closed = false;
    bool overflowed = false;  // closed because the client read too slowly
    bool initializing = false;
    std::optional<session::SessionClaims> claims;  // after initialize
    session::SessionState state;
    std::unordered_set<std::string> in_flight;  // request id keys being served

    // False once the connection is closed; a message that would pass an
    // outbox bound closes it (the client is not reading).
    bool send(const json& message);
    void close();
};

class SseConnections {
public:
    void add(const std::string& id, const std::shared_ptr<SseConnection>& connection);
    void remove(const std::string& id);
    // The open connection with this id that `principal` opened; null otherwise
    // (another principal's stream answers as if it did not exist).
    std::shared_ptr<SseConnection> find(const std::string& id, const std::string& principal);

private:
    std::mutex mutex_;
    std::unordered_map<std::string, std::weak_ptr<SseConnection>> connections_;
};

}  // namespace mcpshim::http_face
