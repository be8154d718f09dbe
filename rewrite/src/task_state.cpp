#include "mcpshim/rewrite/task_state.hpp"

#include "mcpshim/rewrite/jsonrpc.hpp"

namespace mcpshim::rewrite {

namespace {
bool is_error_object(const json& error) {
    const auto code = error.find("code");
    const auto message = error.find("message");
    return error.is_object() && code != error.end() && code->is_number_integer() && message != error.end() &&
           message->is_string();
}
}  // namespace

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
        return task_state::Failed{make_error(nullptr, error_code::internal_error, "task failed")["error"]};
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

}  // namespace mcpshim::rewrite
