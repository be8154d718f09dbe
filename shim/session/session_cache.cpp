#include "session/session_cache.hpp"

namespace mcpshim::session {

std::uint64_t SessionCache::epoch() const {
    std::lock_guard lock(mutex_);
    return epoch_;
}

void SessionCache::touch(Entry& entry) {
    recency_.splice(recency_.begin(), recency_, entry.position);
}

void SessionCache::insert(const std::string& id, SessionState state) {
    if (max_entries_ == 0) return;
    if (const auto it = entries_.find(id); it != entries_.end()) {
        it->second.state = std::move(state);
        touch(it->second);
        return;
    }
    while (entries_.size() >= max_entries_) {
        entries_.erase(recency_.back());
        recency_.pop_back();
    }
    recency_.push_front(id);
    entries_.emplace(id, Entry{std::move(state), recency_.begin()});
}

std::optional<SessionState> SessionCache::get(const std::string& session_id) {
    std::lock_guard lock(mutex_);
    const auto it = entries_.find(session_id);
    if (it == entries_.end()) return std::nullopt;
    touch(it->second);
    return it->second.state;
}

void SessionCache::put(const std::string& session_id, const SessionState& state, std::uint64_t epoch) {
    std::lock_guard lock(mutex_);
    if (!enabled_ || epoch != epoch_) return;
    insert(session_id, state);
}

void SessionCache::invalidate(const std::string& session_id) {
    std::lock_guard lock(mutex_);
    ++epoch_;
    const auto it = entries_.find(session_id);
    if (it == entries_.end() || it->second.state.ended) return;
    recency_.erase(it->second.position);
    entries_.erase(it);
}

void SessionCache::mark_ended(const std::string& session_id) {
    std::lock_guard lock(mutex_);
    ++epoch_;
    SessionState ended;
    ended.ended = true;
    insert(session_id, std::move(ended));
}

bool SessionCache::known_ended(const std::string& session_id) {
    std::lock_guard lock(mutex_);
    const auto it = entries_.find(session_id);
    return it != entries_.end() && it->second.state.ended;
}

void SessionCache::set_enabled(bool enabled) {
    std::lock_guard lock(mutex_);
    ++epoch_;
    enabled_ = enabled;
    if (enabled) return;
    for (auto it = entries_.begin(); it != entries_.end();) {
        if (it->second.state.ended) {
            ++it;
            continue;
        }
        recency_.erase(it->second.position);
        it = entries_.erase(it);
    }
}

std::size_t SessionCache::size() const {
    std::lock_guard lock(mutex_);
    return entries_.size();
}

}  // namespace mcpshim::session
