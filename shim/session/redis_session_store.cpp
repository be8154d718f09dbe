#include "session/redis_session_store.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <cstdlib>
#include <stdexcept>

#include "async/guarded_spawn.hpp"
#include "async/log_throttle.hpp"
#include "mcpshim/rewrite/option_names.hpp"
#include "session/redis_store_script.hpp"
#include "session/session_token.hpp"

namespace mcpshim::session {

namespace net = boost::asio;
using redis::args;
using redis::Reply;
using redis::RedisResult;

namespace {

redis::RedisEndpoint endpoint_of(const std::string& url) {
    std::string error;
    auto endpoint = redis::parse_redis_url(url, error);
    if (!endpoint) throw std::invalid_argument(error);
    return *endpoint;
}

// "origin\nsession[\nrest]" as published.
struct Published {
    std::string origin;
    std::string session_id;
    std::string rest;
};

std::optional<Published> parse_published(const std::string& payload) {
    const auto first = payload.find('\n');
    if (first == std::string::npos) return std::nullopt;
    Published out{payload.substr(0, first), {}, {}};
    const auto second = payload.find('\n', first + 1);
    out.session_id = payload.substr(first + 1, second == std::string::npos ? std::string::npos : second - first - 1);
    if (second != std::string::npos) out.rest = payload.substr(second + 1);
    return out;
}

std::string task_json(const TaskRecord& task) {
    return to_text(json{{"id", task.task_id},
                        {"instance", task.instance},
                        {"task", task.held_task},
                        {"result", task.held_result},
                        {"forget_at", task.forget_at}});
}

std::optional<TaskRecord> task_of(const Reply& record, const Reply& cancelled) {
    if (record.type != Reply::Type::string || record.text.empty()) return std::nullopt;
    const auto parsed = json::parse(record.text, nullptr, false);
    if (!parsed.is_object()) return std::nullopt;
    TaskRecord task;
    task.task_id = parsed.value("id", "");
    task.instance = parsed.value("instance", "");
    task.held_task = parsed.value("task", json());
    task.held_result = parsed.value("result", json());
    task.forget_at = parsed.value("forget_at", std::int64_t{0});
    if (cancelled.type == Reply::Type::string && !cancelled.text.empty())
        task.cancelled_view = json::parse(cancelled.text, nullptr, false);
    return task;
}

StoreRefusal refusal_named(const std::string& name) {
    if (name == "none") return StoreRefusal::none;
    if (name == "store_full") return StoreRefusal::store_full;
    if (name == "principal_full") return StoreRefusal::principal_full;
    if (name == "subscriptions") return StoreRefusal::subscriptions;
    if (name == "session_bytes") return StoreRefusal::session_bytes;
    return StoreRefusal::unavailable;
}

// Whether the op changes what a request loads (and so what instances cache).
bool changes_loaded_state(const std::string& op) { return op == "level" || op == "sub" || op == "end"; }

net::awaitable<void> send_and_log(std::shared_ptr<redis::RedisConnection> connection, std::vector<std::string> command) {
    const auto result = co_await connection->command(std::move(command));
    if (!result.ok()) spdlog::warn("session store: a message to the fleet was not sent: {}", result.detail);
}

// The store script's command: op, prefix, id, origin instance, now, then `extra`.
std::vector<std::string> script_command(const SharedStoreSettings& settings, const std::string& instance,
                                        std::string op, const std::string& id, std::vector<std::string> extra) {
    auto command = args("EVALSHA", redis_store_script_sha(), "0", std::move(op), settings.key_prefix, id, instance,
                        std::to_string(unix_now()));
    for (auto& arg : extra) command.push_back(std::move(arg));
    return command;
}

// A write's status: the text, or, for one that published an invalidation,
// the first of {status, seq, receivers, others}.
const std::string& status_of(const Reply& answer) {
    return answer.type == Reply::Type::array && !answer.elements.empty() ? answer.elements[0].text : answer.text;
}

// One run of the store script, by its SHA; Redis may have lost the script (a
// restart, SCRIPT FLUSH), so the text follows when it says so, and it keeps it again.
net::awaitable<RedisResult> send_script(redis::RedisConnection& connection, std::vector<std::string> command) {
    auto result = co_await connection.command(command);
    if (result.failure == redis::RedisFailure::none && result.reply.is_error() &&
        result.reply.text.rfind("NOSCRIPT", 0) == 0) {
        command[0] = "EVAL";
        command[1] = std::string(redis_store_script());
        result = co_await connection.command(std::move(command));
    }
    co_return result;
}

// Sent without a caller waiting: a failure is only logged (at most once a second).
net::awaitable<void> send_script_and_log(std::shared_ptr<redis::RedisConnection> connection,
                                         std::vector<std::string> command) {
    const auto result = co_await send_script(*connection, std::move(command));
    if (!result.ok()) {
        thread_local LogThrottle throttle;
        if (const auto count = throttle.event())
            spdlog::warn("session store: {} write{} of resumable streams not kept: {}", count, count == 1 ? "" : "s",
                         result.detail.empty() ? result.reply.text : result.detail);
    }
}

}  // namespace

// ---- the process's part ----

RedisFleet::RedisFleet(SharedStoreSettings settings, StoreLimits limits, ReplayLimits replay_limits)
    : cache(settings.cache_entries),
      replay(replay_limits),
      settings_(std::move(settings)),
      limits_(limits),
      replay_limits_(replay_limits),
      endpoint_(endpoint_of(settings_.url)),
      instance_(random_hex(8)) {}

RedisFleet::~RedisFleet() { stop(); }

void RedisFleet::start(net::any_io_executor executor) {
    redis::SubscriberHandlers handlers;
    handlers.on_message = [this](const std::string& channel, const std::string& payload) {
        on_message(channel, payload);
    };
    handlers.on_lost = [this] {
        // Invalidations may be missed from now on: what is cached may go stale.
        subscribed_ = false;
        cache.set_enabled(false);
    };
    handlers.on_ready = [this, again = false]() mutable {
        subscribed_ = true;
        cache.set_enabled(true);
        // Subscribed again after a loss: subscriptions may have changed elsewhere meanwhile.
        if (again) streams.changed_all();
        again = true;
    };
    subscriber_ = redis::RedisSubscriber::create(executor, endpoint_, settings_.redis, std::move(handlers));
    subscriber_->subscribe(channel("changed"));
    subscriber_->subscribe(channel("input"));
    subscriber_->subscribe(channel("cancel"));
    subscriber_->subscribe(channel("replay"));
    subscriber_->subscribe(channel("i:" + instance_));
    subscriber_->subscribe(channel("ack:" + instance_));
    subscriber_->start();
    executor_ = executor;
    fleet_connection_ = redis::RedisConnection::create(executor, endpoint_, settings_.redis);
    const auto ttl = std::to_string(settings_.heartbeat.count() * 3);
    async::spawn_guarded(executor,
                         beat(fleet_connection_, script_command(settings_, instance_, "beat", instance_, args(ttl)),
                              settings_.heartbeat, heartbeat_stopped_),
                         "the fleet heartbeat");
}

void RedisFleet::stop() {
    if (subscriber_) subscriber_->stop();
    *heartbeat_stopped_ = true;
    if (fleet_connection_) fleet_connection_->close();
}

// Holds nothing of the fleet's but copies: it may outlive the fleet by one beat.
net::awaitable<void> RedisFleet::beat(std::shared_ptr<redis::RedisConnection> connection,
                                      std::vector<std::string> command, std::chrono::milliseconds interval,
                                      std::shared_ptr<bool> stopped) {
    net::steady_timer timer(co_await net::this_coro::executor);
    while (!*stopped) {
        const auto said = co_await send_script(*connection, command);
        if (!said.ok() && !*stopped) spdlog::debug("fleet heartbeat not stored: {}", said.detail);
        timer.expires_after(interval);
        boost::system::error_code ignored;
        co_await timer.async_wait(net::redirect_error(net::use_awaitable, ignored));
    }
}

void RedisFleet::acknowledge(const std::string& origin, const std::string& seq) {
    if (!fleet_connection_ || seq.empty()) return;
    async::spawn_guarded(
        executor_, send_and_log(fleet_connection_, args("PUBLISH", channel("ack:" + origin), instance_ + "\n" + seq)),
        "an acknowledgement to the fleet");
}

void RedisFleet::watch_remote(const std::string& stream_id, net::any_io_executor executor, std::function<void()> wake) {
    constexpr std::size_t prune_past_streams = 256;
    constexpr std::size_t most_per_stream = 16;
    const auto now = std::chrono::steady_clock::now();
    const auto spent = now - 3 * settings_.heartbeat;
    std::lock_guard lock(watchers_mutex_);
    if (remote_watchers_.size() >= prune_past_streams)
        std::erase_if(remote_watchers_, [&](const auto& entry) { return entry.second.back().since < spent; });
    auto& watchers = remote_watchers_[stream_id];
    if (watchers.size() >= most_per_stream) watchers.erase(watchers.begin());
    watchers.push_back(RemoteWatcher{std::move(executor), std::move(wake), now});
}

void RedisFleet::on_message(const std::string& name, const std::string& payload) {
    const auto message = parse_published(payload);
    if (!message) return;
    const bool mine = message->origin == instance_;
    if (name == channel("replay")) {
        // Streams this instance writes wake their watchers themselves.
        std::vector<RemoteWatcher> waiting;
        {
            std::lock_guard lock(watchers_mutex_);
            const auto it = remote_watchers_.find(message->session_id);
            if (it == remote_watchers_.end()) return;
            waiting = std::move(it->second);
            remote_watchers_.erase(it);
        }
        for (auto& watcher : waiting) net::post(watcher.executor, std::move(watcher.wake));
    } else if (name == channel("changed")) {
        cache.invalidate(message->session_id);
        // This instance told its own streams when it made the change.
        if (mine) return;
        streams.changed(message->session_id);
        acknowledge(message->origin, message->rest);
    } else if (name == channel("ack:" + instance_)) {
        // "instance\nseq": parsed as origin and session.
        acks.heard(message->origin, std::strtoull(message->session_id.c_str(), nullptr, 10));
    } else if (name == channel("i:" + instance_)) {
        if (forwarded_) forwarded_(message->session_id, message->rest);
    } else if (mine) {
        // Tried here before it was sent.
    } else if (name == channel("input")) {
        const auto response = json::parse(message->rest, nullptr, false);
        if (!response.is_discarded()) inputs.deliver(message->session_id, response);
    } else if (name == channel("cancel")) {
        in_flight.cancel(message->session_id, message->rest);
    }
}

// ---- one serving thread's part ----

RedisSessionStore::RedisSessionStore(net::any_io_executor executor, RedisFleet& fleet)
    : executor_(executor),
      fleet_(fleet),
      connection_(redis::RedisConnection::create(std::move(executor), fleet.endpoint(), fleet.settings().redis)) {}

RedisSessionStore::~RedisSessionStore() { connection_->close(); }

Task<RedisResult> RedisSessionStore::run_script(std::string op, const std::string& session_id,
                                                std::vector<std::string> extra) {
    auto result = co_await send_script(
        *connection_, script_command(fleet_.settings(), fleet_.instance(), std::move(op), session_id, std::move(extra)));
    if (result.failure == redis::RedisFailure::none && result.reply.is_error())
        spdlog::error("session store {}: the store script failed: {}", name(), result.reply.text);
    co_return result;
}

Task<StoreRefusal> RedisSessionStore::write(std::string op, const EntryOwner& owner, std::vector<std::string> extra) {
    const auto& limits = fleet_.limits();
    auto command = args(owner.principal, std::to_string(owner.until), std::to_string(limits.max_entries),
                        std::to_string(limits.max_entries_per_principal));
    for (auto& arg : extra) command.push_back(std::move(arg));
    const bool invalidates = changes_loaded_state(op);
    const auto result = co_await run_script(op, owner.session_id, std::move(command));  // op is copied: logged below
    if (invalidates) fleet_.cache.invalidate(owner.session_id);
    if (!result.ok()) {
        spdlog::warn("sid={} {} not stored: {}", owner.session_id, op,
                     result.detail.empty() ? name() + ": " + result.reply.text : result.detail);
        co_return StoreRefusal::unavailable;
    }
    co_await await_acks(result.reply);
    co_return refusal_named(status_of(result.reply));
}

Task<void> RedisSessionStore::await_acks(const Reply& answer) {
    if (answer.type != Reply::Type::array || answer.elements.size() != 4) co_return;  // published nothing
    const auto seq = static_cast<std::uint64_t>(answer.elements[1].integer);
    const auto needed = acks_needed(answer.elements[2].integer, answer.elements[3].integer, fleet_.subscribed());
    auto wait = fleet_.acks.expect(seq, needed, executor_);
    if (!wait) co_return;
    const auto woke = co_await wait->wait_for(fleet_.settings().redis.command_timeout);
    fleet_.acks.drop(wait);
    if (woke == async::Woke::timed_out) {
        // An instance counted may have stopped, or be too busy to read its subscription.
        thread_local LogThrottle throttle;
        if (const auto count = throttle.event())
            spdlog::warn("session store {}: {} change{} answered before every instance acknowledged it within "
                         "{}; an instance may serve the old state briefly",
                         name(), count, count == 1 ? " was" : "s were", option::redis_timeout_ms);
    }
}

void RedisSessionStore::unavailable(const RedisResult& result, const std::string& what) const {
    throw StoreUnavailable(describe(StoreRefusal::unavailable) + " (" + name() + "): " + what + ": " +
                           (result.detail.empty() ? result.reply.text : result.detail));
}

void RedisSessionStore::run_detached(std::string op, const std::string& id, std::vector<std::string> extra) {
    async::spawn_guarded(executor_,
                         send_script_and_log(connection_, script_command(fleet_.settings(), fleet_.instance(),
                                                                         std::move(op), id, std::move(extra))),
                         "a session store write");
}

void RedisSessionStore::publish(std::string channel, std::string payload) {
    async::spawn_guarded(executor_, send_and_log(connection_, args("PUBLISH", std::move(channel), std::move(payload))),
                         "a session store publish");
}

Task<SessionState> RedisSessionStore::load(const std::string& session_id) {
    if (auto cached = fleet_.cache.get(session_id)) co_return std::move(*cached);
    const auto epoch = fleet_.cache.epoch();
    const auto result = co_await run_script("load", session_id, {});
    SessionState state;
    if (!result.ok() || result.reply.elements.size() != 3) {
        // Served as a session that changed nothing; see docs/fleet.md. Once a
        // second at most: every request says the same while the store is away.
        thread_local LogThrottle throttle;
        if (const auto count = throttle.event())
            spdlog::warn("sid={} state not loaded ({}); served without it ({} request{} so)", session_id,
                         result.detail.empty() ? name() + ": " + result.reply.text : result.detail, count,
                         count == 1 ? "" : "s");
        co_return state;
    }
    const auto& parts = result.reply.elements;
    state.ended = parts[0].text == "1";
    if (parts[1].type == Reply::Type::string) state.log_level = parts[1].text;
    for (const auto& uri : parts[2].elements) state.subscriptions.push_back(uri.text);
    fleet_.cache.put(session_id, state, epoch);
    co_return state;
}

Task<StoreRefusal> RedisSessionStore::end_session(EntryOwner owner) {
    // Whatever Redis says, this instance knows.
    fleet_.cache.mark_ended(owner.session_id);
    const auto refused = co_await write("end", owner, {});
    co_return refused;
}

Task<StoreRefusal> RedisSessionStore::set_log_level(EntryOwner owner, std::string level) {
    const auto refused = co_await write("level", owner, args(std::move(level)));
    co_return refused;
}

Task<StoreRefusal> RedisSessionStore::subscribe(EntryOwner owner, std::string uri) {
    const auto& limits = fleet_.limits();
    const auto refused = co_await write("sub", owner, args(std::move(uri), std::to_string(limits.max_subscriptions),
                                                           std::to_string(limits.max_session_bytes)));
    co_return refused;
}

Task<StoreRefusal> RedisSessionStore::unsubscribe(const std::string& session_id, std::string uri) {
    const auto result = co_await run_script("unsub", session_id, args(std::move(uri)));
    fleet_.cache.invalidate(session_id);
    if (!result.ok()) co_return StoreRefusal::unavailable;
    co_await await_acks(result.reply);
    co_return StoreRefusal::none;
}

Task<StoreRefusal> RedisSessionStore::remember_task(EntryOwner owner, TaskRecord task) {
    const auto& limits = fleet_.limits();
    const auto refused =
        co_await write("task_put", owner,
                       args(task.task_id, task_json(task), std::to_string(held_bytes(task)),
                            std::to_string(task.forget_at), std::to_string(limits.max_tasks),
                            std::to_string(limits.max_session_bytes)));
    co_return refused;
}

Task<std::optional<TaskRecord>> RedisSessionStore::find_task(const std::string& session_id, std::string task_id) {
    const auto result = co_await run_script("task_get", session_id, args(task_id));
    if (!result.ok() || result.reply.elements.size() != 2) unavailable(result, "the task was not looked up");
    co_return task_of(result.reply.elements[0], result.reply.elements[1]);
}

Task<std::vector<TaskRecord>> RedisSessionStore::list_tasks(const std::string& session_id) {
    const auto result = co_await run_script("task_list", session_id, {});
    if (!result.ok()) unavailable(result, "the tasks were not listed");
    std::vector<TaskRecord> tasks;
    const auto& parts = result.reply.elements;
    for (std::size_t i = 0; i + 1 < parts.size(); i += 2)
        if (auto task = task_of(parts[i], parts[i + 1])) tasks.push_back(std::move(*task));
    co_return tasks;
}

Task<void> RedisSessionStore::mark_task_cancelled(const std::string& session_id, std::string task_id, json view) {
    const auto result = co_await run_script("task_cancel", session_id, args(std::move(task_id), to_text(view)));
    if (!result.ok())
        spdlog::warn("sid={} a task's cancellation not kept: {}", session_id, result.detail);
}

Task<void> RedisSessionStore::forget_task(const std::string& session_id, std::string task_id) {
    const auto result = co_await run_script("task_forget", session_id, args(std::move(task_id)));
    if (!result.ok())
        spdlog::warn("sid={} a task not forgotten: {}", session_id, result.detail);
}

Task<std::string> RedisSessionStore::readiness() {
    const auto result = co_await connection_->command(args("PING"));
    if (!result.ok()) co_return "the session store " + name() + " is unreachable: " + result.detail;
    if (!fleet_.subscribed()) co_return "the session store's subscription (" + name() + ") is not up yet";
    co_return std::string();
}

// ---- what a client sends here for what may wait elsewhere ----

void RedisSessionStore::RoutedInputs::expect(const std::string& session_id, const std::string& request_id,
                                             const std::shared_ptr<InputWait>& wait) {
    store_.fleet_.inputs.expect(session_id, request_id, wait);
}

void RedisSessionStore::RoutedInputs::forget(const std::string& session_id, const std::string& request_id) {
    store_.fleet_.inputs.forget(session_id, request_id);
}

bool RedisSessionStore::RoutedInputs::deliver(const std::string& session_id, const json& response) {
    if (store_.fleet_.inputs.deliver(session_id, response)) return true;
    store_.publish(store_.fleet_.channel("input"),
                   store_.fleet_.instance() + "\n" + session_id + "\n" + to_text(response));
    return true;  // handed to the fleet: whichever instance waits for it takes it
}

std::size_t RedisSessionStore::RoutedInputs::size() const { return store_.fleet_.inputs.size(); }

bool RedisSessionStore::RoutedInFlight::add(const std::string& session_id, const std::string& request_id,
                                            net::any_io_executor executor,
                                            const std::shared_ptr<RequestCancel>& cancel) {
    return store_.fleet_.in_flight.add(session_id, request_id, std::move(executor), cancel);
}

void RedisSessionStore::RoutedInFlight::remove(const std::string& session_id, const std::string& request_id,
                                               const std::shared_ptr<RequestCancel>& cancel) {
    store_.fleet_.in_flight.remove(session_id, request_id, cancel);
}

bool RedisSessionStore::RoutedInFlight::cancel(const std::string& session_id, const std::string& request_id) {
    if (store_.fleet_.in_flight.cancel(session_id, request_id)) return true;
    store_.publish(store_.fleet_.channel("cancel"), store_.fleet_.instance() + "\n" + session_id + "\n" + request_id);
    return false;  // not here; the instance serving it, if any, hears of it
}

bool RedisSessionStore::RoutedStreams::open(const std::string& session_id, net::any_io_executor executor,
                                            std::function<void()> on_change) {
    return store_.fleet_.streams.open(session_id, std::move(executor), std::move(on_change));
}

void RedisSessionStore::RoutedStreams::close(const std::string& session_id) {
    store_.fleet_.streams.close(session_id);
}

// Other instances hear of a change from the store script's publish.
void RedisSessionStore::RoutedStreams::changed(const std::string& session_id) {
    store_.fleet_.streams.changed(session_id);
}

std::size_t RedisSessionStore::RoutedStreams::size() const { return store_.fleet_.streams.size(); }

}  // namespace mcpshim::session

