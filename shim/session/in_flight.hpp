#pragma once
// Requests being forwarded upstream, by session and the client's request id,
// so that a `notifications/cancelled` POSTed on any connection (and any
// serving thread) can stop the right one. Stopping it closes its upstream
// stream, which is how a 2026-07-28 server learns of a cancellation.
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/cancellation_signal.hpp>

#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

namespace mcpshim::session {

struct RequestCancel {
    boost::asio::cancellation_signal signal;  // emitted on the request's own executor
    bool cancelled = false;
};

class InFlight {
public:
    virtual ~InFlight() = default;
    // False when that id is already under way in the session: a JSON-RPC id
    // names one request, and a second one with it could be neither cancelled
    // nor asked for input apart from the first.
    virtual bool add(const std::string& session_id, const std::string& request_id,
                     boost::asio::any_io_executor executor, const std::shared_ptr<RequestCancel>& cancel) = 0;
    // Only if `cancel` is the one registered, so that a refused duplicate
    // leaving does not take the first request's entry with it.
    virtual void remove(const std::string& session_id, const std::string& request_id,
                        const std::shared_ptr<RequestCancel>& cancel) = 0;
    // False when no request with that id is under way here.
    virtual bool cancel(const std::string& session_id, const std::string& request_id) = 0;
};

// In this process only.
class LocalInFlight final : public InFlight {
public:
    bool add(const std::string& session_id, const std::string& request_id, boost::asio::any_io_executor executor,
             const std::shared_ptr<RequestCancel>& cancel) override;
    void remove(const std::string& session_id, const std::string& request_id,
                const std::shared_ptr<RequestCancel>& cancel) override;
    bool cancel(const std::string& session_id, const std::string& request_id) override;

private:
    struct Entry {
        boost::asio::any_io_executor executor;
        std::weak_ptr<RequestCancel> cancel;
    };
    std::mutex mutex_;
    std::unordered_map<std::string, Entry> requests_;  // "session\nid"
};

// Registers one request for as long as it is being served.
class InFlightScope {
public:
    InFlightScope(InFlight& registry, std::string session_id, std::string request_id,
                  boost::asio::any_io_executor executor);
    ~InFlightScope();
    InFlightScope(const InFlightScope&) = delete;
    InFlightScope& operator=(const InFlightScope&) = delete;

    const std::shared_ptr<RequestCancel>& cancel() const { return cancel_; }
    // False when the id was already under way: the request must be refused.
    bool admitted() const { return admitted_; }

private:
    InFlight& registry_;
    std::string session_id_;
    std::string request_id_;
    std::shared_ptr<RequestCancel> cancel_ = std::make_shared<RequestCancel>();
    bool admitted_ = false;
};

}  // namespace mcpshim::session
