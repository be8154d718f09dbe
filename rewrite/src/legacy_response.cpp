#include "mcpshim/rewrite/method_names.hpp"
#include "mcpshim/rewrite/legacy_response.hpp"

#include "mcpshim/rewrite/header_encoding.hpp"
#include "mcpshim/rewrite/jsonrpc.hpp"
#include "mcpshim/rewrite/modern_request.hpp"
#include "mcpshim/rewrite/protocol_version.hpp"

namespace mcpshim::rewrite {
namespace {

void strip_modern_meta(json& object) {
    const auto meta = object.find("_meta");
    if (meta == object.end() || !meta->is_object()) return;
    for (auto key : {meta_key::server_info, meta_key::subscription_id, meta_key::protocol_version})
        meta->erase(std::string(key));
    if (meta->empty()) object.erase(meta);
}

// A content block the legacy version has no type for becomes text that says
// what it was, so the client still sees it.
void downgrade_block(json& block, std::string_view version, std::vector<std::string>& dropped) {
    if (!block.is_object()) return;
    const auto type = block.value("type", "");
    if (type == "resource_link" && !at_least(version, "2025-06-18")) {
        std::string text = "Resource: " + block.value("uri", "");
        if (block.contains("name") && block["name"].is_string()) text += " (" + block["name"].get<std::string>() + ")";
        block = json{{"type", "text"}, {"text", std::move(text)}};
        dropped.push_back("resource_link content block sent as text (not in " + std::string(version) + ")");
    } else if (type == "audio" && !at_least(version, "2025-03-26")) {
        block = json{{"type", "text"}, {"text", "[audio content (" + block.value("mimeType", "") + ") omitted]"}};
        dropped.push_back("audio content block replaced by text (not in " + std::string(version) + ")");
    }
}

void downgrade_content(json& content, std::string_view version, std::vector<std::string>& dropped) {
    if (content.is_array()) {
        for (auto& block : content) downgrade_block(block, version, dropped);
    } else {
        downgrade_block(content, version, dropped);
    }
}

}  // namespace

std::variant<DiscoverInfo, std::string> read_discover_result(const json& result) {
    if (!result.is_object()) return std::string("the server/discover result is not an object");
    DiscoverInfo info;
    const auto versions = result.find("supportedVersions");
    if (versions == result.end() || !versions->is_array())
        return std::string("the server/discover result has no supportedVersions list");
    for (const auto& v : *versions)
        if (v.is_string()) info.supported_versions.push_back(v.get<std::string>());
    bool speaks_modern = false;
    for (const auto& v : info.supported_versions) speaks_modern = speaks_modern || v == modern_version;
    if (!speaks_modern)
        return "the upstream does not support " + std::string(modern_version) + " (it lists " + versions->dump() + ")";
    if (result.contains("capabilities") && result["capabilities"].is_object())
        info.capabilities = result["capabilities"];
    if (result.contains("_meta") && result["_meta"].is_object()) {
        const auto& meta = result["_meta"];
        const auto server_info = meta.find(std::string(meta_key::server_info));
        if (server_info != meta.end() && server_info->is_object()) info.server_info = *server_info;
    }
    if (info.server_info.is_null() && result.contains("serverInfo") && result["serverInfo"].is_object())
        info.server_info = result["serverInfo"];
    if (result.contains("instructions") && result["instructions"].is_string())
        info.instructions = result["instructions"].get<std::string>();
    if (result.contains("ttlMs") && result["ttlMs"].is_number_integer()) info.ttl_ms = result["ttlMs"].get<long long>();
    if (info.ttl_ms < 0) info.ttl_ms = 0;
    info.public_scope = result.value("cacheScope", "private") == "public";
    return info;
}

json initialize_result(const DiscoverInfo& discover, std::string_view version, ShimProvided provided,
                       const json& fallback_server_info) {
    json result{{"protocolVersion", version},
                {"capabilities", legacy_server_capabilities(discover.capabilities, version, provided)},
                {"serverInfo", discover.server_info.is_object() ? discover.server_info : fallback_server_info}};
    if (discover.instructions) result["instructions"] = *discover.instructions;
    return result;
}

std::string_view result_type_of(const json& result) {
    const auto it = result.find("resultType");
    if (it == result.end() || !it->is_string()) return "complete";
    return it->get_ref<const std::string&>();
}

LegacyResult to_legacy_result(std::string_view method, json result, std::string_view version) {
    LegacyResult out;
    if (!result.is_object()) {
        out.result = std::move(result);
        return out;
    }
    result.erase("resultType");
    result.erase("ttlMs");
    result.erase("cacheScope");
    strip_modern_meta(result);

    if (method == method_name::tools_list && result.contains("tools") && result["tools"].is_array()) {
        json kept = json::array();
        for (auto& tool : result["tools"]) {
            const auto schema = tool.find("inputSchema");
            auto spec = inspect_tool_headers(schema != tool.end() ? *schema : json::object());
            if (spec.valid) {
                kept.push_back(std::move(tool));
            } else {
                out.dropped.push_back("tool \"" + tool.value("name", "?") + "\" hidden: " + spec.reason);
            }
        }
        result["tools"] = std::move(kept);
    } else if (method == method_name::tools_call) {
        if (result.contains("content")) downgrade_content(result["content"], version, out.dropped);
        // 2026 allows any JSON value here; every legacy version requires an object.
        if (result.contains("structuredContent") && !result["structuredContent"].is_object()) {
            result.erase("structuredContent");
            out.dropped.push_back("non-object structuredContent removed (legacy requires an object)");
        }
    } else if (method == method_name::prompts_get && result.contains("messages") && result["messages"].is_array()) {
        for (auto& message : result["messages"])
            if (message.is_object() && message.contains("content"))
                downgrade_content(message["content"], version, out.dropped);
    }
    out.result = std::move(result);
    return out;
}

json to_legacy_error(std::string_view method, json error, std::string_view version) {
    if (!error.is_object()) return error;
    const int code = error.value("code", 0);
    // 2026 reports a missing resource as invalid params with data.uri; every
    // legacy version has its own code for it.
    if (method == method_name::resources_read && code == error_code::invalid_params && error.contains("data") &&
        error["data"].is_object() && error["data"].contains("uri") && is_legacy_version(version))
        error["code"] = error_code::legacy_resource_not_found;
    // Codes that only exist in 2026-07-28 mean the translated request itself
    // was refused; a legacy client knows them only as an internal error.
    if (code == error_code::header_mismatch || code == error_code::unsupported_protocol_version) {
        error["code"] = error_code::internal_error;
        error["message"] = "the upstream refused the translated request (modern error " + std::to_string(code) +
                           "): " + error.value("message", std::string());
    }
    return error;
}

json to_legacy_notification(json notification) {
    if (notification.is_object() && notification.contains("params") && notification["params"].is_object())
        strip_modern_meta(notification["params"]);
    return notification;
}

}  // namespace mcpshim::rewrite