namespace mcpshim::session {

// ---- resumable streams: written here and to the store; read from either ----

namespace {

std::string ttl_of(const ReplayLimits& limits) { return std::to_string(limits.max_age.count()); }

}  // namespace

void RedisSessionStore::RoutedReplay::begin(const std::string& stream_id, const std::string& session_id,
                                            std::vector<std::string> request_ids) {
    json ids = json::array();
    for (const auto& id : request_ids) ids.push_back(id);
    store_.fleet_.replay.begin(stream_id, session_id, std::move(request_ids));
    store_.run_detached("rbegin", stream_id, args(session_id, to_text(ids), ttl_of(store_.fleet_.replay_limits())));
}

void RedisSessionStore::RoutedReplay::append(const std::string& stream_id, std::uint64_t seq, std::string data) {
    const auto& limits = store_.fleet_.replay_limits();
    store_.run_detached("rappend", stream_id,
                        args(std::to_string(seq), data, std::to_string(limits.max_events_per_stream),
                             std::to_string(limits.max_bytes_per_stream), ttl_of(limits)));
    store_.fleet_.replay.append(stream_id, seq, std::move(data));
}

void RedisSessionStore::RoutedReplay::complete(const std::string& stream_id) {
    store_.fleet_.replay.complete(stream_id);
    store_.run_detached("rdone", stream_id, args(ttl_of(store_.fleet_.replay_limits())));
}

Task<Replay> RedisSessionStore::RoutedReplay::after(const std::string& stream_id, const std::string& session_id,
                                                    std::uint64_t seq) {
    auto& fleet = store_.fleet_;
    if (fleet.replay.holds(stream_id)) co_return fleet.replay.read(stream_id, session_id, seq);
    const auto result = co_await store_.run_script("rget", stream_id, {});
    if (!result.ok() || result.reply.elements.size() != 5) store_.unavailable(result, "the stream was not read");
    const auto& parts = result.reply.elements;
    Replay replay;
    if (parts[0].type != Reply::Type::string || parts[0].text != session_id) co_return replay;
    replay.found = true;
    replay.complete = parts[1].text == "1";
    replay.abandoned = !replay.complete && parts[3].integer == 0;
    replay.recheck = fleet.settings().heartbeat;
    const auto ids = json::parse(parts[2].text, nullptr, false);
    if (ids.is_array())
        for (const auto& id : ids)
            if (id.is_string()) replay.request_ids.push_back(id.get<std::string>());
    for (const auto& stored : parts[4].elements) {
        const auto cut = stored.text.find('\n');
        if (cut == std::string::npos) continue;
        const auto event_seq = std::strtoull(stored.text.substr(0, cut).c_str(), nullptr, 10);
        if (event_seq > seq) replay.events.push_back(ReplayedEvent{event_seq, stored.text.substr(cut + 1)});
    }
    co_return replay;
}

void RedisSessionStore::RoutedReplay::watch(const std::string& stream_id, net::any_io_executor executor,
                                            std::function<void()> wake) {
    if (store_.fleet_.replay.holds(stream_id))
        store_.fleet_.replay.watch(stream_id, std::move(executor), std::move(wake));
    else
        store_.fleet_.watch_remote(stream_id, std::move(executor), std::move(wake));
}

}  // namespace mcpshim::session

namespace mcpshim::session {

// ---- HTTP+SSE streams: a POST that lands elsewhere is handed to the holder ----

void RedisSessionStore::RoutedConnections::claim(const std::string& connection_id, const std::string& principal,
                                                 std::int64_t lifetime_s) {
    store_.run_detached("claim", connection_id, args(principal, std::to_string(lifetime_s)));
}

void RedisSessionStore::RoutedConnections::release(const std::string& connection_id) {
    store_.run_detached("release", connection_id, {});
}

Task<bool> RedisSessionStore::RoutedConnections::forward(const std::string& connection_id,
                                                         const std::string& principal, std::string payload) {
    const auto result = co_await store_.run_script("route", connection_id, args(principal, std::move(payload)));
    if (!result.ok()) store_.unavailable(result, "the POST was not handed to its stream's instance");
    co_return result.reply.integer == 1;
}

}  // namespace mcpshim::session
