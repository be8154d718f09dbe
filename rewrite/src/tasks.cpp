#include "mcpshim/rewrite/method_names.hpp"
#include "mcpshim/rewrite/tasks.hpp"

#include "mcpshim/rewrite/protocol_version.hpp"

namespace mcpshim::rewrite {

bool server_offers_tasks(const json& capabilities) {
    if (!capabilities.is_object()) return false;
    const auto extensions = capabilities.find("extensions");
    return extensions != capabilities.end() && extensions->is_object() &&
           extensions->contains(std::string(tasks_extension));
}

bool legacy_client_uses_tasks(std::string_view version, const json& capabilities) {
    return at_least(version, "2025-11-25") && capabilities.is_object() && capabilities.contains("tasks") &&
           capabilities["tasks"].is_object();
}

json legacy_tasks_capability() {
    json capability = json::object();
    capability["list"] = json::object();
    capability["cancel"] = json::object();
    capability["requests"]["tools"]["call"] = json::object();
    return capability;
}

bool is_task_augmented(const json& request) {
    if (!request.is_object() || request.value("method", "") != method_name::tools_call) return false;
    const auto params = request.find("params");
    return params != request.end() && params->is_object() && params->contains("task") &&
           (*params)["task"].is_object();
}

bool is_terminal_task_status(std::string_view status) {
    return status == "completed" || status == "failed" || status == "cancelled";
}

json legacy_task(const json& modern) {
    json task = json::object();
    if (!modern.is_object()) return task;
    for (const char* field : {"taskId", "status", "statusMessage", "createdAt", "lastUpdatedAt"})
        if (modern.contains(field)) task[field] = modern[field];
    // Legacy requires `ttl` (null for unlimited).
    task["ttl"] = modern.contains("ttlMs") ? modern["ttlMs"] : json(nullptr);
    if (modern.contains("pollIntervalMs")) task["pollInterval"] = modern["pollIntervalMs"];
    return task;
}

json completed_legacy_task(std::string task_id, const std::string& now) {
    json task = json::object();
    task["taskId"] = std::move(task_id);
    task["status"] = "completed";
    task["createdAt"] = now;
    task["lastUpdatedAt"] = now;
    task["ttl"] = nullptr;
    return task;
}

void offer_task_support(json& result) {
    if (!result.is_object() || !result.contains("tools") || !result["tools"].is_array()) return;
    for (auto& tool : result["tools"]) {
        if (!tool.is_object()) continue;
        json& execution = tool["execution"];
        if (!execution.is_object()) execution = json::object();
        if (!execution.contains("taskSupport")) execution["taskSupport"] = "optional";
    }
}

void tag_related_task(json& object, const std::string& task_id) {
    if (!object.is_object()) return;
    json& meta = object["_meta"];
    if (!meta.is_object()) meta = json::object();
    meta[std::string(related_task_meta_key)]["taskId"] = task_id;
}

}  // namespace mcpshim::rewrite
