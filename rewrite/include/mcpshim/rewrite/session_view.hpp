#pragma once
// What the translation rules need to know of a legacy session: what it
// negotiated at initialize, and the log level it set since.
#include "mcpshim/rewrite/json.hpp"

#include <optional>
#include <string>

namespace mcpshim::rewrite {

struct SessionView {
    std::string protocol_version;          // the negotiated legacy version
    json client_info;                      // as the client sent it in initialize
    json client_capabilities;              // legacy shape, as sent in initialize
    std::optional<std::string> log_level;  // from logging/setLevel
};

// W3C trace context taken from the legacy request's HTTP headers.
struct TraceContext {
    std::string traceparent;
    std::string tracestate;
    std::string baggage;
};

}  // namespace mcpshim::rewrite
