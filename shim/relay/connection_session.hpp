#pragma once
// The faces where the connection is the session — stdio, and HTTP+SSE's
// stream — dispatch their messages alike: one initialize per connection
// (awaited: the next message may need the session), responses and
// notifications from the client handed to the relay, requests run side by
// side (one may wait on the client while the next is answered), at most
// --max-requests-in-flight at once, each leaving one log line. The face
// owns the transport: what to send through, and whether the client is there.
#include <boost/asio/awaitable.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "relay/message_function.hpp"
#include "relay/relay_context.hpp"
#include "relay/request_types.hpp"

namespace mcpshim::relay {

struct ConnectionFace {
    std::string name;                         // "stdio", "sse": the log line's first word
    std::string principal;                    // who opened the connection (session ownership)
    std::int64_t session_lifetime_s = 0;      // sealed into the session's claims
    std::size_t max_requests_in_flight = 64;  // --max-requests-in-flight
    std::string another_session;              // how this face opens a new session, for a second initialize
};

class ConnectionSession {
public:
    // `send` writes one message to the client (false once it is gone);
    // `open` says whether it is still there, for the change notifications.
    ConnectionSession(RelayContext& ctx, ConnectionFace face, MessageFunction send, std::function<bool()> open)
        : ctx_(ctx), face_(std::move(face)), send_(std::move(send)), open_(std::move(open)),
          request_task_("a request on a " + face_.name + " connection") {}

    // The messages of one read (a stdin line, a POST body), in order.
    static boost::asio::awaitable<void> dispatch(std::shared_ptr<ConnectionSession> self,
                                                 std::vector<rewrite::Message> messages, Caller caller);

    bool started() const { return claims_.has_value(); }
    bool batches_allowed() const;
    std::size_t requests_in_flight() const { return in_flight_.size(); }
    // The connection is gone: its requests are cancelled (and their upstream
    // exchanges closed), its change notifications stop.
    void end();

private:
    static boost::asio::awaitable<void> initialize(std::shared_ptr<ConnectionSession> self, rewrite::Message message,
                                                   Caller caller);
    static boost::asio::awaitable<void> serve(std::shared_ptr<ConnectionSession> self, rewrite::Message request,
                                              Caller caller, std::string key);
    static boost::asio::awaitable<void> relay_changes(std::shared_ptr<ConnectionSession> self,
                                                      session::SessionClaims claims, std::string authorization);
    void refuse(const rewrite::Message& request, int code, std::string message);

    RelayContext& ctx_;
    const ConnectionFace face_;
    MessageFunction send_;
    std::function<bool()> open_;
    const std::string request_task_;  // what the spawn boundary names a failed request by
    std::optional<session::SessionClaims> claims_;  // after initialize
    session::SessionState state_;                   // what the connection's requests changed (log level)
    bool initializing_ = false;
    std::unordered_set<std::string> in_flight_;  // request id keys being served
};

}  // namespace mcpshim::relay
