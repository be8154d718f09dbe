#pragma once
// The upstream's server/discover answer, cached for its ttlMs. A "public"
// answer is shared by every caller; a "private" one is kept per principal.
#include <boost/asio/awaitable.hpp>
#include "mcpshim/rewrite/json.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <unordered_map>

#include "mcpshim/rewrite/legacy_response.hpp"
#include "upstream/upstream_pool.hpp"

namespace mcpshim::upstream {

struct DiscoverOutcome {
    std::optional<rewrite::DiscoverInfo> info;
    std::string error;  // why there is no info: names the upstream and what it answered
    json error_data;    // {upstream, status, answer}
};

class DiscoverCache {
public:
    explicit DiscoverCache(UpstreamPool& pool) : pool_(pool) {}

    boost::asio::awaitable<DiscoverOutcome> get(std::string principal, std::string authorization);

    // When an upstream last answered server/discover well (for readiness).
    std::optional<std::chrono::steady_clock::time_point> last_success() const { return last_success_; }

private:
    struct Entry {
        rewrite::DiscoverInfo info;
        std::chrono::steady_clock::time_point expires;
    };
    const Entry* fresh(const std::string& key) const;

    UpstreamPool& pool_;
    std::unordered_map<std::string, Entry> entries_;  // "*" for the public answer
    std::optional<std::chrono::steady_clock::time_point> last_success_;
};

}  // namespace mcpshim::upstream
