#include "stdio/stdio_face.hpp"

#include <spdlog/spdlog.h>
#include <unistd.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <cstdio>
#include <cstdlib>
#include <deque>

#include "async/guarded_spawn.hpp"
#include "mcpshim/rewrite/jsonrpc.hpp"
#include "mcpshim/rewrite/legacy_response.hpp"
#include "mcpshim/rewrite/protocol_version.hpp"
#include "mcpshim/rewrite/safe_text.hpp"
#include "relay/listen_relay.hpp"
#include "relay/message_function.hpp"
#include "relay/request_relay.hpp"
#include "relay/session_start.hpp"

namespace mcpshim {

namespace net = boost::asio;
constexpr auto use_tuple = net::as_tuple(net::use_awaitable);
namespace code = rewrite::error_code;

namespace {

// Writes whole lines to stdout in the order they were queued, from one coroutine.
class StdoutWriter {
public:
    explicit StdoutWriter(net::any_io_executor executor) : out_(executor, ::dup(STDOUT_FILENO)), wake_(executor) {}

    bool idle() const { return queue_.empty() || failed_; }

    bool write(const json& message) {
        if (failed_) return false;
        queue_.push_back(to_text(message) + "\n");
        wake_.cancel();
        return true;
    }

    net::awaitable<void> run() {
        for (;;) {
            while (!queue_.empty()) {
                auto [ec, n] = co_await net::async_write(out_, net::buffer(queue_.front()), use_tuple);
                if (ec) {
                    failed_ = true;
                    co_return;
                }
                queue_.pop_front();
            }
            wake_.expires_after(std::chrono::hours(24));
            co_await wake_.async_wait(use_tuple);
        }
    }

private:
    net::posix::stream_descriptor out_;
    net::steady_timer wake_;
    std::deque<std::string> queue_;
    bool failed_ = false;
};

// Built outside the coroutines that use it: GCC 12 mishandles init-captures there.
relay::MessageFunction to_stdout(StdoutWriter& writer) {
    return [&writer](json message) { return writer.write(message); };
}

struct StdioSession {
    relay::RelayContext& ctx;
    std::chrono::milliseconds drain_timeout;
    StdoutWriter& writer;
    std::optional<relay::OpenSession> session;
    std::size_t in_flight = 0;  // requests being served
};

net::awaitable<void> serve_one(StdioSession& stdio, rewrite::Message message) {
    relay::RequestRelay relay(stdio.ctx);
    relay::FunctionReply reply(to_stdout(stdio.writer));
    relay::RequestLog log;
    log.session = stdio.session->claims.session_id;
    const auto started = std::chrono::steady_clock::now();
    const relay::Caller caller;  // named: a braced temporary as a coroutine argument trips GCC 12
    ++stdio.in_flight;
    co_await relay.serve(message, *stdio.session, caller, reply, log);
    --stdio.in_flight;
    spdlog::info("stdio rpc={} #{} upstream={} {:.1f}ms{}{}", rewrite::log_safe(message.method()),
                 rewrite::log_safe(to_text(message.id())), log.upstream.empty() ? "-" : log.upstream,
                 std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count(),
                 log.note.empty() ? "" : " note=", rewrite::log_safe(log.note, 400));
}

net::awaitable<void> initialize(StdioSession& stdio, rewrite::Message message) {
    auto start = co_await relay::start_session(stdio.ctx, std::move(message), "stdio", std::string(),
                                               10LL * 365 * 24 * 3600);  // the process lifetime
    stdio.writer.write(start.answer);
    if (!start.claims) co_return;
    spdlog::info("stdio session {} negotiated {}", start.claims->session_id, start.claims->protocol_version);
    stdio.session = relay::OpenSession{std::move(*start.claims), {}};
}

net::awaitable<void> relay_notifications(StdioSession& stdio) {
    relay::FunctionSink sink(to_stdout(stdio.writer), [] { return true; });
    co_await relay::relay_change_notifications(stdio.ctx, stdio.session->claims, std::string(), sink);
}

net::awaitable<void> read_stdin(StdioSession& stdio, net::io_context& io) {
    const auto executor = co_await net::this_coro::executor;
    net::posix::stream_descriptor in(executor, ::dup(STDIN_FILENO));
    const auto& limits = stdio.ctx.settings.json_limits;
    std::string buffer;
    relay::RequestRelay relay(stdio.ctx);
    for (;;) {
        auto [ec, n] =
            co_await net::async_read_until(in, net::dynamic_buffer(buffer, limits.max_body_bytes + 1), '\n', use_tuple);
        if (ec == net::error::not_found) {
            stdio.writer.write(rewrite::make_error(nullptr, code::invalid_request,
                                                   "a message is over " + std::to_string(limits.max_body_bytes) +
                                                       " bytes (raise it with --max-body-bytes); closing"));
            spdlog::error("stdin: a line over --max-body-bytes; stopping");
            break;
        }
        if (ec) break;  // stdin closed: the client is done
        std::string line = buffer.substr(0, n - 1);
        buffer.erase(0, n);
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.find_first_not_of(" \t") == std::string::npos) continue;

        const bool batch_allowed = stdio.session && rewrite::allows_batches(stdio.session->claims.protocol_version);
        auto parsed = rewrite::parse_body(line, limits, batch_allowed);
        if (auto* failure = std::get_if<rewrite::ParseFailure>(&parsed)) {
            stdio.writer.write(rewrite::make_error(failure->id, failure->code, failure->message));
            continue;
        }
        for (auto& message : std::get<rewrite::ParsedBody>(parsed).messages) {
            if (message.is_request() && message.method() == "initialize") {
                co_await initialize(stdio, message);
                if (stdio.session)
                    async::spawn_guarded(executor, relay_notifications(stdio), "stdio change notifications");
            } else if (!stdio.session) {
                if (message.is_request()) stdio.writer.write(relay::answer_before_initialize(message));
            } else if (!message.is_request()) {
                relay.accept_from_client(message, *stdio.session);
            } else {
                // Requests run side by side: one may wait on the client while the next is answered.
                async::spawn_guarded(executor, serve_one(stdio, std::move(message)), "a stdio request");
            }
        }
    }
    // The client closed its input, perhaps right after its last request: the
    // answers still under way are finished and written, up to --drain-timeout-ms.
    const auto deadline = std::chrono::steady_clock::now() + stdio.drain_timeout;
    net::steady_timer tick(executor);
    while ((stdio.in_flight > 0 || !stdio.writer.idle()) && std::chrono::steady_clock::now() < deadline) {
        tick.expires_after(std::chrono::milliseconds(20));
        co_await tick.async_wait(use_tuple);
    }
    if (stdio.in_flight > 0)
        spdlog::warn("stdin closed: {} request{} still unanswered after --drain-timeout-ms", stdio.in_flight,
                     stdio.in_flight == 1 ? "" : "s");
    io.stop();
}

}  // namespace

void serve_stdio(net::io_context& io, relay::RelayContext& ctx, std::chrono::milliseconds drain_timeout) {
    StdoutWriter writer(io.get_executor());
    StdioSession stdio{ctx, drain_timeout, writer, std::nullopt};
    async::spawn_guarded(io, writer.run(), "the stdout writer");
    async::spawn_guarded(io, read_stdin(stdio, io), "the stdin reader");
    io.run();
}

}  // namespace mcpshim
