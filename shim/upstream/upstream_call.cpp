#include "upstream/upstream_call.hpp"

#include "mcpshim/rewrite/modern_request.hpp"
#include "mcpshim/rewrite/protocol_version.hpp"

namespace mcpshim::upstream {

rewrite::SessionView shim_session_view() {
    return rewrite::SessionView{std::string(rewrite::modern_version),
                                json{{"name", "mcpshim"}, {"version", MCPSHIM_VERSION}}, json::object(), std::nullopt};
}

boost::asio::awaitable<CallOutcome> call_upstream(UpstreamPool& pool, std::string method, json params,
                                                  rewrite::SessionView session, std::string authorization,
                                                  std::string pinned) {
    const json id = pool.next_request_id();
    json legacy{{"method", method}, {"params", std::move(params)}};
    const auto request = rewrite::to_modern_request(legacy, id, session, {});
    CallOutcome outcome;
    outcome.transport = co_await pool.send(request, authorization, [&](json message) -> boost::asio::awaitable<bool> {
        if (message.contains("id") && message["id"] == id && (message.contains("result") || message.contains("error")))
            outcome.response = std::move(message);
        co_return true;
    }, std::move(pinned));
    if (outcome.response.is_null()) {
        outcome.error = outcome.transport.failure == Failure::none ? "the upstream sent no JSON-RPC response (HTTP " +
                                                                         std::to_string(outcome.transport.status) + ")"
                                                                   : outcome.transport.detail;
    }
    co_return outcome;
}

}  // namespace mcpshim::upstream
