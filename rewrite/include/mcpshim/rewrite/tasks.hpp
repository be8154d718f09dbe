#pragma once
// Tasks between the eras. 2025-11-25 clients ask for a task with
// `params.task` and drive it with tasks/get, tasks/result, tasks/list and
// tasks/cancel; 2026-07-28 moved tasks to the `io.modelcontextprotocol/tasks`
// extension, where the server alone decides to answer `resultType: "task"`
// and the client drives it with tasks/get, tasks/update and tasks/cancel.
#include <string>
#include <string_view>

#include "mcpshim/rewrite/json.hpp"

namespace mcpshim::rewrite {

inline constexpr std::string_view tasks_extension = "io.modelcontextprotocol/tasks";
inline constexpr std::string_view related_task_meta_key = "io.modelcontextprotocol/related-task";

// Whether a server/discover capabilities object declares the extension.
bool server_offers_tasks(const json& modern_server_capabilities);

// Whether a legacy session may use the 2025-11-25 task methods: the version
// has them and the client declared `tasks` at initialize.
bool legacy_client_uses_tasks(std::string_view version, const json& legacy_client_capabilities);

// The legacy server capability the shim can honour for such a client:
// task-augmented tools/call, tasks/list and tasks/cancel.
json legacy_tasks_capability();

// A legacy request that asked for task-augmented execution.
bool is_task_augmented(const json& legacy_request);

bool is_terminal_task_status(std::string_view status);

// A modern task (CreateTaskResult or tasks/get result) as a legacy `Task`:
// `ttlMs`/`pollIntervalMs` become `ttl`/`pollInterval`; the inlined
// result, error and inputRequests of the modern DetailedTask are left out.
json legacy_task(const json& modern_task);

// A legacy task that the shim made up for an upstream that answered at once.
json completed_legacy_task(std::string task_id, const std::string& now_iso8601);

// Marks every tool of a legacy tools/list result as accepting task
// augmentation, unless it says otherwise: the shim can honour a task
// request for any tool.
void offer_task_support(json& legacy_tools_list_result);

// `_meta` of a message that belongs to a task (2025-11-25).
void tag_related_task(json& object_with_meta, const std::string& task_id);

}  // namespace mcpshim::rewrite
