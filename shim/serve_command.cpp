#include "serve_command.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/ssl/context.hpp>

#include <sys/resource.h>

#include <cerrno>
#ifdef __SANITIZE_ADDRESS__
#include <sanitizer/lsan_interface.h>
#endif
#include <cstdio>
#include <cstring>
#include <cstdlib>
#include <functional>
#include <iostream>
#include <thread>

#include "async/guarded_spawn.hpp"
#include "mcpshim/rewrite/option_names.hpp"
#include "http/http_server.hpp"
#include "http/http_context.hpp"
#include "http/sse_transport.hpp"
#include "startup.hpp"
#include "timer_floor.hpp"

namespace mcpshim {

namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

tcp::acceptor open_acceptor(net::io_context& io, const tcp::endpoint& endpoint) {
    tcp::acceptor acceptor(io);
    acceptor.open(endpoint.protocol());
    acceptor.set_option(tcp::acceptor::reuse_address(true));
    // Every serving thread has its own acceptor on the same port; the kernel
    // spreads connections across them.
    int one = 1;
    ::setsockopt(acceptor.native_handle(), SOL_SOCKET, SO_REUSEPORT, &one, sizeof one);
    acceptor.bind(endpoint);
    acceptor.listen(net::socket_base::max_listen_connections);
    return acceptor;
}

// One serving thread's world: its own io_context, acceptor, upstream pool,
// caches and opened session ids.
struct Worker {
    Worker(const ServeConfig& config, startup::SharedState& shared, const session::SessionKeyring& keys,
           http_face::SseConnections& sse_connections)
        : state(io.get_executor(), config, shared),
          opened_tokens(config.opened_token_cache),
          context{state.context, config.http, keys, opened_tokens, sse_connections, nullptr, {}, 0} {}  // recording set later
    net::io_context io{1};
    std::optional<tcp::acceptor> acceptor;
    startup::ThreadState state;
    session::OpenedTokens opened_tokens;
    http_face::HttpContext context;
};

// Raises the soft limit on open files to what the connection bound needs
// (accepting past the limit fails with EMFILE), or says why it cannot.
bool apply_descriptor_plan(ServeConfig& config, unsigned threads) {
    rlimit limit{};
    ::getrlimit(RLIMIT_NOFILE, &limit);
    const auto plan = startup::plan_descriptors(config.http.max_connections, threads,
                                                config.upstream_limits.max_idle_connections * config.upstream_urls.size(),
                                                limit.rlim_cur, limit.rlim_max);
    if (!plan.error.empty()) {
        spdlog::error("{}", plan.error);
        return false;
    }
    config.http.max_connections = plan.max_connections;
    if (plan.soft_limit > limit.rlim_cur) {
        limit.rlim_cur = plan.soft_limit;
        if (::setrlimit(RLIMIT_NOFILE, &limit) != 0) {
            spdlog::error("cannot raise the open-file soft limit to {}: {}", plan.soft_limit, std::strerror(errno));
            return false;
        }
    }
    return true;
}

// Waits until every request under way is answered, or the drain time is up.
net::awaitable<void> finish_drain(http_face::Drain& drain, std::chrono::milliseconds timeout,
                                  std::function<void()> stop) {
    net::steady_timer tick(co_await net::this_coro::executor);
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (drain.answering > 0 && std::chrono::steady_clock::now() < deadline) {
        tick.expires_after(std::chrono::milliseconds(20));
        boost::system::error_code ignored;
        co_await tick.async_wait(net::redirect_error(net::use_awaitable, ignored));
    }
    if (const std::size_t left = drain.answering; left > 0)
        spdlog::warn("{} ms passed ({}): stopping with {} request{} unanswered", timeout.count(),
                     option::drain_timeout_ms, left, left == 1 ? "" : "s");
    else
        spdlog::info("every request under way was answered: stopping");
    stop();
}

}  // namespace

