#include "relay/request_relay.hpp"

#include "mcpshim/rewrite/option_names.hpp"
#include "mcpshim/rewrite/method_names.hpp"
#include "mcpshim/rewrite/safe_text.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/this_coro.hpp>

#include <algorithm>
#include <array>

#include "async/failpoint.hpp"
#include "async/guarded_spawn.hpp"
#include "relay/input_bridge.hpp"
#include "relay/request_log.hpp"
#include "relay/upstream_exchange.hpp"
#include "mcpshim/rewrite/capabilities.hpp"
#include "mcpshim/rewrite/legacy_response.hpp"
#include "mcpshim/rewrite/modern_request.hpp"
#include "mcpshim/rewrite/mrtr.hpp"
#include "mcpshim/rewrite/protocol_version.hpp"
#include "mcpshim/rewrite/tasks.hpp"
#include "mcpshim/rewrite/upstream_answer.hpp"
#include "session/pending_inputs.hpp"

namespace mcpshim::relay {

namespace net = boost::asio;
using rewrite::make_error;
using rewrite::make_result;
namespace code = rewrite::error_code;

namespace {
constexpr std::array<std::string_view, 8> log_levels{"debug", "info",     "notice", "warning",
                                                     "error", "critical", "alert",  "emergency"};

// Two requests under one id could be neither cancelled nor asked for input
// apart, so the second is refused while the first is under way.
json id_in_use(const json& id) {
    return make_error(id, code::invalid_request,
                      "request id " + rewrite::log_safe(to_text(id)) +
                          " is already in use by a request under way in this session; JSON-RPC ids must be unique");
}
// What the client is told when the upstream gave no response at all.
json no_answer_error(const json& legacy_id, const upstream::UpstreamResult& result, RequestLog& log) {
    const std::string reason = result.failure == upstream::Failure::none
                                   ? "the upstream ended its answer without a JSON-RPC response"
                                   : std::string(upstream::describe(result.failure)) + ": " + result.detail;
    log.note = reason;
    json data = json::object();
    data["upstream"] = result.instance;
    data["reason"] = std::string(upstream::describe(result.failure));
    return make_error(legacy_id, code::internal_error, "upstream " + result.instance + " failed: " + reason,
                      std::move(data));
}
}  // namespace

net::awaitable<std::optional<rewrite::ToolHeaderSpec>> RequestRelay::tool_headers(const json& request,
                                                                                  const OpenSession& session,
                                                                                  std::string authorization) {
    // Only a tools/call mirrors its arguments into Mcp-Param-* headers.
    if (string_member(request, "method") != method_name::tools_call) co_return std::nullopt;
    const auto params = request.find("params");
    const auto name = params != request.end() ? string_member(*params, "name") : std::string();
    if (name.empty()) co_return std::nullopt;
    auto tool = co_await ctx_.tool_schemas.find(name, session.claims.principal, std::move(authorization),
                                                view_of(session));
    co_return tool;
}

void RequestRelay::accept_from_client(const rewrite::Message& message, const OpenSession& session) {
    const auto& sid = session.claims.session_id;
    if (message.is_response()) {
        if (!ctx_.store.inputs().deliver(sid, message.body))
            // Only the id: an answer's content can be personal (an elicitation's form).
            spdlog::debug("sid={} a response to no pending request (id {})", sid,
                          rewrite::log_safe(to_text(message.body.value("id", json()))));
    } else if (message.kind == rewrite::MessageKind::notification && message.method() == method_name::notification_cancelled) {
        const auto params = message.body.value("params", json::object());
        if (params.contains("requestId"))
            ctx_.store.in_flight().cancel(sid, session::request_id_key(params["requestId"]));
    }
    // Other notifications (initialized, roots/list_changed) have nothing to
    // reach upstream in 2026-07-28.
}

net::awaitable<bool> RequestRelay::serve(const rewrite::Message& message, OpenSession& session, Caller caller,
                                         ReplyChannel& reply, RequestLog& log) {
    // The boundary for every face: whatever escapes is logged, and the client
    // still gets an answer for its request.
    std::exception_ptr failure;
    std::optional<std::string> store_away;  // not the shim's failure: the client may try again
    try {
        async::failpoint("relay.serve", message.method());  // e.g. relay.serve:tools/call
        const bool alive = co_await route(message, session, std::move(caller), reply, log);
        co_return alive;
    } catch (const session::StoreUnavailable& e) {
        store_away = e.what();
    } catch (...) {
        failure = std::current_exception();
    }
    if (store_away) {
        log.note = *store_away;
        const bool alive = co_await reply.respond(make_error(message.id(), code::internal_error, *store_away));
        co_return alive;
    }
    const auto what = async::describe(failure);
    spdlog::error("sid={} rpc={}: the shim failed on this request: {}", session.claims.session_id,
                  rewrite::log_safe(rpc_name(message)), what);
    log.note = "failed in the shim: " + what;
    const bool alive = co_await reply.respond(
        make_error(message.id(), code::internal_error, "the shim failed on this request: " + what));
    co_return alive;
}

net::awaitable<bool> RequestRelay::route(const rewrite::Message& message, OpenSession& session, Caller caller,
                                         ReplyChannel& reply, RequestLog& log) {
    const auto& id = message.id();
    const std::string& method = message.method();
    json answer;
    if (method == method_name::ping) {
        answer = make_result(id, json::object());
    } else if (method == method_name::initialize) {
        answer = make_error(id, code::invalid_request, "initialize must not be part of a batch");
    } else if (method == method_name::logging_set_level) {
        answer = co_await set_log_level(message, session);
    } else if (method == method_name::resources_subscribe || method == method_name::resources_unsubscribe) {
        answer = co_await change_subscription(message, session, caller.authorization);
    } else if (TaskRelay::is_task_method(method)) {
        answer = co_await serve_task_method(message, session, caller, reply);
        if (answer.is_null()) {
            const bool open = co_await end_cancelled(reply, log);
            co_return open;
        }
    } else if (method == method_name::server_discover || method == method_name::subscriptions_listen || method == method_name::tasks_update) {
        answer = make_error(id, code::method_not_found,
                            method + " is a 2026-07-28 method; this session speaks " + session.claims.protocol_version);
    } else {
        const bool alive = co_await forward(message, session, caller, reply, log);
        co_return alive;
    }
    const bool alive = co_await reply.respond(std::move(answer));
    co_return alive;
}

net::awaitable<json> RequestRelay::serve_task_method(const rewrite::Message& message, const OpenSession& session,
                                                     const Caller& caller, ReplyChannel& reply) {
    const auto& claims = session.claims;
    if (!rewrite::legacy_client_uses_tasks(claims.protocol_version, claims.client_capabilities))
        co_return make_error(
            message.id(), code::method_not_found,
            message.method() + " needs protocol 2025-11-25 and the tasks capability declared at initialize");
    // tasks/result waits: notifications/cancelled must be able to stop it.
    const session::InFlightScope in_flight(ctx_.store.in_flight(), claims.session_id,
                                           session::request_id_key(message.id()), co_await net::this_coro::executor);
    if (!in_flight.admitted()) co_return id_in_use(message.id());
    auto answer = co_await tasks_.serve(message, session, caller, reply, in_flight.cancel());
    co_return answer;
}

net::awaitable<bool> RequestRelay::end_cancelled(ReplyChannel& reply, RequestLog& log) {
    // The client said it no longer wants an answer; it gets none.
    if (log.note.empty()) log.note = "cancelled by the client";
    const bool open = co_await reply.open();
    co_return open;
}

net::awaitable<json> RequestRelay::set_log_level(const rewrite::Message& message, OpenSession& session) {
    const auto& id = message.id();
    const auto level = message.body.contains("params") ? message.body["params"].value("level", json()) : json();
    if (!level.is_string() ||
        std::find(log_levels.begin(), log_levels.end(), level.get<std::string>()) == log_levels.end())
        co_return make_error(id, code::invalid_params,
                             "level must be one of debug, info, notice, warning, error, critical, alert, emergency");
    const auto refused = co_await ctx_.store.set_log_level(session::owner_of(session.claims), level.get<std::string>());
    if (refused != session::StoreRefusal::none)
        co_return make_error(id, code::internal_error, ctx_.store.explain(refused) + "; level not set");
    session.state.log_level = level.get<std::string>();
    co_return make_result(id, json::object());
}

net::awaitable<json> RequestRelay::change_subscription(const rewrite::Message& message, OpenSession& session,
                                                       std::string authorization) {
    const auto& id = message.id();
    const auto uri = message.body.contains("params") ? message.body["params"].value("uri", json()) : json();
    if (!uri.is_string()) co_return make_error(id, code::invalid_params, "params.uri must be a string");
    auto discovered = co_await ctx_.discover.get(session.claims.principal, authorization);
    if (!discovered.info || !rewrite::supports_resource_subscriptions(discovered.info->capabilities))
        co_return make_error(id, code::method_not_found,
                             "the upstream does not offer resource subscriptions (no resources.subscribe capability)");
    const auto& sid = session.claims.session_id;
    if (message.method() == method_name::resources_subscribe) {
        const auto refused = co_await ctx_.store.subscribe(session::owner_of(session.claims), uri.get<std::string>());
        if (refused != session::StoreRefusal::none)
            co_return make_error(id, code::internal_error, ctx_.store.explain(refused) + "; not subscribed");
    } else {
        const auto refused = co_await ctx_.store.unsubscribe(sid, uri.get<std::string>());
        if (refused != session::StoreRefusal::none)
            co_return make_error(id, code::internal_error, ctx_.store.explain(refused) + "; still subscribed");
    }
    // The session's GET stream listens anew (on another instance, told by the store).
    ctx_.store.streams().changed(sid);
    co_return make_result(id, json::object());
}

// One forwarded request on its way through its upstream exchanges.
struct RequestRelay::Forwarding {
    const rewrite::Message& message;
    OpenSession& session;
    const Caller& caller;
    ReplyChannel& reply;
    RequestLog& log;
    std::shared_ptr<session::RequestCancel> cancel;
    const json* current;             // the client's request, or `retried` once there is one
    std::optional<json> retried;     // the request again, its params grown by inputResponses
    std::size_t rounds = 0;          // input rounds played with the client
    bool schema_refreshed = false;   // the tool schemas were learnt again once
};

// What one upstream answer leads to.
struct RequestRelay::Step {
    enum class Next { respond, retry, cancelled, client_gone } next;
    json answer = nullptr;  // for respond
    AnswerKind kind = AnswerKind::answered;
};

net::awaitable<bool> RequestRelay::forward(const rewrite::Message& message, OpenSession& session, const Caller& caller,
                                           ReplyChannel& reply, RequestLog& log) {
    // notifications/cancelled for this request stops the upstream exchange.
    const session::InFlightScope in_flight(ctx_.store.in_flight(), session.claims.session_id,
                                           session::request_id_key(message.id()), co_await net::this_coro::executor);
    if (!in_flight.admitted()) {
        const bool alive = co_await reply.respond(id_in_use(message.id()));
        co_return alive;
    }
    Forwarding state{message, session, caller, reply, log, in_flight.cancel(), &message.body, std::nullopt};
    // 2025-11-25 clients may be asked to poll when the answer is slow.
    const auto poll_after = rewrite::resumes_by_polling(session.claims.protocol_version) ? ctx_.settings.poll_after
                                                                                         : std::chrono::milliseconds(0);
    for (;;) {
        const auto tool = co_await tool_headers(*state.current, session, caller.authorization);
        const json upstream_id = ctx_.upstream.next_request_id();
        auto modern = rewrite::to_modern_request(*state.current, upstream_id, view_of(session), caller.trace,
                                                 tool ? &*tool : nullptr);
        const ExchangeTiming timing{state.rounds == 0 ? poll_after : std::chrono::milliseconds(0),
                                    ctx_.settings.outbox};
        auto exchange = co_await relay_exchange(ctx_.upstream, std::move(modern), caller.authorization, upstream_id,
                                                reply, state.cancel, timing);
        auto step = co_await settle(state, std::move(exchange));
        switch (step.next) {
            case Step::Next::retry:
                continue;
            case Step::Next::client_gone:
                co_return false;
            case Step::Next::cancelled: {
                // The client said it no longer wants an answer: closing the
                // upstream stream told the server; the client gets none.
                const bool open = co_await end_cancelled(reply, log);
                co_return open;
            }
            case Step::Next::respond:
                break;
        }
        const bool alive = co_await reply.respond(std::move(step.answer), step.kind);
        co_return alive;
    }
}

net::awaitable<RequestRelay::Step> RequestRelay::settle(Forwarding& state, ExchangeOutcome exchange) {
    using Next = Step::Next;
    if (exchange.cancelled) co_return Step{Next::cancelled};
    const auto& result = exchange.result;
    state.log.upstream = result.instance;
    if (!exchange.client_alive) co_return Step{Next::client_gone};
    const auto& legacy_id = state.message.id();
    const std::string& method = state.message.method();
    const auto& session = state.session;

    auto upstream_answer = rewrite::classify_upstream_answer(std::move(exchange.final_response));
    if (auto* error = std::get_if<rewrite::answer::Error>(&upstream_answer)) {
        if (error->code == code::header_mismatch && method == method_name::tools_call && !state.schema_refreshed) {
            // The tool's schema changed under us: learn it again and retry once.
            state.schema_refreshed = true;
            ctx_.tool_schemas.invalidate(session.claims.principal);
            co_return Step{Next::retry};
        }
        co_return Step{Next::respond,
                       rewrite::make_error_response(legacy_id, rewrite::to_legacy_error(method, std::move(error->error),
                                                                                        session.claims.protocol_version))};
    }
    if (auto* input = std::get_if<rewrite::answer::InputRequired>(&upstream_answer)) {
        auto step = co_await provide_input(state, input->round);
        co_return step;
    }
    if (auto* task = std::get_if<rewrite::answer::Task>(&upstream_answer)) {
        auto answer = co_await tasks_.adopt(state.message.body, std::move(task->result), result.instance, session,
                                            state.caller, state.reply, state.cancel, state.log);
        co_return answer.is_null() ? Step{Next::cancelled} : Step{Next::respond, std::move(answer)};
    }
    if (auto* complete = std::get_if<rewrite::answer::Complete>(&upstream_answer)) {
        auto answer = co_await legacy_answer(state.message.body, session, std::move(complete->result), result.instance,
                                             state.caller.authorization, state.log);
        co_return Step{Next::respond, std::move(answer)};
    }
    if (auto* malformed = std::get_if<rewrite::answer::Malformed>(&upstream_answer)) {
        state.log.note = malformed->reason;
        co_return Step{Next::respond, make_error(legacy_id, code::internal_error, malformed->reason)};
    }
    // No answer: say which upstream failed and how, and never leave the client waiting.
    const auto kind =
        result.failure == upstream::Failure::timeout ? AnswerKind::upstream_timed_out : AnswerKind::upstream_failed;
    co_return Step{Next::respond, no_answer_error(legacy_id, result, state.log), kind};
}

net::awaitable<RequestRelay::Step> RequestRelay::provide_input(Forwarding& state, const rewrite::InputRound& round) {
    using Next = Step::Next;
    const auto& limits = ctx_.settings.input_limits;
    const auto& legacy_id = state.message.id();
    if (++state.rounds > limits.max_rounds)
        co_return Step{Next::respond, make_error(legacy_id, code::internal_error,
                                                 "the upstream still wants input after " +
                                                     std::to_string(limits.max_rounds) + " rounds (" + std::string(option::max_input_rounds) + ")")};
    auto outcome =
        co_await ask_client(round, state.session.claims, state.reply, ctx_.store.inputs(), limits, state.cancel);
    if (state.cancel->cancelled) co_return Step{Next::cancelled};
    if (!outcome.error.is_null()) {
        state.log.note = outcome.error.value("message", "");
        co_return Step{Next::respond, rewrite::make_error_response(legacy_id, std::move(outcome.error))};
    }
    if (!state.retried) state.retried = state.message.body;
    state.current = &*state.retried;
    (*state.retried)["params"] = rewrite::retry_params(state.retried->value("params", json::object()),
                                                       std::move(outcome.input_responses), round.request_state);
    co_return Step{Next::retry};
}

net::awaitable<json> RequestRelay::legacy_answer(const json& legacy_request, const OpenSession& session, json result,
                                                 std::string instance, std::string authorization, RequestLog& log) {
    const auto& legacy_id = legacy_request.at("id");
    const std::string& method = legacy_request.at("method").get_ref<const std::string&>();
    const auto& claims = session.claims;
    const auto result_type = rewrite::result_type_of(result);
    if (result_type != "complete") {
        log.note = "upstream answered resultType " + std::string(result_type);
        json data = json::object();
        data["upstream"] = instance;
        data["answer"] = std::move(result);
        co_return make_error(legacy_id, code::internal_error,
                             "the upstream answered " + method + " with resultType \"" + std::string(result_type) +
                                 "\", which no legacy version has",
                             std::move(data));
    }
    if (method == method_name::tools_list) ctx_.tool_schemas.observe(claims.principal, result);
    auto legacy = rewrite::to_legacy_result(method, std::move(result), claims.protocol_version);
    for (const auto& dropped : legacy.dropped) spdlog::info("sid={} {}: {}", log.session, method, dropped);
    const bool task_client = rewrite::legacy_client_uses_tasks(claims.protocol_version, claims.client_capabilities);
    if (task_client && method == method_name::tools_list) {
        auto discovered = co_await ctx_.discover.get(claims.principal, authorization);
        if (discovered.info && rewrite::server_offers_tasks(discovered.info->capabilities))
            rewrite::offer_task_support(legacy.result);
    }
    // The client asked for a task and the upstream answered at once.
    if (task_client && rewrite::is_task_augmented(legacy_request)) {
        auto held = co_await tasks_.hold_result(legacy_id, std::move(legacy.result), session);
        co_return held;
    }
    co_return make_result(legacy_id, std::move(legacy.result));
}

}  // namespace mcpshim::relay
