#include "relay/listen_hub.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <chrono>

#include "async/guarded_spawn.hpp"
#include "mcpshim/rewrite/method_names.hpp"
#include "mcpshim/rewrite/legacy_response.hpp"

namespace mcpshim::relay {

namespace net = boost::asio;
using namespace std::chrono_literals;

struct ListenHub::Group {
    Group(ListenHub& owner, rewrite::ModernRequest listen, std::string credentials)
        : hub(&owner),
          request(std::move(listen)),
          authorization(std::move(credentials)),
          pause(owner.executor_) {}

    void leave(std::uint64_t id) {
        members.erase(id);
        if (!members.empty()) return;
        // The last member left: close the upstream stream, and let a new
        // member start a new group rather than join this closing one.
        closing = true;
        pause.cancel();
        stop.emit(net::cancellation_type::terminal);
        if (hub) hub->forget(self);
    }

    ListenHub* hub;  // cleared when the hub goes first
    Groups::iterator self;  // this group's entry in the hub
    rewrite::ModernRequest request;
    std::string authorization;
    std::map<std::uint64_t, Deliver> members;
    std::uint64_t next_member = 0;
    net::steady_timer pause;  // backoff before a re-open
    net::cancellation_signal stop;
    bool closing = false;
};

// The group's upstream stream, re-opened while the group has members.
net::awaitable<void> ListenHub::hold(upstream::UpstreamPool& pool, std::shared_ptr<Group> group) {
    auto backoff = 100ms;
    while (!group->closing) {
        auto request = group->request;
        request.body["id"] = pool.next_request_id();
        Group* shared = group.get();
        auto result = co_await pool.send(
            std::move(request), group->authorization,
            [shared, &backoff](json message) -> net::awaitable<bool> {
                const std::string method = string_member(message, "method");
                if (method == method_name::notification_subscriptions_acknowledged) {
                    backoff = 100ms;
                } else if (!method.empty() && !message.contains("id")) {
                    const json notification = rewrite::to_legacy_notification(std::move(message));
                    // Delivering only queues: no member joins or leaves meanwhile.
                    for (const auto& [id, deliver] : shared->members) deliver(notification);
                }
                co_return !shared->closing;
            },
            {}, group->stop.slot());
        if (group->closing) break;
        spdlog::info("upstream listen stream for {} session(s) ended ({}: {}); re-opening in {} ms",
                     group->members.size(), upstream::describe(result.failure), result.detail, backoff.count());
        group->pause.expires_after(backoff);
        backoff = std::min(backoff * 2, std::chrono::milliseconds(5000));
        co_await group->pause.async_wait(net::as_tuple(net::use_awaitable));
    }
}

ListenHub::ListenHub(net::any_io_executor executor, upstream::UpstreamPool& pool)
    : executor_(std::move(executor)), pool_(pool) {}

ListenHub::~ListenHub() {
    for (auto& [key, group] : groups_) group->hub = nullptr;
}

std::unique_ptr<ListenHub::Membership> ListenHub::join(rewrite::ModernRequest request, std::string authorization,
                                                        Deliver deliver) {
    // Everything but the id decides what the upstream sends back.
    std::string key = authorization;
    key += '\n';
    for (const auto& [name, value] : request.headers) key += name + ": " + value + "\n";
    key += to_text(request.body["params"]);
    auto [entry, created] = groups_.try_emplace(std::move(key));
    auto& group = entry->second;
    if (created) {
        group = std::make_shared<Group>(*this, std::move(request), std::move(authorization));
        group->self = entry;
        async::spawn_guarded(executor_, hold(pool_, group), "a shared upstream listen");
    }
    const auto id = group->next_member++;
    group->members.emplace(id, std::move(deliver));
    return std::make_unique<Membership>(group, id);
}

void ListenHub::forget(Groups::iterator entry) {
    groups_.erase(entry);
}

ListenHub::Membership::~Membership() {
    if (auto group = group_.lock()) group->leave(id_);
}

}  // namespace mcpshim::relay
