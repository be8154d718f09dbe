#include "mcpshim/rewrite/era_choice.hpp"

#include "mcpshim/rewrite/header_encoding.hpp"
#include "mcpshim/rewrite/jsonrpc.hpp"
#include "mcpshim/rewrite/method_names.hpp"
#include "mcpshim/rewrite/modern_request.hpp"

namespace mcpshim::rewrite {

namespace {

const json* meta_of(const json& message) {
    const auto params = message.find("params");
    if (params == message.end() || !params->is_object()) return nullptr;
    const auto meta = params->find("_meta");
    if (meta == params->end() || !meta->is_object()) return nullptr;
    return &*meta;
}

// A per-request envelope claim: the protocol version key in params._meta,
// whatever its value (a wrong value is the server's to refuse).
bool claims_envelope(const json& message) {
    const json* meta = meta_of(message);
    return meta && meta->contains(meta_key::protocol_version);
}

std::optional<std::string_view> claimed_version(const json& message) {
    const json* meta = meta_of(message);
    if (!meta) return std::nullopt;
    const auto version = meta->find(meta_key::protocol_version);
    if (version == meta->end() || !version->is_string()) return std::nullopt;
    return std::string_view(version->get_ref<const std::string&>());
}

EraChoice refuse(unsigned status, int code, std::string message) {
    return EraChoice{Era::legacy, EraRefusal{status, code, std::move(message)}};
}

EraRefusal mismatch(std::string what) {
    return EraRefusal{400, error_code::header_mismatch, "Header mismatch: " + std::move(what)};
}

}  // namespace

std::string_view strip_header_whitespace(std::string_view value) {
    const auto first = value.find_first_not_of(" \t");
    if (first == std::string_view::npos) return {};
    return value.substr(first, value.find_last_not_of(" \t") - first + 1);
}

bool names_modern_version(std::string_view version) { return at_least(version, modern_version); }

EraChoice choose_era(const EraSignals& signals) {
    if (signals.http_method != "POST" || !signals.body) return {};
    const json& body = *signals.body;
    const bool header_modern = signals.protocol_version && names_modern_version(*signals.protocol_version);
    if (body.is_array()) {
        for (const auto& element : body)
            if (element.is_object() && claims_envelope(element))
                return refuse(400, error_code::invalid_request,
                              "JSON-RPC batches are not part of protocol version 2026-07-28 or later: send each "
                              "request as its own POST");
        return {};
    }
    if (!body.is_object()) return {};
    const auto method = body.find("method");
    if (method == body.end() || !method->is_string()) return {};  // a posted response, or not JSON-RPC
    const bool request = body.contains("id");
    if (request && *method == method_name::initialize) {
        const auto claimed = claimed_version(body);
        if (!claimed || !names_modern_version(*claimed)) {
            if (header_modern)
                return EraChoice{Era::legacy,
                                 mismatch("an initialize request (the legacy handshake) came with MCP-Protocol-Version " +
                                          std::string(*signals.protocol_version))};
            return {};
        }
        return EraChoice{Era::modern, std::nullopt};
    }
    if (claims_envelope(body) || header_modern) return EraChoice{Era::modern, std::nullopt};
    return {};
}

std::string_view mcp_name_source(std::string_view method) {
    if (method == "tools/call" || method == "prompts/get") return "name";
    if (method == "resources/read") return "uri";
    if (method == "tasks/get" || method == "tasks/update" || method == "tasks/cancel") return "taskId";
    return {};
}

std::optional<EraRefusal> check_modern_headers(const ModernHeaders& headers, const json& body) {
    const std::string& method = body.at("method").get_ref<const std::string&>();
    const bool request = body.contains("id");
    const auto claimed = claimed_version(body);
    if (headers.protocol_version && claimed && *headers.protocol_version != *claimed)
        return mismatch("MCP-Protocol-Version is '" + std::string(*headers.protocol_version) + "' but the body's _meta names '" +
                        std::string(*claimed) + "'");
    if (headers.method && *headers.method != method)
        return mismatch("Mcp-Method is '" + std::string(*headers.method) + "' but the body's method is '" + method + "'");
    // Notifications: the revision defines no header requirements for them.
    if (!request) return std::nullopt;
    if (!headers.protocol_version) return mismatch("the required MCP-Protocol-Version header is missing");
    if (!headers.method) return mismatch("the required Mcp-Method header is missing (the body's method is '" + method + "')");
    const auto field = mcp_name_source(method);
    if (field.empty()) return std::nullopt;
    const auto params = body.find("params");
    const json* source = nullptr;
    if (params != body.end() && params->is_object()) {
        const auto found = params->find(field);
        if (found != params->end() && found->is_string()) source = &*found;
    }
    if (!headers.name) {
        if (!source) return std::nullopt;
        return mismatch("the required Mcp-Name header is missing (the body's params." + std::string(field) + " is '" +
                        source->get<std::string>() + "')");
    }
    const auto decoded = decode_header_value(*headers.name);
    if (!decoded) return mismatch("Mcp-Name carries a broken =?base64?...?= value");
    if (source && *decoded != source->get_ref<const std::string&>())
        return mismatch("Mcp-Name is '" + *decoded + "' but the body's params." + std::string(field) + " is '" +
                        source->get<std::string>() + "'");
    return std::nullopt;
}

}  // namespace mcpshim::rewrite
