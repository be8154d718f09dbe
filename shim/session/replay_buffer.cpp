#include "session/replay_buffer.hpp"

#include <boost/asio/post.hpp>

#include <charconv>

namespace mcpshim::session {

using Clock = std::chrono::steady_clock;

std::string event_id(const std::string& stream_id, std::uint64_t seq) {
    return stream_id + "_" + std::to_string(seq);
}

std::optional<std::pair<std::string, std::uint64_t>> parse_event_id(std::string_view id) {
    const auto sep = id.rfind('_');
    if (sep == std::string_view::npos || sep == 0) return std::nullopt;
    std::uint64_t seq = 0;
    const auto digits = id.substr(sep + 1);
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), seq);
    if (ec != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
    return std::make_pair(std::string(id.substr(0, sep)), seq);
}

void LocalReplayBuffer::prune() {
    const auto now = Clock::now();
    while (!by_age_.empty()) {
        const auto it = streams_.find(by_age_.front());
        const bool too_many = streams_.size() >= limits_.max_streams;
        const bool too_big = total_bytes_ > limits_.max_total_bytes;
        const bool too_old = it == streams_.end() || now - it->second.touched > limits_.max_age;
        if (!too_many && !too_big && !too_old) break;
        if (it != streams_.end()) {
            wake_watchers(it->second);
            total_bytes_ -= it->second.bytes;
            streams_.erase(it);
        }
        by_age_.pop_front();
    }
}

void LocalReplayBuffer::drop_oldest_event(Stream& stream) {
    stream.bytes -= stream.events.front().data.size();
    total_bytes_ -= stream.events.front().data.size();
    stream.events.pop_front();
}

void LocalReplayBuffer::wake_watchers(Stream& stream) {
    for (auto& [executor, wake] : stream.watchers) boost::asio::post(executor, std::move(wake));
    stream.watchers.clear();
}

void LocalReplayBuffer::begin(const std::string& stream_id, const std::string& session_id,
                              std::vector<std::string> request_ids) {
    std::lock_guard lock(mutex_);
    prune();
    by_age_.push_back(stream_id);
    auto& stream = streams_[stream_id];
    stream.session_id = session_id;
    stream.request_ids = std::move(request_ids);
    stream.touched = Clock::now();
    stream.age_position = std::prev(by_age_.end());
}

void LocalReplayBuffer::append(const std::string& stream_id, std::uint64_t seq, std::string data) {
    std::lock_guard lock(mutex_);
    const auto it = streams_.find(stream_id);
    if (it == streams_.end()) return;
    auto& stream = it->second;
    stream.bytes += data.size();
    total_bytes_ += data.size();
    stream.events.push_back(ReplayedEvent{seq, std::move(data)});
    while (stream.events.size() > limits_.max_events_per_stream ||
           (stream.bytes > limits_.max_bytes_per_stream && stream.events.size() > 1))
        drop_oldest_event(stream);
    stream.touched = Clock::now();
    by_age_.splice(by_age_.end(), by_age_, stream.age_position);
    wake_watchers(stream);
    // The streams resumed least recently give way to the whole-buffer bound.
    if (total_bytes_ > limits_.max_total_bytes) prune();
}

void LocalReplayBuffer::complete(const std::string& stream_id) {
    std::lock_guard lock(mutex_);
    const auto it = streams_.find(stream_id);
    if (it == streams_.end()) return;
    it->second.complete = true;
    wake_watchers(it->second);
}

bool LocalReplayBuffer::holds(const std::string& stream_id) {
    std::lock_guard lock(mutex_);
    return streams_.count(stream_id) != 0;
}

Replay LocalReplayBuffer::read(const std::string& stream_id, const std::string& session_id, std::uint64_t seq) {
    std::lock_guard lock(mutex_);
    Replay replay;
    const auto it = streams_.find(stream_id);
    if (it == streams_.end() || it->second.session_id != session_id) return replay;
    replay.found = true;
    replay.complete = it->second.complete;
    replay.request_ids = it->second.request_ids;
    for (const auto& event : it->second.events)
        if (event.seq > seq) replay.events.push_back(event);
    return replay;
}

void LocalReplayBuffer::watch(const std::string& stream_id, boost::asio::any_io_executor executor,
                              std::function<void()> wake) {
    std::lock_guard lock(mutex_);
    const auto it = streams_.find(stream_id);
    if (it == streams_.end()) {
        boost::asio::post(executor, std::move(wake));
        return;
    }
    it->second.watchers.emplace_back(std::move(executor), std::move(wake));
}

}  // namespace mcpshim::session
