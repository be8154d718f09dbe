#pragma once
// The upstream's tool input schemas, reduced to what a tools/call needs: the
// `x-mcp-header` parameters to mirror as Mcp-Param-* headers. Refreshed when
// older than max(ttlMs, --tool-schema-min-ttl-ms), when a tool is unknown,
// and when the upstream reports a header mismatch.
#include <boost/asio/awaitable.hpp>
#include "mcpshim/rewrite/json.hpp"

#include <chrono>
#include <string>
#include <unordered_map>

#include "mcpshim/rewrite/header_encoding.hpp"
#include "mcpshim/rewrite/session_view.hpp"
#include "upstream/upstream_pool.hpp"

namespace mcpshim::upstream {

class ToolSchemaCache {
public:
    ToolSchemaCache(UpstreamPool& pool, std::chrono::milliseconds min_ttl) : pool_(pool), min_ttl_(min_ttl) {}

    // The header spec of `tool`; nullopt when the upstream does not list it.
    boost::asio::awaitable<std::optional<rewrite::ToolHeaderSpec>> find(std::string tool, std::string principal,
                                                                        std::string authorization,
                                                                        rewrite::SessionView session);
    // Learns from a tools/list page a client fetched anyway.
    void observe(const std::string& principal, const json& tools_list_result);
    void invalidate(const std::string& principal);

private:
    struct Catalog {
        std::unordered_map<std::string, rewrite::ToolHeaderSpec> tools;
        std::chrono::steady_clock::time_point expires{};
        bool is_public = false;
    };
    Catalog& catalog_for(const std::string& principal);
    boost::asio::awaitable<void> refresh(std::string principal, std::string authorization,
                                         rewrite::SessionView session);

    UpstreamPool& pool_;
    std::chrono::milliseconds min_ttl_;
    std::unordered_map<std::string, Catalog> catalogs_;  // "*" for public lists
};

}  // namespace mcpshim::upstream