int run_serve(const ServeConfig& requested) {
    const unsigned thread_count = std::max(1u, requested.threads);
    ServeConfig config = requested;
    if (!apply_descriptor_plan(config, thread_count)) return 2;
    startup::SharedState shared(config, /*warn_when_random_key=*/true);
    http_face::SseConnections sse_connections;  // HTTP+SSE streams, found by id from any thread

    std::unique_ptr<record::RecordingWriter> recording;
    if (!config.record_path.empty())
        recording = std::make_unique<record::RecordingWriter>(config.record_path, "mcpshim serve");
    std::vector<std::unique_ptr<Worker>> workers;
    tcp::endpoint endpoint(net::ip::make_address(config.http.listen_host), config.http.listen_port);
    for (unsigned i = 0; i < thread_count; ++i) {
        auto worker = std::make_unique<Worker>(config, shared, shared.keys, sse_connections);
        worker->acceptor.emplace(open_acceptor(worker->io, endpoint));
        endpoint = worker->acceptor->local_endpoint();  // a port of 0 is chosen once, then shared
        keep_timer_floor(worker->io);
        async::spawn_guarded(worker->io, http_face::accept_loop(*worker->acceptor, worker->context), "an accept loop");
        workers.push_back(std::move(worker));
    }

    // A POST another instance took for an HTTP+SSE stream held here.
    workers.front()->context.store.routes().on_forwarded(
        [&sse_connections, &config](const std::string& id, const std::string& payload) {
            http_face::accept_forwarded_sse_message(sse_connections, config.relay.json_limits, id, payload);
        });
    if (shared.fleet) shared.fleet->start(workers.front()->io.get_executor());

    http_face::Drain drain;
    for (auto& worker : workers) worker->context.drain = &drain;
    const auto stop_now = [&] {
        if (shared.fleet) shared.fleet->stop();
        for (auto& worker : workers) worker->io.stop();
    };
    net::signal_set signals(workers.front()->io, SIGINT, SIGTERM);
    signals.async_wait([&](const boost::system::error_code& ec, int signal) {
        if (ec) return;
        spdlog::info("signal {}: stopping; requests under way have {} ms ({}) to be answered, a second signal "
                     "stops at once",
                     signal, config.drain_timeout.count(), option::drain_timeout_ms);
        drain.draining = true;
        for (auto& worker : workers)
            net::post(worker->io, [&acceptor = *worker->acceptor] {
                boost::system::error_code ignored;
                acceptor.close(ignored);
            });
        signals.async_wait([&](const boost::system::error_code& again, int) {
            if (!again) stop_now();
        });
        async::spawn_guarded(workers.front()->io, finish_drain(drain, config.drain_timeout, stop_now), "the drain");
    });

    const std::string host =
        endpoint.address().is_v6() ? "[" + endpoint.address().to_string() + "]" : endpoint.address().to_string();
    const std::string url = "http://" + host + ":" + std::to_string(endpoint.port()) + config.http.endpoint_path;
    for (auto& worker : workers) {
        worker->context.recording = recording.get();
        worker->context.recording_server = url;
    }
    spdlog::info("mcpshim {} serving legacy MCP clients on {} ({} thread{}), upstream {}, session store {}",
                 MCPSHIM_VERSION, url, thread_count, thread_count == 1 ? "" : "s", config.upstream_urls.front(),
                 shared.fleet ? shared.fleet->endpoint().display() + " as instance " + shared.fleet->instance()
                              : std::string("memory"));
    std::cout << R"({"listening":")" << url << R"(","port":)" << endpoint.port() << "}" << std::endl;

    std::vector<std::thread> threads;
    for (std::size_t i = 1; i < workers.size(); ++i) threads.emplace_back([&, i] { workers[i]->io.run(); });
    workers.front()->io.run();
    for (auto& thread : threads) thread.join();
    // Stopped by a signal. Suspended coroutines still reference the workers'
    // objects, so leave without unwinding them.
    spdlog::shutdown();
    std::fflush(nullptr);
#ifdef __SANITIZE_ADDRESS__
    // _Exit skips the leak check that would run at exit: run it now (it
    // exits non-zero when something was leaked).
    __lsan_do_leak_check();
#endif
    std::_Exit(0);
}

}  // namespace mcpshim
