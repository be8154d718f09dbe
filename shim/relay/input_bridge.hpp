#pragma once
// One round of a multi round-trip request, played out with a legacy client:
// each input the upstream asked for goes to the client as a real
// server-to-client request on the request's own stream, and the client's
// answers come back as the `inputResponses` of the retry.
#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <variant>

#include "mcpshim/rewrite/mrtr.hpp"
#include "relay/reply_channel.hpp"
#include "session/in_flight.hpp"
#include "session/pending_inputs.hpp"
#include "session/session_token.hpp"

namespace mcpshim::relay {

struct InputLimits {
    std::chrono::milliseconds answer_timeout{120000};  // --input-timeout-ms
    std::size_t max_rounds = 8;                        // --max-input-rounds
    std::size_t max_requests_per_round = 16;           // --max-input-requests
};

// The inputResponses object, or a JSON-RPC error object for the original request.
struct InputOutcome {
    json input_responses;
    json error;  // null when the round succeeded
};

// Stops waiting as soon as `cancel` fires (notifications/cancelled for the original request).
boost::asio::awaitable<InputOutcome> ask_client(const rewrite::InputRound& round, const session::SessionClaims& claims,
                                                ReplyChannel& reply, session::PendingInputs& pending,
                                                InputLimits limits, std::shared_ptr<session::RequestCancel> cancel);

}  // namespace mcpshim::relay
