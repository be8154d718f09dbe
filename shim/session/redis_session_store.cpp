#include "session/redis_session_store.hpp"

#include <spdlog/spdlog.h>

#include <stdexcept>

#include "async/guarded_spawn.hpp"
#include "async/log_throttle.hpp"
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

}  // namespace

// ---- the process's part ----

RedisFleet::RedisFleet(SharedStoreSettings settings, StoreLimits limits, ReplayLimits replay_limits)
    : cache(settings.cache_entries),
      replay(replay_limits),
      settings_(std::move(settings)),
      limits_(limits),
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
    handlers.on_ready = [this] {
        subscribed_ = true;
        cache.set_enabled(true);
    };
    subscriber_ = redis::RedisSubscriber::create(std::move(executor), endpoint_, settings_.redis, std::move(handlers));
    subscriber_->subscribe(channel("changed"));
    subscriber_->subscribe(channel("input"));
    subscriber_->subscribe(channel("cancel"));
    subscriber_->start();
}

void RedisFleet::stop() {
    if (subscriber_) subscriber_->stop();
}

void RedisFleet::on_message(const std::string& name, const std::string& payload) {
    const auto message = parse_published(payload);
    if (!message) return;
    const bool mine = message->origin == instance_;
    if (name == channel("changed")) {
        cache.invalidate(message->session_id);
        // This instance told its own streams when it made the change.
        if (!mine) streams.changed(message->session_id);
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
    auto command = args("EVALSHA", redis_store_script_sha(), "0", std::move(op), fleet_.settings().key_prefix,
                        session_id, fleet_.instance(), std::to_string(unix_now()));
    for (auto& arg : extra) command.push_back(std::move(arg));
    auto result = co_await connection_->command(command);
    if (result.failure == redis::RedisFailure::none && result.reply.is_error() &&
        result.reply.text.rfind("NOSCRIPT", 0) == 0) {
        // Redis restarted (or flushed its scripts): send the text, which it keeps again.
        command[1] = std::string(redis_store_script());
        command[0] = "EVAL";
        result = co_await connection_->command(command);
    }
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
    co_return refusal_named(result.reply.text);
}

void RedisSessionStore::unavailable(const RedisResult& result, const std::string& what) const {
    throw StoreUnavailable(describe(StoreRefusal::unavailable) + " (" + name() + "): " + what + ": " +
                           (result.detail.empty() ? result.reply.text : result.detail));
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
    co_return result.ok() ? StoreRefusal::none : StoreRefusal::unavailable;
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
