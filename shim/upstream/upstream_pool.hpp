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
#include <string_view>
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

// A modern client's request, passed through as it came: the bytes of its
// body (the caller's, alive until relay() returns), and the end-to-end
// headers to send with them.
struct RawRequest {
    std::string_view body;
    rewrite::HeaderList headers;
    bool long_lived = false;  // a subscriptions/listen: comments alone keep it open
};

// Where a passed-through answer goes, as it arrives; each returns false when
// the client is gone. An SSE answer is handed over whole event by whole
// event; any other answer as one body, read up to --max-upstream-response-bytes.
struct RawAnswer {
    std::function<boost::asio::awaitable<bool>(unsigned status, std::string content_type,
                                               rewrite::HeaderList headers, std::string body)>
        whole;
    std::function<boost::asio::awaitable<bool>(rewrite::HeaderList headers)> begin_events;
    std::function<boost::asio::awaitable<bool>(std::string events)> events;
};

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

    // The same balancing and failover for a request passed through as bytes:
    // nothing of it or of the answer is parsed or re-serialized.
    boost::asio::awaitable<UpstreamResult> relay(RawRequest request, const RawAnswer& answer,
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
    using AnswerReader = std::function<boost::asio::awaitable<bool>(Exchange&)>;
    // Writes `body` with `headers` to `instance`, reads the final head, then
    // the answer with `read`; the connection is pooled again when it can be.
    boost::asio::awaitable<UpstreamResult> exchange_with(Instance& instance, std::string_view body,
                                                         const rewrite::HeaderList& headers,
                                                         Cancellation& cancellation, const AnswerReader& read);
    // Round-robin over the instances, to the next while one is unreachable.
    boost::asio::awaitable<UpstreamResult> balanced(Cancellation& cancellation,
                                                    const std::function<boost::asio::awaitable<UpstreamResult>(Instance&)>& attempt);
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
