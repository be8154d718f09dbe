#pragma once
// One upstream exchange relayed to a legacy client. When a slow answer may
// switch the client to polling (`poll_after`), the upstream request runs in
// its own coroutine and queues what it receives, and this side, the only
// writer to the client, can close the client's stream early and keep
// buffering. Otherwise the answer is awaited in place. Either way
// notifications/cancelled stops the upstream read at any moment.
#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <memory>

#include "async/mailbox.hpp"
#include "mcpshim/rewrite/modern_request.hpp"
#include "relay/reply_channel.hpp"
#include "session/in_flight.hpp"
#include "upstream/upstream_pool.hpp"

namespace mcpshim::relay {

struct ExchangeOutcome {
    json final_response;  // null when none came
    upstream::UpstreamResult result;
    bool client_alive = true;
    bool cancelled = false;
};

struct ExchangeTiming {
    // > 0: if nothing was sent to the client after that long, open the SSE
    // stream (priming) and detach the client's side.
    std::chrono::milliseconds poll_after{0};
    async::MailboxBounds outbox;  // notifications waiting for the client
};

boost::asio::awaitable<ExchangeOutcome> relay_exchange(upstream::UpstreamPool& pool, rewrite::ModernRequest request,
                                                       std::string authorization, json upstream_id,
                                                       ReplyChannel& reply,
                                                       std::shared_ptr<session::RequestCancel> cancel,
                                                       ExchangeTiming timing);

}  // namespace mcpshim::relay
