#include "stdio/stdio_face.hpp"

#include <spdlog/spdlog.h>
#include <unistd.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include "async/guarded_spawn.hpp"
#include "async/mailbox.hpp"
#include "mcpshim/rewrite/option_names.hpp"
#include "mcpshim/rewrite/jsonrpc.hpp"
#include "relay/connection_session.hpp"

namespace mcpshim {

namespace net = boost::asio;
constexpr auto use_tuple = net::as_tuple(net::use_awaitable);
namespace code = rewrite::error_code;

namespace {

// Writes whole lines to stdout in the order they were queued, from one
// coroutine. A client that stops reading lets the queue fill: past its
// bounds the session ends (nothing else would ever reach that client).
class StdoutWriter {
public:
    StdoutWriter(net::io_context& io, async::MailboxBounds bounds)
        : io_(io), out_(io.get_executor(), ::dup(STDOUT_FILENO)), lines_(io.get_executor(), bounds) {}

    bool idle() const { return (lines_.empty() && !writing_) || failed_; }
    bool open() const { return !failed_; }

    bool write(const json& message) {
        if (failed_) return false;
        std::string line = to_text(message) + "\n";
        const auto size = line.size();
        if (lines_.post(std::move(line), size) == async::Posted::queued) return true;
        failed_ = true;
        spdlog::error("stdout: the client reads too slowly (its outbox passed {} {} or {} {}); ending the session",
                      option::max_outbox_bytes, lines_.bounds().max_bytes, option::max_outbox_messages,
                      lines_.bounds().max_messages);
        io_.stop();
        return false;
    }

    net::awaitable<void> run() {
        for (;;) {
            while (auto line = lines_.take()) {
                writing_ = true;
                auto [ec, n] = co_await net::async_write(out_, net::buffer(*line), use_tuple);
                writing_ = false;
                if (ec) {
                    failed_ = true;
                    co_return;
                }
            }
            co_await lines_.wait_until(async::Clock::time_point::max());
        }
    }

private:
    net::io_context& io_;
    net::posix::stream_descriptor out_;
    async::Mailbox<std::string> lines_;
    bool writing_ = false;
    bool failed_ = false;
};

// Built outside the coroutines that use it: GCC 12 mishandles init-captures there.
relay::MessageFunction to_stdout(StdoutWriter& writer) {
    return [&writer](json message) { return writer.write(message); };
}

net::awaitable<void> read_stdin(std::shared_ptr<relay::ConnectionSession> session, StdoutWriter& writer,
                                const rewrite::JsonLimits& limits, std::chrono::milliseconds drain_timeout,
                                net::io_context& io) {
    const auto executor = co_await net::this_coro::executor;
    net::posix::stream_descriptor in(executor, ::dup(STDIN_FILENO));
    std::string buffer;
    const relay::Caller caller;  // named: a braced temporary as a coroutine argument trips GCC 12
    for (;;) {
        auto [ec, n] =
            co_await net::async_read_until(in, net::dynamic_buffer(buffer, limits.max_body_bytes + 1), '\n', use_tuple);
        if (ec == net::error::not_found) {
            writer.write(rewrite::make_error(nullptr, code::invalid_request,
                                             "a message is over " + std::to_string(limits.max_body_bytes) +
                                                 " bytes (raise it with " + std::string(option::max_body_bytes) + "); closing"));
            spdlog::error("stdin: a line over {}; stopping", option::max_body_bytes);
            break;
        }
        if (ec) break;  // stdin closed: the client is done
        std::string line = buffer.substr(0, n - 1);
        buffer.erase(0, n);
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.find_first_not_of(" \t") == std::string::npos) continue;

        auto parsed = rewrite::parse_body(line, limits, session->batches_allowed());
        if (auto* failure = std::get_if<rewrite::ParseFailure>(&parsed)) {
            writer.write(rewrite::make_error(failure->id, failure->code, failure->message));
            continue;
        }
        co_await relay::ConnectionSession::dispatch(session, std::get<rewrite::ParsedBody>(std::move(parsed)).messages,
                                                    caller);
    }
    // The client closed its input, perhaps right after its last request: the
    // answers still under way are finished and written, up to --drain-timeout-ms.
    const auto deadline = std::chrono::steady_clock::now() + drain_timeout;
    net::steady_timer tick(executor);
    while ((session->requests_in_flight() > 0 || !writer.idle()) && std::chrono::steady_clock::now() < deadline) {
        tick.expires_after(std::chrono::milliseconds(20));
        co_await tick.async_wait(use_tuple);
    }
    if (const auto left = session->requests_in_flight())
        spdlog::warn("stdin closed: {} request{} still unanswered after {}", left,
                     left == 1 ? "" : "s", option::drain_timeout_ms);
    io.stop();
}

}  // namespace

void serve_stdio(net::io_context& io, relay::RelayContext& ctx, std::chrono::milliseconds drain_timeout) {
    StdoutWriter writer(io, ctx.settings.outbox);
    relay::ConnectionFace face{"stdio", "stdio", 10LL * 365 * 24 * 3600,  // the process lifetime
                               ctx.settings.max_requests_in_flight, "start another process for a new session"};
    auto session = std::make_shared<relay::ConnectionSession>(ctx, std::move(face), to_stdout(writer),
                                                              [&writer] { return writer.open(); });
    async::spawn_guarded(io, writer.run(), "the stdout writer");
    async::spawn_guarded(io, read_stdin(session, writer, ctx.settings.json_limits, drain_timeout, io),
                         "the stdin reader");
    io.run();
}

}  // namespace mcpshim
