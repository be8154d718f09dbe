#pragma once
// A legacy session's change notifications, fed by an upstream
// `subscriptions/listen` held while the client can receive them (a GET
// stream, or a stdio session): list-changed and resource-updated
// notifications are handed over without the subscription id, the listen is
// re-opened when the session's subscriptions change or the upstream drops it
// (with backoff), and a quiet channel gets keep-alives.
#include <boost/asio/awaitable.hpp>

#include <string>

#include "mcpshim/rewrite/json.hpp"
#include "session/session_token.hpp"
#include "relay/relay_context.hpp"

namespace mcpshim::relay {

// Where the notifications go. Each returns false when the client is gone.
class NotificationSink {
public:
    virtual ~NotificationSink() = default;
    virtual boost::asio::awaitable<bool> begin() = 0;
    virtual boost::asio::awaitable<bool> deliver(json notification) = 0;
    virtual boost::asio::awaitable<bool> keep_alive() = 0;
};

enum class ListenEnd {
    duplicate,      // the session already has a channel for them in this process; nothing was sent
    client_gone,    // the sink failed
    session_ended,  // DELETE: the caller should end its channel cleanly
};

boost::asio::awaitable<ListenEnd> relay_change_notifications(RelayContext& ctx, session::SessionClaims claims,
                                                             std::string authorization, NotificationSink& sink);

}  // namespace mcpshim::relay
