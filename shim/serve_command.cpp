#include "serve_command.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/ssl/context.hpp>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#include "http/http_server.hpp"
#include "shim_context.hpp"
#include "startup.hpp"

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

// One serving thread's world: its own io_context, acceptor, upstream pool and caches.
struct Worker {
    net::io_context io{1};
    std::optional<tcp::acceptor> acceptor;
    std::unique_ptr<upstream::UpstreamPool> pool;
    std::unique_ptr<upstream::DiscoverCache> discover;
    std::unique_ptr<upstream::ToolSchemaCache> tool_schemas;
    std::unique_ptr<ShimContext> context;
};

}  // namespace

int run_serve(const ServeConfig& config) {
    const auto keys = startup::load_session_keys(config, true);
    const auto endpoints = startup::parse_upstreams(config);
    session::MemorySessionStore store(config.max_session_entries, config.max_subscriptions_per_session);
    session::PendingInputs pending_inputs;
    session::StreamRegistry streams;
    session::InFlight in_flight;
    session::ReplayBuffer replay(config.replay_limits);

    net::ssl::context tls = startup::upstream_tls_context(config);

    const unsigned thread_count = std::max(1u, config.threads);
    std::vector<std::unique_ptr<Worker>> workers;
    tcp::endpoint endpoint(net::ip::make_address(config.listen_host), config.listen_port);
    for (unsigned i = 0; i < thread_count; ++i) {
        auto worker = std::make_unique<Worker>();
        worker->acceptor.emplace(open_acceptor(worker->io, endpoint));
        endpoint = worker->acceptor->local_endpoint();  // a port of 0 is chosen once, then shared
        worker->pool = std::make_unique<upstream::UpstreamPool>(worker->io.get_executor(), endpoints,
                                                                config.upstream_timeouts, config.upstream_limits, tls);
        worker->discover = std::make_unique<upstream::DiscoverCache>(*worker->pool);
        worker->tool_schemas = std::make_unique<upstream::ToolSchemaCache>(*worker->pool, config.tool_schema_min_ttl);
        worker->context.reset(new ShimContext{config, keys, store, pending_inputs, streams, in_flight, replay,
                                              *worker->pool, *worker->discover, *worker->tool_schemas});
        net::co_spawn(worker->io, http_face::accept_loop(*worker->acceptor, *worker->context), net::detached);
        workers.push_back(std::move(worker));
    }

    net::signal_set signals(workers.front()->io, SIGINT, SIGTERM);
    signals.async_wait([&](const boost::system::error_code&, int signal) {
        spdlog::info("signal {}: stopping", signal);
        for (auto& worker : workers) worker->io.stop();
    });

    const std::string host =
        endpoint.address().is_v6() ? "[" + endpoint.address().to_string() + "]" : endpoint.address().to_string();
    const std::string url = "http://" + host + ":" + std::to_string(endpoint.port()) + config.endpoint_path;
    spdlog::info("mcpshim {} serving legacy MCP clients on {} ({} thread{}), upstream {}", MCPSHIM_VERSION, url,
                 thread_count, thread_count == 1 ? "" : "s", config.upstream_urls.front());
    std::cout << R"({"listening":")" << url << R"(","port":)" << endpoint.port() << "}" << std::endl;

    std::vector<std::thread> threads;
    for (std::size_t i = 1; i < workers.size(); ++i) threads.emplace_back([&, i] { workers[i]->io.run(); });
    workers.front()->io.run();
    for (auto& thread : threads) thread.join();
    // Stopped by a signal. Suspended coroutines still reference the workers'
    // objects, so leave without unwinding them.
    spdlog::shutdown();
    std::fflush(nullptr);
    std::_Exit(0);
}

}  // namespace mcpshim
