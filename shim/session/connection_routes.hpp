#pragma once
// Connections that live on one instance and that a client's later POSTs must
// reach: the HTTP+SSE transport's streams (2024-11-05), by id. In one process
// a POST finds its stream directly; in a fleet, one that lands on another
// instance is handed over to the instance holding the stream.
#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <functional>
#include <string>

namespace mcpshim::session {

class ConnectionRoutes {
public:
    using Forwarded = std::function<void(const std::string& connection_id, const std::string& payload)>;

    virtual ~ConnectionRoutes() = default;
    // This instance holds the connection (opened by `principal`) until
    // release, or `lifetime_s` at most.
    virtual void claim(const std::string& connection_id, const std::string& principal, std::int64_t lifetime_s) = 0;
    virtual void release(const std::string& connection_id) = 0;
    // Hands `payload` to the instance that holds the connection; false when
    // none does for that principal (or it stopped, or the store is away).
    virtual boost::asio::awaitable<bool> forward(const std::string& connection_id, const std::string& principal,
                                                 std::string payload) = 0;
    // What this process does with a payload handed to it; set before serving.
    virtual void on_forwarded(Forwarded handler) = 0;
};

// One process: every connection is here, so nothing is ever forwarded.
class LocalConnectionRoutes final : public ConnectionRoutes {
public:
    void claim(const std::string&, const std::string&, std::int64_t) override {}
    void release(const std::string&) override {}
    boost::asio::awaitable<bool> forward(const std::string&, const std::string&, std::string) override {
        co_return false;
    }
    void on_forwarded(Forwarded) override {}
};

}  // namespace mcpshim::session
