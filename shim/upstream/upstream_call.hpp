#pragma once
// One request/response exchange with the upstream for the shim's own needs
// (server/discover, tools/list): the final JSON-RPC response, or why not.
#include <boost/asio/awaitable.hpp>
#include "mcpshim/rewrite/json.hpp"

#include <string>

#include "mcpshim/rewrite/session_view.hpp"
#include "upstream/upstream_pool.hpp"

namespace mcpshim::upstream {

struct CallOutcome {
    json response;  // the JSON-RPC response object, or null
    UpstreamResult transport;
    std::string error;  // set when there is no usable response
};

// `pinned`: the one instance to ask (see UpstreamPool::send).
boost::asio::awaitable<CallOutcome> call_upstream(UpstreamPool& pool, std::string method, json params,
                                                  rewrite::SessionView session, std::string authorization,
                                                  std::string pinned = {});

// The identity the shim uses for its own upstream calls.
rewrite::SessionView shim_session_view();

}  // namespace mcpshim::upstream
