#include "mcpshim/rewrite/method_names.hpp"
#include "upstream/discover_cache.hpp"

#include "upstream/upstream_call.hpp"

namespace mcpshim::upstream {

using Clock = std::chrono::steady_clock;
constexpr std::size_t max_entries = 4096;

// Outside the coroutine on purpose: braced json literals inside one trip GCC 12.
json error_data(const std::string& upstream, unsigned status, json answer) {
    json data = json::object();
    data["upstream"] = upstream;
    if (status != 0) data["status"] = status;
    data["answer"] = std::move(answer);
    return data;
}

const DiscoverCache::Entry* DiscoverCache::fresh(const std::string& key) const {
    const auto it = entries_.find(key);
    if (it == entries_.end() || it->second.expires <= Clock::now()) return nullptr;
    return &it->second;
}

boost::asio::awaitable<DiscoverOutcome> DiscoverCache::get(std::string principal, std::string authorization) {
    if (const auto* entry = fresh("*")) co_return DiscoverOutcome{entry->info, {}, nullptr};
    if (const auto* entry = fresh(principal)) co_return DiscoverOutcome{entry->info, {}, nullptr};

    auto call = co_await call_upstream(pool_, method_name::server_discover, json::object(), shim_session_view(), authorization);
    DiscoverOutcome outcome;
    const auto& upstream = call.transport.instance;
    if (!call.error.empty()) {
        outcome.error = "upstream " + upstream + " did not answer server/discover: " + call.error;
        outcome.error_data =
            error_data(upstream, call.transport.status, call.transport.detail);
        co_return outcome;
    }
    if (call.response.contains("error")) {
        const auto& error = call.response["error"];
        outcome.error = "upstream " + upstream + " refused server/discover (HTTP " +
                        std::to_string(call.transport.status) + ", error " + to_text(error) +
                        "): it may be a legacy-only server, which needs no shim";
        outcome.error_data = error_data(upstream, call.transport.status, error);
        co_return outcome;
    }
    auto read = rewrite::read_discover_result(call.response["result"]);
    if (auto* why = std::get_if<std::string>(&read)) {
        outcome.error = "upstream " + upstream + " answered server/discover unusably: " + *why;
        outcome.error_data = error_data(upstream, 0, call.response["result"]);
        co_return outcome;
    }
    auto info = std::get<rewrite::DiscoverInfo>(std::move(read));
    last_success_ = Clock::now();
    if (entries_.size() >= max_entries) {  // private answers of many principals: keep the map bounded
        const auto now = Clock::now();
        std::erase_if(entries_, [now](const auto& item) { return item.second.expires <= now; });
        if (entries_.size() >= max_entries) entries_.clear();
    }
    entries_[info.public_scope ? "*" : principal] = Entry{info, Clock::now() + std::chrono::milliseconds(info.ttl_ms)};
    outcome.info = std::move(info);
    co_return outcome;
}

}  // namespace mcpshim::upstream
