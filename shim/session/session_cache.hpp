#pragma once
// What this process learned of sessions' mutable state from a shared store,
// so that a request in a session whose state did not change costs no round
// trip. Bounded in entries (least recently used go first). An invalidation
// (the store said a session changed) drops the entry; a load that started
// before any invalidation since cannot put back what may be stale. An ended
// session never comes back to life, so knowing it ended outlives clear().
#include <cstddef>
#include <cstdint>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "session/session_state.hpp"

namespace mcpshim::session {

class SessionCache {
public:
    explicit SessionCache(std::size_t max_entries) : max_entries_(max_entries) {}

    // The epoch a load must present to put() what it read.
    std::uint64_t epoch() const;
    std::optional<SessionState> get(const std::string& session_id);
    // Kept only if nothing was invalidated since `epoch` and caching is on.
    void put(const std::string& session_id, const SessionState& state, std::uint64_t epoch);
    void invalidate(const std::string& session_id);
    // Known to have ended (kept through clear()).
    void mark_ended(const std::string& session_id);
    bool known_ended(const std::string& session_id);
    // Off while invalidations may be missed (the subscription is down): drops
    // all but the ended; nothing is put until it is on again.
    void set_enabled(bool enabled);
    std::size_t size() const;

private:
    struct Entry {
        SessionState state;
        std::list<std::string>::iterator position;
    };
    void touch(Entry& entry);                               // requires mutex_
    void insert(const std::string& id, SessionState state);  // requires mutex_

    const std::size_t max_entries_;
    mutable std::mutex mutex_;
    std::unordered_map<std::string, Entry> entries_;
    std::list<std::string> recency_;  // most recent first
    std::uint64_t epoch_ = 0;
    bool enabled_ = false;
};

}  // namespace mcpshim::session
