#pragma once
// The shim's answer to a legacy `initialize`, for every face: the negotiated
// claims (sealed into a session id over Streamable HTTP, kept with the
// connection or process otherwise) and the InitializeResult built from the
// upstream's server/discover.
#include <boost/asio/awaitable.hpp>

#include <optional>
#include <string>

#include "mcpshim/rewrite/jsonrpc.hpp"
#include "session/session_token.hpp"
#include "relay/relay_context.hpp"

namespace mcpshim::relay {

struct SessionStart {
    json answer;                                   // the response to send
    std::optional<session::SessionClaims> claims;  // set when the session started
};

boost::asio::awaitable<SessionStart> start_session(RelayContext& ctx, rewrite::Message message, std::string principal,
                                                   std::string authorization, std::int64_t lifetime_s);

// What a request gets before its session started: `ping` is answered, the rest
// are told to initialize first.
json answer_before_initialize(const rewrite::Message& request);

}  // namespace mcpshim::relay
