#pragma once
// Recent events of the SSE streams the shim sent on POST answers, so that a
// client whose stream closed (the 2025-11-25 polling pattern, or a network
// drop) can resume with GET + Last-Event-ID on any connection and thread.
// Bounded in events and bytes per stream, in streams and bytes in all, and in age.
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace mcpshim::session {

template <typename T>
using Task = boost::asio::awaitable<T>;

struct ReplayLimits {
    std::size_t max_events_per_stream = 256;    // --replay-max-events
    std::size_t max_streams = 10000;            // --replay-max-streams
    std::chrono::milliseconds max_age{300000};  // --replay-ttl-ms
    std::size_t max_bytes_per_stream = 4 * 1024 * 1024;  // --replay-max-stream-bytes
    std::size_t max_total_bytes = 256 * 1024 * 1024;     // --replay-max-bytes: all streams together
};

struct ReplayedEvent {
    std::uint64_t seq;
    std::string data;
};

struct Replay {
    bool found = false;     // the stream is known, and belongs to the session
    bool complete = false;  // the stream's last event (the response) is in
    // The instance writing it stopped before it was complete: what it had not
    // answered never will be.
    bool abandoned = false;
    std::vector<ReplayedEvent> events;
    std::vector<std::string> request_ids;  // the requests it answers (JSON ids, as text)
    // Written by another instance: look again this soon even when nothing
    // arrives, to learn whether that instance stopped (0: not needed).
    std::chrono::milliseconds recheck{0};
};

class ReplayBuffer {
public:
    virtual ~ReplayBuffer() = default;
    virtual void begin(const std::string& stream_id, const std::string& session_id,
                       std::vector<std::string> request_ids) = 0;
    virtual void append(const std::string& stream_id, std::uint64_t seq, std::string data) = 0;
    virtual void complete(const std::string& stream_id) = 0;
    virtual Task<Replay> after(const std::string& stream_id, const std::string& session_id, std::uint64_t seq) = 0;
    // Runs `wake` on `executor` at the stream's next event or completion.
    virtual void watch(const std::string& stream_id, boost::asio::any_io_executor executor,
                       std::function<void()> wake) = 0;
};

// In this process only.
class LocalReplayBuffer final : public ReplayBuffer {
public:
    explicit LocalReplayBuffer(ReplayLimits limits) : limits_(limits) {}
    void begin(const std::string& stream_id, const std::string& session_id,
               std::vector<std::string> request_ids) override;
    void append(const std::string& stream_id, std::uint64_t seq, std::string data) override;
    void complete(const std::string& stream_id) override;
    Task<Replay> after(const std::string& stream_id, const std::string& session_id, std::uint64_t seq) override {
        co_return read(stream_id, session_id, seq);
    }
    void watch(const std::string& stream_id, boost::asio::any_io_executor executor,
               std::function<void()> wake) override;

    Replay read(const std::string& stream_id, const std::string& session_id, std::uint64_t seq);
    bool holds(const std::string& stream_id);

private:
    struct Stream {
        std::string session_id;
        std::vector<std::string> request_ids;
        std::deque<ReplayedEvent> events;
        std::size_t bytes = 0;
        bool complete = false;
        std::chrono::steady_clock::time_point touched;
        std::list<std::string>::iterator age_position;
        std::vector<std::pair<boost::asio::any_io_executor, std::function<void()>>> watchers;
    };
    void prune();  // requires mutex_
    void drop_oldest_event(Stream& stream);  // requires mutex_
    void wake_watchers(Stream& stream);

    ReplayLimits limits_;
    std::mutex mutex_;
    std::unordered_map<std::string, Stream> streams_;
    std::list<std::string> by_age_;  // oldest first
    std::size_t total_bytes_ = 0;
};

// "<stream>_<seq>" <-> parts.
std::string event_id(const std::string& stream_id, std::uint64_t seq);
std::optional<std::pair<std::string, std::uint64_t>> parse_event_id(std::string_view id);

}  // namespace mcpshim::session
