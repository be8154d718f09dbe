#pragma once
// Server-to-client requests the shim has sent to legacy clients (sampling,
// elicitation, roots) and is waiting on. The client POSTs its response on
// any connection, which may land on any serving thread; the response is
// handed to the waiting request on that request's own executor.
#include <boost/asio/any_io_executor.hpp>

#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "async/wakeup.hpp"
#include "mcpshim/rewrite/json.hpp"

namespace mcpshim::session {

// Owned by the waiting request; answers arrive keyed by request id.
struct InputWait {
    explicit InputWait(boost::asio::any_io_executor executor) : wake(std::move(executor)) {}
    async::Wakeup wake;  // notified whenever an answer arrives
    std::unordered_map<std::string, json> answers;
};

class PendingInputs {
public:
    virtual ~PendingInputs() = default;
    virtual void expect(const std::string& session_id, const std::string& request_id,
                        const std::shared_ptr<InputWait>& wait) = 0;
    virtual void forget(const std::string& session_id, const std::string& request_id) = 0;
    // Delivers a client's JSON-RPC response; false when nothing waits for it.
    virtual bool deliver(const std::string& session_id, const json& response) = 0;
    virtual std::size_t size() const = 0;
};

// In this process only.
class LocalPendingInputs final : public PendingInputs {
public:
    void expect(const std::string& session_id, const std::string& request_id,
                const std::shared_ptr<InputWait>& wait) override;
    void forget(const std::string& session_id, const std::string& request_id) override;
    bool deliver(const std::string& session_id, const json& response) override;
    std::size_t size() const override;

private:
    mutable std::mutex mutex_;
    std::unordered_map<std::string, std::weak_ptr<InputWait>> waiting_;  // "session\nid"
};

std::string request_id_key(const json& id);

}  // namespace mcpshim::session
