#include "session/pending_inputs.hpp"

#include <boost/asio/post.hpp>

namespace mcpshim::session {

std::string request_id_key(const json& id) {
    return id.is_string() ? id.get<std::string>() : to_text(id);
}

void LocalPendingInputs::expect(const std::string& session_id, const std::string& request_id,
                                const std::shared_ptr<InputWait>& wait) {
    std::lock_guard lock(mutex_);
    waiting_[session_id + "\n" + request_id] = wait;
}

void LocalPendingInputs::forget(const std::string& session_id, const std::string& request_id) {
    std::lock_guard lock(mutex_);
    waiting_.erase(session_id + "\n" + request_id);
}

bool LocalPendingInputs::deliver(const std::string& session_id, const json& response) {
    if (!response.contains("id")) return false;
    const std::string id = request_id_key(response["id"]);
    std::shared_ptr<InputWait> wait;
    {
        std::lock_guard lock(mutex_);
        const auto it = waiting_.find(session_id + "\n" + id);
        if (it == waiting_.end()) return false;
        wait = it->second.lock();
        waiting_.erase(it);
    }
    if (!wait) return false;
    boost::asio::post(wait->wake.get_executor(), [wait, id, response] {
        wait->answers[id] = response;
        wait->wake.notify();
    });
    return true;
}

std::size_t LocalPendingInputs::size() const {
    std::lock_guard lock(mutex_);
    return waiting_.size();
}

}  // namespace mcpshim::session
