#pragma once
// The session store shared by a fleet of shim processes: state in Redis, so
// that any instance serves any message of any session.
//
// RedisFleet is the process's part: the local cache of what requests load,
// kept true by Redis publish/subscribe (`P changed`), and the live
// registries of what waits here (input requests, requests under way, GET
// streams). RedisSessionStore is one serving thread's: its own pipelined
// connection, and the routing of what a client sent here for something that
// waits on another instance (an answer to an input request, a cancellation)
// as a broadcast every instance checks against what waits on it.
#include <boost/asio/any_io_executor.hpp>

#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <unordered_map>
#include <utility>
#include <vector>
#include <memory>
#include <string>

#include "async/wakeup.hpp"
#include "redis/redis_connection.hpp"
#include "redis/redis_subscriber.hpp"
#include "session/fleet_acks.hpp"
#include "session/session_cache.hpp"
#include "session/session_store.hpp"

namespace mcpshim::session {

struct SharedStoreSettings {
    std::string url = "memory";            // --session-store: memory, or redis://[:PASSWORD@]HOST:PORT[/DB]
    std::string key_prefix = "mcpshim:";   // --redis-key-prefix: several fleets may share one Redis
    std::size_t cache_entries = 100000;    // --store-cache-entries: sessions' state kept per process
    redis::RedisSettings redis;            // --redis-connect-timeout-ms, --redis-timeout-ms, ...
    // How often an instance says it lives; silent for three beats, it is
    // taken as stopped and streams it was writing end with an error.
    std::chrono::milliseconds heartbeat{1000};  // --fleet-heartbeat-ms
    bool shared() const { return url != "memory"; }
};

class RedisFleet {
public:
    // Throws std::invalid_argument when the URL is not a redis:// URL.
    RedisFleet(SharedStoreSettings settings, StoreLimits limits, ReplayLimits replay_limits);
    ~RedisFleet();
    // Subscribes (from `executor`); until subscribed the cache stays off.
    void start(boost::asio::any_io_executor executor);
    void stop();

    const SharedStoreSettings& settings() const { return settings_; }
    const StoreLimits& limits() const { return limits_; }
    const ReplayLimits& replay_limits() const { return replay_limits_; }
    const redis::RedisEndpoint& endpoint() const { return endpoint_; }
    const std::string& instance() const { return instance_; }  // this process, in what it publishes
    std::string channel(std::string_view name) const { return settings_.key_prefix + std::string(name); }
    bool subscribed() const { return subscribed_; }

    SessionCache cache;
    LocalPendingInputs inputs;
    LocalInFlight in_flight;
    LocalStreamRegistry streams;
    LocalReplayBuffer replay;  // the streams this process writes
    // What the other instances acknowledged of this one's invalidations.
    FleetAcks acks;
    // What a POST forwarded here for an HTTP+SSE stream of this process does.
    void on_forwarded(ConnectionRoutes::Forwarded handler) { forwarded_ = std::move(handler); }
    // Runs `wake` on `executor` at the next event of a stream another instance writes.
    void watch_remote(const std::string& stream_id, boost::asio::any_io_executor executor, std::function<void()> wake);

private:
    void on_message(const std::string& channel, const std::string& payload);
    // Says "dropped up to seq" to the instance that published an invalidation.
    void acknowledge(const std::string& origin, const std::string& seq);
    static boost::asio::awaitable<void> beat(std::shared_ptr<redis::RedisConnection> connection,
                                             std::vector<std::string> command, std::chrono::milliseconds interval,
                                             std::shared_ptr<bool> stopped);

    ConnectionRoutes::Forwarded forwarded_;
    std::mutex watchers_mutex_;
    struct RemoteWatcher {
        boost::asio::any_io_executor executor;
        std::function<void()> wake;
        std::chrono::steady_clock::time_point since;
    };
    // A resumed stream watches anew every --fleet-heartbeat-ms at least, so
    // older entries are spent: they are pruned as the map grows.
    std::unordered_map<std::string, std::vector<RemoteWatcher>> remote_watchers_;
    // The heartbeat's and the acknowledgements' (the subscription's executor).
    boost::asio::any_io_executor executor_;
    std::shared_ptr<redis::RedisConnection> fleet_connection_;
    std::shared_ptr<bool> heartbeat_stopped_ = std::make_shared<bool>(false);

