#pragma once
// What the relays know of the request they serve: its session, its caller,
// and the log line it fills.
#include <string>

#include "mcpshim/rewrite/jsonrpc.hpp"
#include "mcpshim/rewrite/session_view.hpp"
#include "session/session_store.hpp"
#include "session/session_token.hpp"

namespace mcpshim::relay {

// A session as one request sees it: what it negotiated, and what it changed since.
struct OpenSession {
    session::SessionClaims claims;
    session::SessionState state;
};

// Who is asking: forwarded upstream as they came.
struct Caller {
    std::string authorization;
    rewrite::TraceContext trace;
};

// Filled while a request is served; the face logs it as one line.
struct RequestLog {
    std::string session;
    std::string rpc;       // method and id of the (first) message
    std::string upstream;  // instance that answered
    std::string note;      // why something was refused
    std::string era;       // which era served it: legacy (translated) or modern (passed through)
};

// The translation rules' view of a session.
inline rewrite::SessionView view_of(const OpenSession& session) {
    return rewrite::SessionView{session.claims.protocol_version, session.claims.client_info,
                                session.claims.client_capabilities, session.state.log_level};
}

}  // namespace mcpshim::relay
