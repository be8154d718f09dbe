#include "session/session_store.hpp"
#include "mcpshim/rewrite/option_names.hpp"

#include <algorithm>
#include <chrono>

namespace mcpshim::session {

std::int64_t unix_now() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::string describe(StoreRefusal refusal) {
    switch (refusal) {
        case StoreRefusal::none:
            return "ok";
        case StoreRefusal::store_full:
            return "the session store is full (" + std::string(option::max_session_entries) + ")";
        case StoreRefusal::principal_full:
            return "these credentials hold as many sessions with state as they may (" + std::string(option::max_entries_per_principal) + ")";
        case StoreRefusal::subscriptions:
            return "too many subscriptions for this session (" + std::string(option::max_subscriptions) + ")";
        case StoreRefusal::session_bytes:
            return "this session keeps as much as it may (" + std::string(option::max_session_bytes) + ")";
        case StoreRefusal::unavailable:
            return "the shared session store is unreachable";
    }
    return "?";
}

std::string SessionStore::explain(StoreRefusal refusal) const {
    if (refusal != StoreRefusal::unavailable) return describe(refusal);
    return describe(refusal) + " (" + name() + "; " + std::string(option::session_store) + ")";
}

std::size_t held_bytes(const TaskRecord& task) {
    if (task.held_result.is_null()) return 0;
    return to_text(task.held_result).size() + to_text(task.held_task).size();
}

void MemorySessionStore::erase(std::unordered_map<std::string, Entry>::iterator it) {
    expiry_.erase(it->second.expiry);
    const auto principal = principals_.find(it->second.principal);
    entries_.erase(it);
    if (principal == principals_.end()) return;
    auto& owner = principal->second;
    if (--owner.entries == 0) {
        principals_.erase(principal);
    } else if (owner.order.size() > 2 * owner.entries + 16) {
        // Ids of entries already gone: drop them now and then.
        std::erase_if(owner.order, [&](const std::string& id) {
            const auto found = entries_.find(id);
            return found == entries_.end() || found->second.principal != principal->first;
        });
    }
}

// Entries are kept until their token expires; the index makes each sweep
// cost only what it removes.
void MemorySessionStore::sweep_expired() {
    const auto now = unix_now();
    while (!expiry_.empty() && expiry_.begin()->first <= now) {
        const auto it = entries_.find(expiry_.begin()->second);
        if (it == entries_.end()) {
            expiry_.erase(expiry_.begin());
            continue;
        }
        erase(it);
    }
}

bool MemorySessionStore::evict_oldest_live(Principal& principal, bool also_ended) {
    for (std::size_t i = 0; i < principal.order.size(); ++i) {
        const auto it = entries_.find(principal.order[i]);
        if (it == entries_.end() || (it->second.state.ended && !also_ended)) continue;
        principal.order.erase(principal.order.begin() + static_cast<std::ptrdiff_t>(i));
        erase(it);
        return true;
    }
    return false;
}

bool MemorySessionStore::evict_soonest_live() {
    for (auto at = expiry_.begin(); at != expiry_.end(); ++at) {
        const auto it = entries_.find(at->second);
        if (it == entries_.end() || it->second.state.ended) continue;
        erase(it);
        return true;
    }
    return false;
}

MemorySessionStore::Entry* MemorySessionStore::slot(const EntryOwner& owner, bool must, StoreRefusal& refusal) {
    if (auto it = entries_.find(owner.session_id); it != entries_.end()) return &it->second;
    sweep_expired();
    // An eviction may erase the principal's record: look it up each time.
    const auto principal = [&]() -> Principal& { return principals_[owner.principal]; };
    const auto fail = [&](StoreRefusal why) -> Entry* {
        refusal = why;
        if (const auto it = principals_.find(owner.principal); it != principals_.end() && it->second.entries == 0)
            principals_.erase(it);
        return nullptr;
    };
    // One principal (anonymous clients are one) cannot take the room of
    // others; its revocation takes the place of its own oldest entry.
    if (principal().entries >= limits_.max_entries_per_principal &&
        !(must && (evict_oldest_live(principal(), false) || evict_oldest_live(principal(), true))))
        return fail(StoreRefusal::principal_full);
    // A revocation may take what others keep for convenience (a log level,
    // a subscription), never another revocation.
    if (entries_.size() >= limits_.max_entries &&
        !(must && (evict_oldest_live(principal(), false) || evict_soonest_live())))
        return fail(StoreRefusal::store_full);
    auto& entry = entries_[owner.session_id];
    entry.principal = owner.principal;
    entry.expiry = expiry_.emplace(owner.until, owner.session_id);
    auto& kept = principal();
    ++kept.entries;
    kept.order.push_back(owner.session_id);
    return &entry;
}

Task<SessionState> MemorySessionStore::load(const std::string& session_id) {
    std::lock_guard lock(mutex_);
    const auto it = entries_.find(session_id);
    co_return it == entries_.end() ? SessionState{} : it->second.state;
}

Task<StoreRefusal> MemorySessionStore::end_session(EntryOwner owner) {
    std::lock_guard lock(mutex_);
    StoreRefusal refusal = StoreRefusal::none;
    Entry* entry = slot(owner, /*must=*/true, refusal);
    if (!entry) co_return refusal;  // only when every entry is a revocation too
    entry->state = SessionState{};
    entry->state.ended = true;
    entry->tasks.clear();
    entry->bytes = 0;
    co_return StoreRefusal::none;
}

Task<StoreRefusal> MemorySessionStore::set_log_level(EntryOwner owner, std::string level) {
    std::lock_guard lock(mutex_);
    StoreRefusal refusal = StoreRefusal::none;
    Entry* entry = slot(owner, false, refusal);
    if (!entry) co_return refusal;
    entry->state.log_level = std::move(level);
    co_return StoreRefusal::none;
}

Task<StoreRefusal> MemorySessionStore::subscribe(EntryOwner owner, std::string uri) {
    std::lock_guard lock(mutex_);
    StoreRefusal refusal = StoreRefusal::none;
    Entry* entry = slot(owner, false, refusal);
    if (!entry) co_return refusal;
    auto& uris = entry->state.subscriptions;
    if (std::find(uris.begin(), uris.end(), uri) != uris.end()) co_return StoreRefusal::none;
    if (uris.size() >= limits_.max_subscriptions) co_return StoreRefusal::subscriptions;
    if (entry->bytes + uri.size() > limits_.max_session_bytes) co_return StoreRefusal::session_bytes;
    entry->bytes += uri.size();
    uris.push_back(std::move(uri));
    co_return StoreRefusal::none;
}

Task<StoreRefusal> MemorySessionStore::unsubscribe(const std::string& session_id, std::string uri) {
    std::lock_guard lock(mutex_);
    const auto it = entries_.find(session_id);
    if (it != entries_.end()) {
        auto& uris = it->second.state.subscriptions;
        if (std::find(uris.begin(), uris.end(), uri) != uris.end()) {
            std::erase(uris, uri);
            it->second.bytes -= uri.size();
        }
    }
    co_return StoreRefusal::none;
}

TaskRecord* MemorySessionStore::task_of(const std::string& session_id, const std::string& task_id) {
    const auto it = entries_.find(session_id);
    if (it == entries_.end()) return nullptr;
    for (auto& task : it->second.tasks)
        if (task.task_id == task_id) return &task;
    return nullptr;
}

Task<StoreRefusal> MemorySessionStore::remember_task(EntryOwner owner, TaskRecord task) {
    std::lock_guard lock(mutex_);
    StoreRefusal refusal = StoreRefusal::none;
    Entry* entry = slot(owner, false, refusal);
    if (!entry) co_return refusal;
    if (limits_.max_tasks == 0) co_return StoreRefusal::session_bytes;
    const std::size_t bytes = held_bytes(task);
    if (bytes > limits_.max_session_bytes) co_return StoreRefusal::session_bytes;
    auto& tasks = entry->tasks;
    const auto drop = [&](auto first, auto last) {
        for (auto it = first; it != last; ++it) entry->bytes -= held_bytes(*it);
        return tasks.erase(first, last);
    };
    const auto now = unix_now();
    if (tasks.size() >= limits_.max_tasks || entry->bytes + bytes > limits_.max_session_bytes)
        drop(std::remove_if(tasks.begin(), tasks.end(),
                            [now](const TaskRecord& t) { return t.forget_at != 0 && t.forget_at <= now; }),
             tasks.end());
    // Then the oldest, until the new one fits in count and in bytes.
    while (!tasks.empty() && (tasks.size() >= limits_.max_tasks || entry->bytes + bytes > limits_.max_session_bytes))
        drop(tasks.begin(), tasks.begin() + 1);
    entry->bytes += bytes;
    tasks.push_back(std::move(task));
    co_return StoreRefusal::none;
}

Task<std::optional<TaskRecord>> MemorySessionStore::find_task(const std::string& session_id, std::string task_id) {
    std::lock_guard lock(mutex_);
    const TaskRecord* task = task_of(session_id, task_id);
    co_return task ? std::optional<TaskRecord>(*task) : std::nullopt;
}

Task<std::vector<TaskRecord>> MemorySessionStore::list_tasks(const std::string& session_id) {
    std::lock_guard lock(mutex_);
    const auto it = entries_.find(session_id);
    if (it == entries_.end()) co_return std::vector<TaskRecord>{};
    co_return std::vector<TaskRecord>(it->second.tasks.begin(), it->second.tasks.end());
}

Task<void> MemorySessionStore::mark_task_cancelled(const std::string& session_id, std::string task_id, json view) {
    std::lock_guard lock(mutex_);
    if (TaskRecord* task = task_of(session_id, task_id)) task->cancelled_view = std::move(view);
    co_return;
}

Task<void> MemorySessionStore::forget_task(const std::string& session_id, std::string task_id) {
    std::lock_guard lock(mutex_);
    const auto it = entries_.find(session_id);
    if (it != entries_.end()) {
        auto& entry = it->second;
        for (auto task = entry.tasks.begin(); task != entry.tasks.end();) {
            if (task->task_id == task_id) {
                entry.bytes -= held_bytes(*task);
                task = entry.tasks.erase(task);
            } else {
                ++task;
            }
        }
    }
    co_return;
}

std::size_t MemorySessionStore::size() const {
    std::lock_guard lock(mutex_);
    return entries_.size();
}

}  // namespace mcpshim::session
