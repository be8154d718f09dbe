#pragma once
// The HTTP+SSE transport (2024-11-05): each client holds one GET stream, and
// POSTs its messages to a URL naming that stream. The POST may land on any
// serving thread; its work is handed to the thread that owns the stream.
#include <boost/asio/any_io_executor.hpp>

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "async/mailbox.hpp"
#include "mcpshim/rewrite/json.hpp"
#include "relay/connection_session.hpp"

namespace mcpshim::http_face {

// One client's stream, owned by its GET; touched only on its own executor,
// except `principal` (fixed at creation) and `closed`.
struct SseConnection {
    SseConnection(boost::asio::any_io_executor executor, std::string principal_digest, async::MailboxBounds bounds)
        : principal(std::move(principal_digest)), outbox(std::move(executor), bounds) {}
    const std::string principal;  // of the GET that opened the stream: only it may POST here
    // Serialized messages, oldest first; the GET writes them out. A message
    // that would pass a bound closes the stream: the client is not reading.
    async::Mailbox<std::string> outbox;
    std::shared_ptr<relay::ConnectionSession> session;  // what its POSTs dispatch to
    std::atomic<bool> closed = false;
    bool overflowed = false;  // closed because the client read too slowly

    // False once the connection is closed.
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
