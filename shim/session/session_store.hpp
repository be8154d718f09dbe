#pragma once
// What changes during a legacy session lives here, never in the sealed token:
// whether the session was ended (DELETE), the log level it set, its resource
// subscriptions and the tasks it was handed; and the live side that a
// client's message on any connection must reach: answers to input requests,
// cancellations, subscription changes, stream resumption. The state
// interface is asynchronous and the live side is four small interfaces, so
// that a store shared by several shim processes can stand behind it without
// touching the translation code.
#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

#include "mcpshim/rewrite/json.hpp"
#include "session/connection_routes.hpp"
#include "session/in_flight.hpp"
#include "session/pending_inputs.hpp"
#include "session/replay_buffer.hpp"
#include "session/session_state.hpp"
#include "session/session_token.hpp"
#include "session/stream_registry.hpp"

namespace mcpshim::session {

// A task a legacy client was handed (2025-11-25 task methods). Tasks live on
// one upstream instance, so every later request for it goes there.
struct TaskRecord {
    std::string task_id;
    std::string instance;        // URL of the upstream instance that holds it; empty when the shim holds it
    json held_task;              // a task the shim holds itself (the upstream answered at once): legacy Task
    json held_result;            // ... and its legacy result
    json cancelled_view;         // the legacy Task as answered to tasks/cancel; null until cancelled
    std::int64_t forget_at = 0;  // unix seconds after which the upstream may have dropped it; 0: never
};

struct StoreLimits {
    std::size_t max_entries = 1'000'000;            // --max-session-entries
    std::size_t max_subscriptions = 256;            // --max-subscriptions, per session
    std::size_t max_tasks = 256;                    // --max-tasks, per session
    std::size_t max_entries_per_principal = 10000;  // --max-entries-per-principal
    std::size_t max_session_bytes = 1024 * 1024;    // --max-session-bytes: subscription URIs and held results
};

// The session an entry is kept for: whose it is (the principal digest in its
// token) and until when it matters (the token's expiry).
struct EntryOwner {
    std::string session_id;
    std::string principal;
    std::int64_t until = 0;
};

inline EntryOwner owner_of(const SessionClaims& claims) {
    return EntryOwner{claims.session_id, claims.principal, claims.expires_at};
}

// Why a write was refused; the text names the option that raises the bound.
enum class StoreRefusal { none, store_full, principal_full, subscriptions, session_bytes, unavailable };
std::string describe(StoreRefusal refusal);

// A read that a shared store could not answer (a write says so as
// StoreRefusal::unavailable instead). The text names the store.
class StoreUnavailable : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class SessionStore {
public:
    virtual ~SessionStore() = default;
    // `until` is the token's expiry: after it the token is refused anyway, so
    // nothing about the session needs keeping past it.
    virtual Task<SessionState> load(const std::string& session_id) = 0;
    // A revocation takes room from other entries (the owner's own first)
    // rather than fail; only a shared store that cannot be reached refuses it.
    virtual Task<StoreRefusal> end_session(EntryOwner owner) = 0;
    virtual Task<StoreRefusal> set_log_level(EntryOwner owner, std::string level) = 0;
    // Adds or removes a resource subscription.
    virtual Task<StoreRefusal> subscribe(EntryOwner owner, std::string uri) = 0;
    virtual Task<StoreRefusal> unsubscribe(const std::string& session_id, std::string uri) = 0;
    // Keeps a task handed to the client. When the session holds --max-tasks,
    // records past their forget_at go first, then the oldest.
    virtual Task<StoreRefusal> remember_task(EntryOwner owner, TaskRecord task) = 0;
    virtual Task<std::optional<TaskRecord>> find_task(const std::string& session_id, std::string task_id) = 0;
    // In the order they were handed out.
    virtual Task<std::vector<TaskRecord>> list_tasks(const std::string& session_id) = 0;
    virtual Task<void> mark_task_cancelled(const std::string& session_id, std::string task_id, json view) = 0;
    virtual Task<void> forget_task(const std::string& session_id, std::string task_id) = 0;

