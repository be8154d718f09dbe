#include "relay/input_bridge.hpp"

#include <boost/asio/this_coro.hpp>

#include <atomic>

#include "mcpshim/rewrite/option_names.hpp"
#include "mcpshim/rewrite/jsonrpc.hpp"

namespace mcpshim::relay {

namespace net = boost::asio;
namespace code = rewrite::error_code;

namespace {

std::atomic<std::uint64_t> next_input_id{0};

json failure(std::string message, json data = nullptr) {
    return rewrite::make_error_object(code::internal_error, std::move(message), std::move(data));
}

}  // namespace

net::awaitable<InputOutcome> ask_client(const rewrite::InputRound& round, const session::SessionClaims& claims,
                                        ReplyChannel& reply, session::PendingInputs& pending, InputLimits limits,
                                        std::shared_ptr<session::RequestCancel> cancel) {
    InputOutcome outcome{json::object(), nullptr};
    if (round.requests.size() > limits.max_requests_per_round) {
        outcome.error = failure("the upstream asked for " + std::to_string(round.requests.size()) +
                                " inputs in one round, over the limit of " +
                                std::to_string(limits.max_requests_per_round) + " (" + std::string(option::max_input_requests) + ")");
        co_return outcome;
    }
    for (const auto& request : round.requests) {
        if (auto missing = rewrite::missing_capability(request.method, claims.client_capabilities)) {
            outcome.error =
                failure("the upstream asked for " + request.method + ", but this client did not declare the \"" +
                        *missing + "\" capability at initialize; the shim does not forward it");
            co_return outcome;
        }
    }

    auto wait = std::make_shared<session::InputWait>(co_await net::this_coro::executor);
    std::vector<std::string> ids;
    for (const auto& request : round.requests) {
        const std::string id = "mcpshim-" + std::to_string(++next_input_id);
        ids.push_back(id);
        pending.expect(claims.session_id, id, wait);
        const bool sent = co_await reply.notify(rewrite::make_request(id, request.method, request.params));
        if (!sent) {
            for (const auto& known : ids) pending.forget(claims.session_id, known);
            outcome.error = failure("the client went away");
            co_return outcome;
        }
    }

    const auto deadline = std::chrono::steady_clock::now() + limits.answer_timeout;
    while (wait->answers.size() < ids.size() && !cancel->cancelled) {
        if (co_await wait->wake.wait_until(deadline, cancel->signal.slot()) == async::Woke::timed_out) break;
    }
    for (const auto& id : ids) pending.forget(claims.session_id, id);
    if (cancel->cancelled) {
        outcome.error = failure("cancelled by the client");
        co_return outcome;
    }

    for (std::size_t i = 0; i < ids.size(); ++i) {
        const auto& request = round.requests[i];
        const auto answer = wait->answers.find(ids[i]);
        if (answer == wait->answers.end()) {
            outcome.error = failure("the client did not answer " + request.method + " within " +
                                    std::to_string(limits.answer_timeout.count()) + " ms (" + std::string(option::input_timeout_ms) + ")");
            co_return outcome;
        }
        if (answer->second.contains("error")) {
            json data = json::object();
            data["clientError"] = answer->second["error"];
            outcome.error = failure("the client answered " + request.method + " with an error", std::move(data));
            co_return outcome;
        }
        // Bare results, keyed as the server named them.
        outcome.input_responses[request.key] = answer->second.value("result", json::object());
    }
    co_return outcome;
}

}  // namespace mcpshim::relay
