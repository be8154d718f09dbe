#include "mcpshim/rewrite/method_names.hpp"
#include "upstream/tool_schema_cache.hpp"

#include <spdlog/spdlog.h>

#include "upstream/upstream_call.hpp"

namespace mcpshim::upstream {

using Clock = std::chrono::steady_clock;
constexpr int max_pages = 100;              // a runaway cursor loop ends here
constexpr std::size_t max_catalogs = 4096;  // private catalogs of many principals

ToolSchemaCache::Catalog& ToolSchemaCache::catalog_for(const std::string& principal) {
    if (auto it = catalogs_.find("*"); it != catalogs_.end()) return it->second;
    if (catalogs_.size() >= max_catalogs && !catalogs_.contains(principal)) catalogs_.clear();
    return catalogs_[principal];
}

void ToolSchemaCache::observe(const std::string& principal, const json& result) {
    if (!result.contains("tools") || !result["tools"].is_array()) return;
    auto& catalog = catalog_for(principal);
    for (const auto& tool : result["tools"]) {
        if (!tool.contains("name") || !tool["name"].is_string()) continue;
        catalog.tools[tool["name"].get<std::string>()] =
            rewrite::inspect_tool_headers(tool.contains("inputSchema") ? tool["inputSchema"] : json::object());
    }
}

void ToolSchemaCache::invalidate(const std::string& principal) {
    catalogs_.erase("*");
    catalogs_.erase(principal);
}

boost::asio::awaitable<void> ToolSchemaCache::refresh(std::string principal, std::string authorization,
                                                      rewrite::SessionView session) {
    Catalog fresh;
    long long ttl_ms = 0;
    json cursor;
    for (int page = 0; page < max_pages; ++page) {
        json params = json::object();
        if (!cursor.is_null()) params["cursor"] = cursor;
        auto call = co_await call_upstream(pool_, method_name::tools_list, std::move(params), session, authorization);
        if (!call.error.empty() || !call.response.contains("result")) {
            spdlog::warn("tools/list for header mirroring failed: {}",
                         call.error.empty() ? to_text(call.response) : call.error);
            co_return;
        }
        const auto& result = call.response["result"];
        for (const auto& tool : result.value("tools", json::array())) {
            if (!tool.contains("name") || !tool["name"].is_string()) continue;
            fresh.tools[tool["name"].get<std::string>()] =
                rewrite::inspect_tool_headers(tool.contains("inputSchema") ? tool["inputSchema"] : json::object());
        }
        if (page == 0) {
            ttl_ms = integer_member(result, "ttlMs").value_or(0);
            fresh.is_public = string_member(result, "cacheScope") == "public";
        }
        cursor = result.value("nextCursor", json());
        if (!cursor.is_string()) break;
    }
    fresh.expires = Clock::now() + std::max(std::chrono::milliseconds(ttl_ms), min_ttl_);
    invalidate(principal);
    catalogs_[fresh.is_public ? "*" : principal] = std::move(fresh);
}

boost::asio::awaitable<std::optional<rewrite::ToolHeaderSpec>> ToolSchemaCache::find(std::string tool,
                                                                                     std::string principal,
                                                                                     std::string authorization,
                                                                                     rewrite::SessionView session) {
    for (int attempt = 0; attempt < 2; ++attempt) {
        auto& catalog = catalog_for(principal);
        const bool stale = catalog.expires <= Clock::now();
        const auto it = catalog.tools.find(tool);
        if (it != catalog.tools.end() && !stale) co_return it->second;
        if (attempt == 0) co_await refresh(principal, authorization, session);
    }
    auto& catalog = catalog_for(principal);
    const auto it = catalog.tools.find(tool);
    if (it == catalog.tools.end()) co_return std::nullopt;
    co_return it->second;
}

}  // namespace mcpshim::upstream