    const SharedStoreSettings settings_;
    const StoreLimits limits_;
    const ReplayLimits replay_limits_;
    const redis::RedisEndpoint endpoint_;
    const std::string instance_;
    std::shared_ptr<redis::RedisSubscriber> subscriber_;
    std::atomic<bool> subscribed_{false};
};

class RedisSessionStore final : public SessionStore {
public:
    RedisSessionStore(boost::asio::any_io_executor executor, RedisFleet& fleet);
    ~RedisSessionStore() override;

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
    std::string name() const override { return fleet_.endpoint().display(); }
    Task<std::string> readiness() override;

private:
    // Answers a client's message for something that may wait on another instance.
    class RoutedInputs final : public PendingInputs {
    public:
        explicit RoutedInputs(RedisSessionStore& store) : store_(store) {}
        void expect(const std::string& session_id, const std::string& request_id,
                    const std::shared_ptr<InputWait>& wait) override;
        void forget(const std::string& session_id, const std::string& request_id) override;
        bool deliver(const std::string& session_id, const json& response) override;
        std::size_t size() const override;

    private:
        RedisSessionStore& store_;
    };
    class RoutedInFlight final : public InFlight {
    public:
        explicit RoutedInFlight(RedisSessionStore& store) : store_(store) {}
        bool add(const std::string& session_id, const std::string& request_id, boost::asio::any_io_executor executor,
                 const std::shared_ptr<RequestCancel>& cancel) override;
        void remove(const std::string& session_id, const std::string& request_id,
                    const std::shared_ptr<RequestCancel>& cancel) override;
        bool cancel(const std::string& session_id, const std::string& request_id) override;

    private:
        RedisSessionStore& store_;
    };
    class RoutedStreams final : public StreamRegistry {
    public:
        explicit RoutedStreams(RedisSessionStore& store) : store_(store) {}
        bool open(const std::string& session_id, boost::asio::any_io_executor executor,
                  std::function<void()> on_change) override;
        void close(const std::string& session_id) override;
        void changed(const std::string& session_id) override;
        std::size_t size() const override;

    private:
        RedisSessionStore& store_;
    };

    class RoutedReplay final : public ReplayBuffer {
    public:
        explicit RoutedReplay(RedisSessionStore& store) : store_(store) {}
        void begin(const std::string& stream_id, const std::string& session_id,
                   std::vector<std::string> request_ids) override;
        void append(const std::string& stream_id, std::uint64_t seq, std::string data) override;
        void complete(const std::string& stream_id) override;
        Task<Replay> after(const std::string& stream_id, const std::string& session_id, std::uint64_t seq) override;
        void watch(const std::string& stream_id, boost::asio::any_io_executor executor,
                   std::function<void()> wake) override;

    private:
        RedisSessionStore& store_;
    };

    class RoutedConnections final : public ConnectionRoutes {
    public:
        explicit RoutedConnections(RedisSessionStore& store) : store_(store) {}
        void claim(const std::string& connection_id, const std::string& principal, std::int64_t lifetime_s) override;
        void release(const std::string& connection_id) override;
        Task<bool> forward(const std::string& connection_id, const std::string& principal,
                           std::string payload) override;
        void on_forwarded(Forwarded handler) override { store_.fleet_.on_forwarded(std::move(handler)); }

    private:
        RedisSessionStore& store_;
    };

    // One run of the store script; `args` after the op's name and session id.
    Task<redis::RedisResult> run_script(std::string op, const std::string& session_id,
                                        std::vector<std::string> args);
    // Answers a write to what requests load once every other instance that
    // heard its invalidation has acknowledged it (up to --redis-timeout-ms).
    Task<void> await_acks(const redis::Reply& answer);
    // A write that may make the session's entry (the script's slot()).
    Task<StoreRefusal> write(std::string op, const EntryOwner& owner, std::vector<std::string> args);
    // Sends without waiting (a broadcast to the fleet); a failure is logged.
    void publish(std::string channel, std::string payload);
    // A store script op sent without waiting for its reply; a failure is logged.
    void run_detached(std::string op, const std::string& id, std::vector<std::string> args);
    [[noreturn]] void unavailable(const redis::RedisResult& result, const std::string& what) const;

    boost::asio::any_io_executor executor_;
    RedisFleet& fleet_;
    std::shared_ptr<redis::RedisConnection> connection_;
    RoutedInputs inputs_{*this};
    RoutedInFlight in_flight_{*this};
    RoutedStreams streams_{*this};
    RoutedReplay replay_{*this};
    RoutedConnections routes_{*this};
};

}  // namespace mcpshim::session
