#include "session/session_store.hpp"

#include <algorithm>
#include <chrono>

namespace mcpshim::session {

std::int64_t unix_now() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

MemorySessionStore::Entry* MemorySessionStore::slot(const std::string& session_id, std::int64_t until) {
    if (auto it = entries_.find(session_id); it != entries_.end()) return &it->second;
    if (entries_.size() >= max_entries_) {
        const auto now = unix_now();
        std::erase_if(entries_, [now](const auto& item) { return item.second.until <= now; });
        if (entries_.size() >= max_entries_) return nullptr;
    }
    auto& entry = entries_[session_id];
    entry.until = until;
    return &entry;
}

Task<SessionState> MemorySessionStore::load(const std::string& session_id) {
    std::lock_guard lock(mutex_);
    const auto it = entries_.find(session_id);
    co_return it == entries_.end() ? SessionState{} : it->second.state;
}

Task<bool> MemorySessionStore::end_session(const std::string& session_id, std::int64_t until) {
    std::lock_guard lock(mutex_);
    Entry* entry = slot(session_id, until);
    if (!entry) co_return false;
    entry->state.ended = true;
    co_return true;
}

Task<bool> MemorySessionStore::set_log_level(const std::string& session_id, std::string level, std::int64_t until) {
    std::lock_guard lock(mutex_);
    Entry* entry = slot(session_id, until);
    if (!entry) co_return false;
    entry->state.log_level = std::move(level);
    co_return true;
}

Task<bool> MemorySessionStore::subscribe(const std::string& session_id, std::string uri, std::int64_t until) {
    std::lock_guard lock(mutex_);
    Entry* entry = slot(session_id, until);
    if (!entry) co_return false;
    auto& uris = entry->state.subscriptions;
    if (std::find(uris.begin(), uris.end(), uri) != uris.end()) co_return true;
    if (uris.size() >= max_subscriptions_) co_return false;
    uris.push_back(std::move(uri));
    co_return true;
}

Task<void> MemorySessionStore::unsubscribe(const std::string& session_id, std::string uri) {
    std::lock_guard lock(mutex_);
    const auto it = entries_.find(session_id);
    if (it != entries_.end()) std::erase(it->second.state.subscriptions, uri);
    co_return;
}

std::size_t MemorySessionStore::size() const {
    std::lock_guard lock(mutex_);
    return entries_.size();
}

}  // namespace mcpshim::session
