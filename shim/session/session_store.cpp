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
    if (entries_.size() >= limits_.max_entries) {
        const auto now = unix_now();
        std::erase_if(entries_, [now](const auto& item) { return item.second.until <= now; });
        if (entries_.size() >= limits_.max_entries) return nullptr;
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
    if (uris.size() >= limits_.max_subscriptions) co_return false;
    uris.push_back(std::move(uri));
    co_return true;
}

Task<void> MemorySessionStore::unsubscribe(const std::string& session_id, std::string uri) {
    std::lock_guard lock(mutex_);
    const auto it = entries_.find(session_id);
    if (it != entries_.end()) std::erase(it->second.state.subscriptions, uri);
    co_return;
}

TaskRecord* MemorySessionStore::task_of(const std::string& session_id, const std::string& task_id) {
    const auto it = entries_.find(session_id);
    if (it == entries_.end()) return nullptr;
    for (auto& task : it->second.tasks)
        if (task.task_id == task_id) return &task;
    return nullptr;
}

Task<bool> MemorySessionStore::remember_task(const std::string& session_id, TaskRecord task, std::int64_t until) {
    std::lock_guard lock(mutex_);
    Entry* entry = slot(session_id, until);
    if (!entry || limits_.max_tasks == 0) co_return false;
    auto& tasks = entry->tasks;
    if (tasks.size() >= limits_.max_tasks) {
        const auto now = unix_now();
        std::erase_if(tasks, [now](const TaskRecord& t) { return t.forget_at != 0 && t.forget_at <= now; });
    }
    while (tasks.size() >= limits_.max_tasks) tasks.pop_front();
    tasks.push_back(std::move(task));
    co_return true;
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
    if (it != entries_.end())
        std::erase_if(it->second.tasks, [&](const TaskRecord& t) { return t.task_id == task_id; });
    co_return;
}

std::size_t MemorySessionStore::size() const {
    std::lock_guard lock(mutex_);
    return entries_.size();
}

}  // namespace mcpshim::session
