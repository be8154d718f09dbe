#pragma once
// Upstream `subscriptions/listen` streams, shared by the sessions that would
// each send the very same one: same credentials, same notification filter,
// same client info and capabilities. Thousands of GET streams of one client
// application then hold one upstream stream instead of thousands, on the
// upstream and in the shim. One hub per serving thread; everything in it
// runs on that thread's executor.
//
// A group re-opens its stream (with backoff) when the upstream drops it, for
// as long as it has members; the last member to leave closes it.
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "mcpshim/rewrite/json.hpp"
#include "mcpshim/rewrite/modern_request.hpp"
#include "upstream/upstream_pool.hpp"

namespace mcpshim::relay {

class ListenHub {
public:
    // Receives each change notification, already in its legacy shape.
    using Deliver = std::function<void(const json& notification)>;

    // Leaves the group when destroyed.
    class Membership;

    ListenHub(boost::asio::any_io_executor executor, upstream::UpstreamPool& pool);
    ~ListenHub();

    // `request` is the listen this member would send alone; its id is replaced on every (re-)open.
    std::unique_ptr<Membership> join(rewrite::ModernRequest request, std::string authorization, Deliver deliver);

    struct Group;  // one shared upstream listen and its members

private:
    // By everything in the listen request but its id, with the credentials.
    using Groups = std::map<std::string, std::shared_ptr<Group>>;
    static boost::asio::awaitable<void> hold(upstream::UpstreamPool& pool, std::shared_ptr<Group> group);
    void forget(Groups::iterator entry);

    boost::asio::any_io_executor executor_;
    upstream::UpstreamPool& pool_;
    Groups groups_;
};

class ListenHub::Membership {
public:
    Membership(std::weak_ptr<Group> group, std::uint64_t id) : group_(std::move(group)), id_(id) {}
    ~Membership();
    Membership(const Membership&) = delete;
    Membership& operator=(const Membership&) = delete;

private:
    std::weak_ptr<Group> group_;
    std::uint64_t id_;
};

}  // namespace mcpshim::relay
