#include "session/opened_tokens.hpp"

namespace mcpshim::session {

std::optional<SessionClaims> OpenedTokens::find(std::string_view token, std::int64_t now) {
    const auto it = claims_.find(std::string(token));
    if (it == claims_.end() || it->second.expires_at <= now) return std::nullopt;
    return it->second;
}

void OpenedTokens::remember(std::string_view token, const SessionClaims& claims) {
    if (capacity_ == 0) return;
    auto [it, fresh] = claims_.try_emplace(std::string(token), claims);
    if (!fresh) return;
    order_.push_back(it->first);
    while (order_.size() > capacity_) {
        claims_.erase(order_.front());
        order_.pop_front();
    }
}

}  // namespace mcpshim::session