    // Server-to-client requests waiting for the client's answer.
    virtual PendingInputs& inputs() = 0;
    // Requests being forwarded, for notifications/cancelled.
    virtual InFlight& in_flight() = 0;
    // Open GET streams, told when their session's subscriptions change.
    virtual StreamRegistry& streams() = 0;
    // Recent SSE events, for Last-Event-ID.
    virtual ReplayBuffer& replay() = 0;
    // HTTP+SSE streams, for a POST that lands where the stream is not.
    virtual ConnectionRoutes& routes() = 0;

    // How errors and logs name it: "memory", or the shared store's URL.
    virtual std::string name() const = 0;
    // Empty when it can serve; else why not (for /readyz).
    virtual Task<std::string> readiness() = 0;
    // A refusal as a client reads it, naming the store when it is away.
    std::string explain(StoreRefusal refusal) const;
};

// In-process store, bounded in entries; expired entries are swept when it fills.
class MemorySessionStore final : public SessionStore {
public:
    MemorySessionStore(StoreLimits limits, ReplayLimits replay_limits) : limits_(limits), replay_(replay_limits) {}

    Task<SessionState> load(const std::string& session_id) override;
    Task<StoreRefusal> end_session(EntryOwner owner) override;
    Task<StoreRefusal> set_log_level(EntryOwner owner, std::string level) override;
    Task<StoreRefusal> subscribe(EntryOwner owner, std::string uri) override;
    Task<StoreRefusal> unsubscribe(const std::string& session_id, std::string uri) override;
    Task<StoreRefusal> remember_task(EntryOwner owner, TaskRecord task) override;
    Task<std::optional<TaskRecord>> find_task(const std::string& session_id, std::string task_id) override;
    Task<std::vector<TaskRecord>> list_tasks(const std::string& session_id) override;
    Task<void> mark_task_cancelled(const std::string& session_id, std::string task_id, json view) override;
    Task<void> forget_task(const std::string& session_id, std::string task_id) override;

    PendingInputs& inputs() override { return inputs_; }
    InFlight& in_flight() override { return in_flight_; }
    StreamRegistry& streams() override { return streams_; }
    ReplayBuffer& replay() override { return replay_; }
    ConnectionRoutes& routes() override { return routes_; }
    std::string name() const override { return "memory"; }
    Task<std::string> readiness() override { co_return std::string(); }

    std::size_t size() const;

private:
    struct Entry {
        SessionState state;
        std::deque<TaskRecord> tasks;  // apart from `state`, which every request loads
        std::string principal;
        std::multimap<std::int64_t, std::string>::iterator expiry;
        std::size_t bytes = 0;  // subscription URIs and held results
    };
    struct Principal {
        std::size_t entries = 0;
        std::deque<std::string> order;  // its session ids, oldest first (some may be gone already)
    };
    // The owner's entry, made if need be; null with the reason when no room.
    // `must` (a revocation) takes room from other entries instead of failing.
    Entry* slot(const EntryOwner& owner, bool must, StoreRefusal& refusal);  // requires mutex_
    void sweep_expired();                                                    // requires mutex_
    bool evict_oldest_live(Principal& principal, bool also_ended);           // requires mutex_
    bool evict_soonest_live();                                               // requires mutex_
    void erase(std::unordered_map<std::string, Entry>::iterator it);         // requires mutex_
    TaskRecord* task_of(const std::string& session_id, const std::string& task_id);  // requires mutex_

    StoreLimits limits_;
    mutable std::mutex mutex_;
    std::unordered_map<std::string, Entry> entries_;
    std::multimap<std::int64_t, std::string> expiry_;  // until -> session id
    std::unordered_map<std::string, Principal> principals_;
    LocalPendingInputs inputs_;
    LocalInFlight in_flight_;
    LocalStreamRegistry streams_;
    LocalReplayBuffer replay_;
    LocalConnectionRoutes routes_;
};

std::int64_t unix_now();

// What a payload costs against --max-session-bytes.
std::size_t held_bytes(const TaskRecord& task);

}  // namespace mcpshim::session
