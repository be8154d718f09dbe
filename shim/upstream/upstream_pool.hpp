#pragma once
// The modern client side: interchangeable upstream instances, balanced
// round-robin over HTTP/1.1 keep-alive connections. A request that never
// left (connect refused, reset before it was written) goes to the next
// instance; JSON and SSE answers are handed over message by message as they
// arrive.
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/ssl/context.hpp>
#include "mcpshim/rewrite/json.hpp"

#include <chrono>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "mcpshim/rewrite/json_limits.hpp"
#include "mcpshim/rewrite/modern_request.hpp"
#include "upstream/upstream_endpoint.hpp"

namespace mcpshim::upstream {

using std::chrono::milliseconds;

struct UpstreamTimeouts {
    milliseconds connect{5000};     // --upstream-connect-timeout-ms
    milliseconds response{300000};  // --upstream-timeout-ms: until the response headers
    milliseconds idle{300000};      // --upstream-idle-timeout-ms: between two body chunks
    milliseconds keepalive{4000};   // --upstream-keepalive-ms: how long an idle connection is reused
};

struct UpstreamLimits {
    std::size_t max_response_bytes = 16 * 1024 * 1024;  // --max-upstream-response-bytes (JSON bodies)
    std::size_t max_event_bytes = 16 * 1024 * 1024;     // --max-sse-event-bytes
    std::size_t max_idle_connections = 256;             // --upstream-max-idle per instance
    std::size_t max_json_depth = 64;                    // --max-json-depth, as for clients
    std::size_t max_object_members = 10000;             // --max-object-members, as for clients
    std::size_t max_interim_responses = 8;              // 1xx heads skipped before the final one
};

enum class Failure {
    none,
    unreachable,   // the request never left: the next instance may take it
    timeout,       // sent, but no answer in time
    broken,        // sent, then the connection or stream broke
    http_error,    // an HTTP error that is not a JSON-RPC answer
    bad_response,  // unreadable body, or over a limit
    client_gone,   // the sink declined further messages
};

struct UpstreamResult {
    Failure failure = Failure::none;
    std::string instance;  // URL of the instance that answered (or failed last)
    unsigned status = 0;
    std::string detail;     // human-readable, for errors and logs
    bool streamed = false;  // the answer was an SSE stream
};

// Receives each JSON-RPC message of the answer; returns false to stop reading.
using MessageSink = std::function<boost::asio::awaitable<bool>(json)>;

class UpstreamPool {
public:
    UpstreamPool(boost::asio::any_io_executor executor, std::vector<UpstreamEndpoint> endpoints,
                 UpstreamTimeouts timeouts, UpstreamLimits limits, boost::asio::ssl::context& tls);
    ~UpstreamPool();

    // `pinned` (an instance URL) sends to that instance only, with no
    // failover: it holds state the others lack (a task). A signal on `cancel`
    // stops the exchange: before the request is written nothing is sent (and
    // no other instance is tried); after, the read of the answer is aborted,
    // so the upstream sees its stream close.
    boost::asio::awaitable<UpstreamResult> send(rewrite::ModernRequest request, std::string authorization,
                                                MessageSink sink, std::string pinned = {},
                                                boost::asio::cancellation_slot cancel = {});

    const std::vector<UpstreamEndpoint>& endpoints() const;

    // Upstream JSON-RPC ids: the upstream is stateless, so a counter per pool
    // (per thread) keeps them unique on every connection.
    std::int64_t next_request_id() { return ++request_counter_; }

private:
    struct Connection;
    struct Instance;
    struct Cancellation;
    struct Exchange;
    boost::asio::awaitable<UpstreamResult> send_to(Instance& instance, const std::string& body,
                                                   const json& request_id, const rewrite::ModernRequest& request,
                                                   std::string_view authorization, const MessageSink& sink,
                                                   Cancellation& cancellation);
    boost::asio::awaitable<std::unique_ptr<Connection>> connect(Instance& instance, std::string& error);
    std::unique_ptr<Connection> take_idle(Instance& instance);
    rewrite::JsonLimits json_limits(std::size_t max_bytes) const;

    boost::asio::any_io_executor executor_;
    std::vector<UpstreamEndpoint> endpoints_;
    std::vector<std::unique_ptr<Instance>> instances_;
    UpstreamTimeouts timeouts_;
    UpstreamLimits limits_;
    boost::asio::ssl::context& tls_;
    std::size_t next_ = 0;
    std::int64_t request_counter_ = 0;
};

std::string_view describe(Failure failure);

}  // namespace mcpshim::upstream
