#pragma once
// The one line every served request leaves, whatever face it came through:
//   <what> sid=<session> rpc=<method #id> upstream=<instance> <ms>ms[ era=<legacy|modern>][ note=<why>]
// `what` is the face's part of it: "POST /mcp 200" over Streamable HTTP,
// "stdio" or "sse" where the connection is the session.
#include <chrono>
#include <string>
#include <string_view>

#include "relay/request_types.hpp"

namespace mcpshim::relay {

// "tools/call #7": how a request is named in the line.
std::string rpc_name(const rewrite::Message& request);
std::string rpc_name(const std::string& method, const json& id);

void log_request(std::string_view what, const RequestLog& log, std::chrono::steady_clock::time_point started);

}  // namespace mcpshim::relay
