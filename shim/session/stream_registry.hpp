#pragma once
// The standalone GET streams open in this process, one per session, so that
// a change of the session's subscriptions (made by a POST on any thread)
// reaches the stream that delivers them.
#include <boost/asio/any_io_executor.hpp>

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

namespace mcpshim::session {

class StreamRegistry {
public:
    // False when the session already has a stream open here.
    bool open(const std::string& session_id, boost::asio::any_io_executor executor, std::function<void()> on_change);
    void close(const std::string& session_id);
    // Runs the stream's on_change on its own executor, if it is open here.
    void changed(const std::string& session_id);
    std::size_t size() const;

private:
    struct Stream {
        boost::asio::any_io_executor executor;
        std::function<void()> on_change;
    };
    mutable std::mutex mutex_;
    std::unordered_map<std::string, Stream> streams_;
};

}  // namespace mcpshim::session
