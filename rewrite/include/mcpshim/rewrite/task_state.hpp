#pragma once
// What a modern `tasks/get` result says of its task, decided once and
// without a throwing accessor: the shim drives the task on that.
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "mcpshim/rewrite/json.hpp"
#include "mcpshim/rewrite/mrtr.hpp"

namespace mcpshim::rewrite {

namespace task_state {
struct Completed {       // status "completed": the call's result (an empty object when inlined none)
    json result;
};
struct Failed {          // status "failed": a JSON-RPC error object (made up when the task has none)
    json error;
};
struct Cancelled {       // status "cancelled"
    std::string message;
};
struct InputRequired {   // status "input_required": what the task asks of the client
    InputRound round;
};
struct Working {         // any other status: poll again
    std::string status;
    std::string message;  // statusMessage, or empty
};
struct Malformed {
    std::string reason;
};
}  // namespace task_state

using TaskState = std::variant<task_state::Completed, task_state::Failed, task_state::Cancelled,
                               task_state::InputRequired, task_state::Working, task_state::Malformed>;

// `task` is the result object of a modern tasks/get.
TaskState read_task_state(const json& task);

// The legacy client's answer (to `legacy_id`, a tools/call or tasks/result)
// that a task in `state` ends with; nullopt while the task is working or asks
// for input. `tag_related`: 2025-11-25 tasks/result marks the related task.
std::optional<json> final_task_answer(const json& legacy_id, const std::string& task_id, const TaskState& state,
                                      std::string_view version, bool tag_related);

}  // namespace mcpshim::rewrite
