#pragma once
// What changes during a legacy session lives here, never in the sealed token:
// whether the session was ended (DELETE) and the log level it set. The
// interface is asynchronous so that a shared store (for several shim
// processes) can stand behind it without touching the callers.
#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace mcpshim::session {

template <typename T>
using Task = boost::asio::awaitable<T>;

struct SessionState {
    bool ended = false;
    std::optional<std::string> log_level;
    std::vector<std::string> subscriptions;  // resource URIs, in the order subscribed
};

class SessionStore {
public:
    virtual ~SessionStore() = default;
    // `until` is the token's expiry: after it the token is refused anyway, so
    // nothing about the session needs keeping past it.
    virtual Task<SessionState> load(const std::string& session_id) = 0;
    // False when the store is full (see the implementation's limit).
    virtual Task<bool> end_session(const std::string& session_id, std::int64_t until) = 0;
    virtual Task<bool> set_log_level(const std::string& session_id, std::string level, std::int64_t until) = 0;
    // Adds or removes a resource subscription; false when a bound was hit.
    virtual Task<bool> subscribe(const std::string& session_id, std::string uri, std::int64_t until) = 0;
    virtual Task<void> unsubscribe(const std::string& session_id, std::string uri) = 0;
};

// In-process store, bounded in entries; expired entries are swept when it fills.
class MemorySessionStore final : public SessionStore {
public:
    MemorySessionStore(std::size_t max_entries, std::size_t max_subscriptions)
        : max_entries_(max_entries), max_subscriptions_(max_subscriptions) {}

    Task<SessionState> load(const std::string& session_id) override;
    Task<bool> end_session(const std::string& session_id, std::int64_t until) override;
    Task<bool> set_log_level(const std::string& session_id, std::string level, std::int64_t until) override;
    Task<bool> subscribe(const std::string& session_id, std::string uri, std::int64_t until) override;
    Task<void> unsubscribe(const std::string& session_id, std::string uri) override;

    std::size_t size() const;

private:
    struct Entry {
        SessionState state;
        std::int64_t until = 0;
    };
    Entry* slot(const std::string& session_id, std::int64_t until);  // requires mutex_

    std::size_t max_entries_;
    std::size_t max_subscriptions_;  // per session
    mutable std::mutex mutex_;
    std::unordered_map<std::string, Entry> entries_;
};

std::int64_t unix_now();

}  // namespace mcpshim::session
