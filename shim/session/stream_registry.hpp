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
    virtual ~StreamRegistry() = default;
    // False when the session already has a stream open here.
    virtual bool open(const std::string& session_id, boost::asio::any_io_executor executor,
                      std::function<void()> on_change) = 0;
    virtual void close(const std::string& session_id) = 0;
    // Runs the stream's on_change on its own executor, if it is open here.
    virtual void changed(const std::string& session_id) = 0;
    virtual std::size_t size() const = 0;
};

// In this process only.
class LocalStreamRegistry final : public StreamRegistry {
public:
    bool open(const std::string& session_id, boost::asio::any_io_executor executor,
              std::function<void()> on_change) override;
    void close(const std::string& session_id) override;
    void changed(const std::string& session_id) override;
    std::size_t size() const override;
    // Every stream here listens anew (changes may have been missed).
    void changed_all();

private:
    struct Stream {
        boost::asio::any_io_executor executor;
        std::function<void()> on_change;
    };
    mutable std::mutex mutex_;
    std::unordered_map<std::string, Stream> streams_;
};

}  // namespace mcpshim::session
