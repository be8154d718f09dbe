#include "mcpshim/rewrite/capabilities.hpp"

#include "mcpshim/rewrite/protocol_version.hpp"
#include "mcpshim/rewrite/tasks.hpp"

namespace mcpshim::rewrite {

json modern_client_capabilities(const json& legacy) {
    json modern = json::object();
    if (legacy.is_object()) {
        for (auto it = legacy.begin(); it != legacy.end(); ++it) {
            if (it.key() == "tasks") continue;
            if (it.key() == "roots") {
                modern["roots"] = json::object();
                continue;
            }
            modern[it.key()] = it.value();
        }
    }
    // The shim drives any task the server hands out, for every client: it
    // polls on behalf of those that cannot.
    json& extensions = modern["extensions"];
    if (!extensions.is_object()) extensions = json::object();
    extensions[std::string(tasks_extension)] = json::object();
    return modern;
}

json legacy_server_capabilities(const json& modern, std::string_view version, ShimProvided provided) {
    json legacy = json::object();
    if (modern.is_object()) {
        for (auto it = modern.begin(); it != modern.end(); ++it) {
            // `extensions` is 2026-only; tasks are mapped by the tasks bridge, not advertised blindly.
            if (it.key() == "extensions" || it.key() == "tasks" || it.key() == "logging") continue;
            // `completions` appeared in 2025-03-26.
            if (it.key() == "completions" && !at_least(version, "2025-03-26")) continue;
            legacy[it.key()] = it.value();
        }
    }
    if (legacy.contains("resources") && legacy["resources"].is_object()) {
        if (provided.resource_subscribe)
            legacy["resources"]["subscribe"] = true;
        else
            legacy["resources"].erase("subscribe");
    }
    if (provided.logging) legacy["logging"] = json::object();
    if (provided.tasks) legacy["tasks"] = legacy_tasks_capability();
    return legacy;
}

namespace {
bool flag(const json& capabilities, const char* area, const char* name) {
    if (!capabilities.is_object() || !capabilities.contains(area) || !capabilities[area].is_object()) return false;
    const auto& value = capabilities[area];
    return value.contains(name) && value[name] == true;
}
}  // namespace

bool supports_resource_subscriptions(const json& capabilities) {
    return flag(capabilities, "resources", "subscribe");
}

json listen_filter(const json& capabilities, const std::vector<std::string>& resource_uris) {
    json filter = json::object();
    if (flag(capabilities, "tools", "listChanged")) filter["toolsListChanged"] = true;
    if (flag(capabilities, "prompts", "listChanged")) filter["promptsListChanged"] = true;
    if (flag(capabilities, "resources", "listChanged")) filter["resourcesListChanged"] = true;
    if (supports_resource_subscriptions(capabilities) && !resource_uris.empty())
        filter["resourceSubscriptions"] = resource_uris;
    return filter;
}

}  // namespace mcpshim::rewrite
