#include "mcpshim/rewrite/method_names.hpp"
#include "mcpshim/rewrite/modern_request.hpp"

#include "mcpshim/rewrite/capabilities.hpp"
#include "mcpshim/rewrite/protocol_version.hpp"

namespace mcpshim::rewrite {

json modern_meta(const SessionView& session, const TraceContext& trace) {
    json meta = json::object();
    meta[meta_key::protocol_version] = modern_version;
    meta[meta_key::client_capabilities] = modern_client_capabilities(session.client_capabilities);
    if (session.client_info.is_object()) meta[meta_key::client_info] = session.client_info;
    if (session.log_level) meta[meta_key::log_level] = *session.log_level;
    if (!trace.traceparent.empty()) meta[meta_key::traceparent] = trace.traceparent;
    if (!trace.tracestate.empty()) meta[meta_key::tracestate] = trace.tracestate;
    if (!trace.baggage.empty()) meta[meta_key::baggage] = trace.baggage;
    return meta;
}

std::optional<std::string> mcp_name_of(std::string_view method, const json& params) {
    const char* field = nullptr;
    if (method == method_name::tools_call || method == method_name::prompts_get)
        field = "name";
    else if (method == method_name::resources_read)
        field = "uri";
    else if (method == method_name::tasks_get || method == method_name::tasks_update || method == method_name::tasks_cancel)
        field = "taskId";  // so that a balancer can route by task
    if (!field || !params.is_object()) return std::nullopt;
    const auto it = params.find(field);
    if (it == params.end() || !it->is_string()) return std::nullopt;
    return it->get<std::string>();
}

ModernRequest to_modern_request(const json& legacy_request, const json& upstream_id, const SessionView& session,
                                const TraceContext& trace, const ToolHeaderSpec* tool) {
    const std::string& method = legacy_request.at("method").get_ref<const std::string&>();
    json params = legacy_request.contains("params") ? legacy_request["params"] : json::object();
    // 2025-11-25 task augmentation; in 2026-07-28 the server alone decides on tasks.
    if (method == method_name::tools_call && params.is_object()) params.erase("task");
    json& meta = params["_meta"];
    if (!meta.is_object()) meta = json::object();
    // The client's own keys (progressToken, ...) stay; the session's override any it forged.
    json session_meta = modern_meta(session, trace);
    for (auto it = session_meta.begin(); it != session_meta.end(); ++it) meta[it.key()] = std::move(it.value());

    ModernRequest out;
    out.headers.emplace_back("MCP-Protocol-Version", std::string(modern_version));
    // A method is any JSON string: bytes a header cannot carry are encoded.
    out.headers.emplace_back("Mcp-Method", encode_header_value(method));
    if (auto name = mcp_name_of(method, params)) out.headers.emplace_back("Mcp-Name", encode_header_value(*name));
    if (tool && method == method_name::tools_call) {
        const auto args = params.find("arguments");
        for (auto& header : param_headers(*tool, args != params.end() ? *args : json::object()))
            out.headers.push_back(std::move(header));
    }
    // Member by member: a braced initializer list would copy the params.
    out.body = json::object();
    out.body["jsonrpc"] = "2.0";
    out.body["id"] = upstream_id;
    out.body["method"] = method;
    out.body["params"] = std::move(params);
    return out;
}

}  // namespace mcpshim::rewrite
