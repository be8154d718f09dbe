#include "relay/task_relay.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <ctime>
#include <set>

#include "relay/input_bridge.hpp"
#include "mcpshim/rewrite/option_names.hpp"
#include "mcpshim/rewrite/method_names.hpp"
#include "mcpshim/rewrite/legacy_response.hpp"
#include "mcpshim/rewrite/mrtr.hpp"
#include "mcpshim/rewrite/protocol_version.hpp"
#include "mcpshim/rewrite/task_state.hpp"
#include "mcpshim/rewrite/tasks.hpp"
#include "upstream/upstream_call.hpp"

namespace mcpshim::relay {

namespace net = boost::asio;
namespace code = rewrite::error_code;
using rewrite::make_error;
using rewrite::make_result;
using std::chrono::milliseconds;
using std::chrono::steady_clock;

namespace {

constexpr std::size_t list_page_size = 50;
constexpr auto progress_every = std::chrono::seconds(1);

std::string iso8601_now() {
    const std::time_t now = std::time(nullptr);
    std::tm utc{};
    gmtime_r(&now, &utc);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return text;
}

json task_id_params(const std::string& task_id) {
    json params = json::object();
    params["taskId"] = task_id;
    return params;
}

json update_params(const std::string& task_id, json input_responses) {
    json params = task_id_params(task_id);
    params["inputResponses"] = std::move(input_responses);
    return params;
}

json progress_notification(const json& token, std::size_t progress, const json& task, std::string_view version) {
    json params = json::object();
    params["progressToken"] = token;
    params["progress"] = progress;
    // `message` on progress arrived in 2025-03-26.
    if (rewrite::has_progress_message(version) && task.contains("statusMessage") && task["statusMessage"].is_string())
        params["message"] = task["statusMessage"];
    json notification = json::object();
    notification["jsonrpc"] = "2.0";
    notification["method"] = method_name::notification_progress;
    notification["params"] = std::move(params);
    return notification;
}

json upstream_failure(const upstream::CallOutcome& outcome, const std::string& what) {
    json data = json::object();
    data["upstream"] = outcome.transport.instance;
    return rewrite::make_error_object(
        code::internal_error, "upstream " + outcome.transport.instance + " failed " + what + ": " + outcome.error,
        std::move(data));
}

json unknown_task(const std::string& task_id) {
    return rewrite::make_error_object(
        code::invalid_params,
        "unknown task \"" + task_id + "\": it was not handed to this session, or was dropped (" + std::string(option::max_tasks) + " per session)");
}

milliseconds poll_interval(const json& task, const TaskPolling& polling) {
    milliseconds wanted = polling.min_interval;
    if (task.contains("pollIntervalMs") && task["pollIntervalMs"].is_number())
        wanted = milliseconds(task["pollIntervalMs"].get<long long>());
    return std::clamp(wanted, polling.min_interval, polling.max_interval);
}

// The input requests of a task still unanswered by this client.
rewrite::InputRound unanswered(const rewrite::InputRound& round, const std::set<std::string>& answered) {
    rewrite::InputRound open;
    for (const auto& request : round.requests)
        if (!answered.contains(request.key)) open.requests.push_back(request);
    return open;
}

json progress_token_of(const json& legacy_request) {
    const auto params = legacy_request.find("params");
    if (params == legacy_request.end() || !params->is_object() || !params->contains("_meta")) return nullptr;
    const auto& meta = (*params)["_meta"];
    return meta.is_object() && meta.contains("progressToken") ? meta["progressToken"] : json(nullptr);
}

}  // namespace

bool TaskRelay::is_task_method(std::string_view method) {
    return method == method_name::tasks_get || method == method_name::tasks_result || method == method_name::tasks_list || method == method_name::tasks_cancel;
}

net::awaitable<json> TaskRelay::serve(const rewrite::Message& message, const OpenSession& session, const Caller& caller,
                                      ReplyChannel& reply, std::shared_ptr<session::RequestCancel> cancel) {
    const auto& id = message.id();
    const std::string& method = message.method();
    if (method == method_name::tasks_list) {
        auto answer = co_await list(message, session, caller);
        co_return answer;
    }
    const json params = message.body.value("params", json::object());
    const auto task_id = params.is_object() ? params.value("taskId", json()) : json();
    if (!task_id.is_string()) co_return make_error(id, code::invalid_params, method + " needs params.taskId");
    auto record = co_await ctx_.store.find_task(session.claims.session_id, task_id.get<std::string>());
    if (!record) co_return rewrite::make_error_response(id, unknown_task(task_id.get<std::string>()));

    if (method == method_name::tasks_get) {
        auto view = co_await current_view(*record, session, caller);
        if (view.contains("code")) co_return rewrite::make_error_response(id, std::move(view));
        co_return make_result(id, std::move(view));
    }
    if (method == method_name::tasks_cancel) {
        auto answer = co_await cancel_task(id, std::move(*record), session, caller);
        co_return answer;
    }
    // tasks/result: what the original request would have returned, once the task ends.
    if (!record->held_result.is_null()) {
        json result = record->held_result;
        rewrite::tag_related_task(result, record->task_id);
        co_return make_result(id, std::move(result));
    }
    if (!record->cancelled_view.is_null())
        co_return make_error(id, code::internal_error, "task " + record->task_id + " was cancelled");
    DriveMode mode;
    mode.tag_related = true;
    auto answer = co_await drive(id, record->task_id, record->instance, session, caller, reply, cancel, mode);
    co_return answer;
}

net::awaitable<json> TaskRelay::adopt(const json& legacy_request, json modern_task, std::string instance,
                                      const OpenSession& session, const Caller& caller, ReplyChannel& reply,
                                      std::shared_ptr<session::RequestCancel> cancel, RequestLog& log) {
    const auto& id = legacy_request.at("id");
    const auto task_id = modern_task.value("taskId", json());
    if (!task_id.is_string())
        co_return make_error(id, code::internal_error, "the upstream answered with a task that has no taskId");
    const auto& claims = session.claims;
    if (rewrite::is_task_augmented(legacy_request) &&
        rewrite::legacy_client_uses_tasks(claims.protocol_version, claims.client_capabilities)) {
        session::TaskRecord record;
        record.task_id = task_id.get<std::string>();
        record.instance = std::move(instance);
        if (modern_task.contains("ttlMs") && modern_task["ttlMs"].is_number())
            record.forget_at = session::unix_now() + modern_task["ttlMs"].get<std::int64_t>() / 1000 + 1;
        const auto refused = co_await ctx_.store.remember_task(session::owner_of(claims), std::move(record));
        if (refused != session::StoreRefusal::none)
            co_return make_error(id, code::internal_error, ctx_.store.explain(refused) + "; the task cannot be kept");
        json result = json::object();
        result["task"] = rewrite::legacy_task(modern_task);
        co_return make_result(id, std::move(result));
    }
    log.note = "task " + task_id.get<std::string>() + " driven to its end for a client without tasks";
    DriveMode mode;
    mode.progress_token = progress_token_of(legacy_request);
    mode.cancel_on_stop = true;
    auto answer = co_await drive(id, task_id.get<std::string>(), std::move(instance), session, caller, reply,
                                 std::move(cancel), std::move(mode));
    co_return answer;
}

net::awaitable<json> TaskRelay::hold_result(json legacy_id, json legacy_result, const OpenSession& session) {
    const auto& claims = session.claims;
    session::TaskRecord record;
    record.task_id = "mcpshim-task-" + session::random_hex(12);
    record.held_task = rewrite::completed_legacy_task(record.task_id, iso8601_now());
    record.held_result = std::move(legacy_result);
    json result = json::object();
    result["task"] = record.held_task;
    const auto refused = co_await ctx_.store.remember_task(session::owner_of(claims), std::move(record));
    if (refused != session::StoreRefusal::none)
        co_return make_error(legacy_id, code::internal_error,
                             ctx_.store.explain(refused) + "; the task cannot be kept");
    co_return make_result(legacy_id, std::move(result));
}

net::awaitable<json> TaskRelay::drive(json legacy_id, std::string task_id, std::string instance,
                                      const OpenSession& session, const Caller& caller, ReplyChannel& reply,
                                      std::shared_ptr<session::RequestCancel> cancel, DriveMode mode) {
    const auto view = view_of(session);
    const auto& version = session.claims.protocol_version;
    const auto& polling = ctx_.settings.task_polling;
    const auto deadline = steady_clock::now() + polling.wait_timeout;
    net::steady_timer timer(co_await net::this_coro::executor);
    std::set<std::string> answered;
    std::size_t progress_sent = 0;
    std::string last_state;
    auto last_progress = steady_clock::now();
    json answer;  // stays null when the client stops waiting

    while (!cancel->cancelled) {
        auto got = co_await upstream::call_upstream(ctx_.upstream, method_name::tasks_get, task_id_params(task_id), view,
                                                    caller.authorization, instance);
        if (cancel->cancelled) break;
        if (got.response.is_null()) {
            answer = rewrite::make_error_response(legacy_id, upstream_failure(got, "while polling task " + task_id));
            break;
        }
        if (got.response.contains("error")) {
            answer = rewrite::make_error_response(
                legacy_id, rewrite::to_legacy_error(method_name::tasks_get, std::move(got.response["error"]), version));
            break;
        }
        json task = std::move(got.response["result"]);
        const auto state_of_task = rewrite::read_task_state(task);
        if (auto final = rewrite::final_task_answer(legacy_id, task_id, state_of_task, version, mode.tag_related)) {
            answer = std::move(*final);
            break;
        }
        std::string status = "input_required";
        std::string status_message;
        if (const auto* working = std::get_if<rewrite::task_state::Working>(&state_of_task)) {
            status = working->status;
            status_message = working->message;
        }
        if (const auto* input = std::get_if<rewrite::task_state::InputRequired>(&state_of_task)) {
            auto round = unanswered(input->round, answered);
            if (!round.requests.empty()) {
                if (mode.tag_related)
                    for (auto& request : round.requests) rewrite::tag_related_task(request.params, task_id);
                auto error = co_await answer_task_input(round, task_id, instance, session, caller, reply, cancel);
                if (cancel->cancelled) break;
                if (!error.is_null()) {
                    answer = rewrite::make_error_response(legacy_id, std::move(error));
                    break;
                }
                for (const auto& request : round.requests) answered.insert(request.key);
                continue;
            }
        }
        const std::string state = status + "\n" + status_message;
        if (!mode.progress_token.is_null() &&
            (state != last_state || steady_clock::now() - last_progress >= progress_every)) {
            if (!co_await reply.notify(progress_notification(mode.progress_token, ++progress_sent, task, version)))
                break;
            last_progress = steady_clock::now();
        }
        last_state = state;
        if (steady_clock::now() >= deadline) {
            answer = make_error(legacy_id, code::internal_error,
                                "task " + task_id + " is still " + status + " after " +
                                    std::to_string(polling.wait_timeout.count()) + " ms (" + std::string(option::task_wait_timeout_ms) + ")");
            break;
        }
        timer.expires_after(poll_interval(task, polling));
        co_await timer.async_wait(
            net::bind_cancellation_slot(cancel->signal.slot(), net::as_tuple(net::use_awaitable)));
    }
    // A client without tasks support was the only one that knew of this task.
    const bool unfinished = answer.is_null() || answer.contains("error");
    if (mode.cancel_on_stop && unfinished) co_await cancel_upstream(task_id, instance, session, caller);
    co_return answer;
}

net::awaitable<json> TaskRelay::answer_task_input(const rewrite::InputRound& round, const std::string& task_id,
                                                  const std::string& instance, const OpenSession& session,
                                                  const Caller& caller, ReplyChannel& reply,
                                                  const std::shared_ptr<session::RequestCancel>& cancel) {
    auto outcome =
        co_await ask_client(round, session.claims, reply, ctx_.store.inputs(), ctx_.settings.input_limits, cancel);
    if (cancel->cancelled) co_return nullptr;
    if (!outcome.error.is_null()) co_return std::move(outcome.error);
    auto updated = co_await upstream::call_upstream(ctx_.upstream, method_name::tasks_update,
                                                    update_params(task_id, std::move(outcome.input_responses)),
                                                    view_of(session), caller.authorization, instance);
    if (updated.response.is_null()) co_return upstream_failure(updated, "at tasks/update");
    if (updated.response.contains("error")) co_return std::move(updated.response["error"]);
    co_return nullptr;
}

net::awaitable<void> TaskRelay::cancel_upstream(std::string task_id, std::string instance, const OpenSession& session,
                                                const Caller& caller) {
    auto outcome = co_await upstream::call_upstream(ctx_.upstream, method_name::tasks_cancel, task_id_params(task_id),
                                                    view_of(session), caller.authorization, std::move(instance));
    if (outcome.response.is_null() || outcome.response.contains("error"))
        spdlog::info("sid={} task {} could not be cancelled upstream: {}", session.claims.session_id, task_id,
                     outcome.response.is_null() ? outcome.error : to_text(outcome.response["error"]));
}

net::awaitable<json> TaskRelay::current_view(session::TaskRecord record, const OpenSession& session,
                                             const Caller& caller) {
    if (!record.held_task.is_null()) co_return record.held_task;
    if (!record.cancelled_view.is_null()) co_return record.cancelled_view;
    auto got = co_await upstream::call_upstream(ctx_.upstream, method_name::tasks_get, task_id_params(record.task_id),
                                                view_of(session), caller.authorization, record.instance);
    if (got.response.is_null()) co_return upstream_failure(got, "at tasks/get");
    if (got.response.contains("error"))
        co_return rewrite::to_legacy_error(method_name::tasks_get, std::move(got.response["error"]),
                                           session.claims.protocol_version);
    co_return rewrite::legacy_task(got.response["result"]);
}

net::awaitable<json> TaskRelay::cancel_task(json legacy_id, session::TaskRecord record, const OpenSession& session,
                                            const Caller& caller) {
    auto view = co_await current_view(record, session, caller);
    if (view.contains("code")) co_return rewrite::make_error_response(legacy_id, std::move(view));
    const std::string status = string_member(view, "status");
    if (rewrite::is_terminal_task_status(status))
        co_return make_error(legacy_id, code::invalid_params, "task " + record.task_id + " is already " + status);
    auto outcome = co_await upstream::call_upstream(ctx_.upstream, method_name::tasks_cancel, task_id_params(record.task_id),
                                                    view_of(session), caller.authorization, record.instance);
    if (outcome.response.is_null())
        co_return rewrite::make_error_response(legacy_id, upstream_failure(outcome, "at tasks/cancel"));
    if (outcome.response.contains("error"))
        co_return rewrite::make_error_response(
            legacy_id, rewrite::to_legacy_error(method_name::tasks_cancel, std::move(outcome.response["error"]),
                                                session.claims.protocol_version));
    // Legacy cancellation is final from the client's side, whatever the
    // server's cooperative cancellation ends in.
    view["status"] = "cancelled";
    view["lastUpdatedAt"] = iso8601_now();
    co_await ctx_.store.mark_task_cancelled(session.claims.session_id, record.task_id, view);
    co_return make_result(legacy_id, std::move(view));
}

net::awaitable<json> TaskRelay::list(const rewrite::Message& message, const OpenSession& session,
                                     const Caller& caller) {
    const auto& id = message.id();
    std::size_t offset = 0;
    const json params = message.body.value("params", json::object());
    if (params.is_object() && params.contains("cursor")) {
        const auto& cursor = params["cursor"];
        const std::string text = cursor.is_string() ? cursor.get<std::string>() : std::string();
        if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos)
            co_return make_error(id, code::invalid_params, "unknown cursor for tasks/list");
        offset = std::stoull(text);
    }
    const auto records = co_await ctx_.store.list_tasks(session.claims.session_id);
    json tasks = json::array();
    std::size_t index = offset;
    for (; index < records.size() && tasks.size() < list_page_size; ++index) {
        auto view = co_await current_view(records[index], session, caller);
        // A task the upstream no longer knows is gone for tasks/get as well.
        if (view.contains("code")) continue;
        tasks.push_back(std::move(view));
    }
    json result = json::object();
    result["tasks"] = std::move(tasks);
    if (index < records.size()) result["nextCursor"] = std::to_string(index);
    co_return make_result(id, std::move(result));
}

}  // namespace mcpshim::relay
