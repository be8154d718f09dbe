#include "mcpshim/rewrite/task_state.hpp"

#include "mcpshim/rewrite/jsonrpc.hpp"
#include "mcpshim/rewrite/legacy_response.hpp"
#include "mcpshim/rewrite/method_names.hpp"
#include "mcpshim/rewrite/tasks.hpp"

namespace mcpshim::rewrite {

TaskState read_task_state(const json& task) {
    if (!task.is_object()) return task_state::Malformed{"a task must be a JSON object"};
    const auto status_it = task.find("status");
    if (status_it == task.end() || !status_it->is_string())
        return task_state::Malformed{"the task has no string \"status\""};
    const std::string status = status_it->get<std::string>();
    if (status == "completed") {
        const auto result = task.find("result");
        if (result == task.end()) return task_state::Completed{json::object()};
        if (!result->is_object()) return task_state::Malformed{"the completed task's \"result\" is not an object"};
        return task_state::Completed{*result};
    }
    if (status == "failed") {
        const auto error = task.find("error");
        if (error != task.end() && is_error_object(*error)) return task_state::Failed{*error};
        return task_state::Failed{make_error_object(error_code::internal_error, "task failed")};
    }
    if (status == "cancelled") {
        auto message = string_member(task, "statusMessage");
        return task_state::Cancelled{message.empty() ? "no reason given" : std::move(message)};
    }
    if (status == "input_required") {
        auto read = read_input_required(task);
        if (auto* malformed = std::get_if<std::string>(&read)) return task_state::Malformed{*malformed};
        return task_state::InputRequired{std::move(std::get<InputRound>(read))};
    }
    return task_state::Working{status, string_member(task, "statusMessage")};
}

std::optional<json> final_task_answer(const json& legacy_id, const std::string& task_id, const TaskState& state,
                                      std::string_view version, bool tag_related) {
    if (const auto* completed = std::get_if<task_state::Completed>(&state)) {
        auto legacy = to_legacy_result(method_name::tools_call, completed->result, version);
        if (tag_related) tag_related_task(legacy.result, task_id);
        return make_result(legacy_id, std::move(legacy.result));
    }
    if (const auto* failed = std::get_if<task_state::Failed>(&state))
        return make_error_response(legacy_id, to_legacy_error(method_name::tools_call, failed->error, version));
    if (const auto* cancelled = std::get_if<task_state::Cancelled>(&state))
        return make_error(legacy_id, error_code::internal_error,
                          "task " + task_id + " was cancelled: " + cancelled->message);
    if (const auto* malformed = std::get_if<task_state::Malformed>(&state))
        return make_error(legacy_id, error_code::internal_error, "task " + task_id + ": " + malformed->reason);
    return std::nullopt;
}

}  // namespace mcpshim::rewrite
