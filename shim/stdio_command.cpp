#include "stdio_command.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/io_context.hpp>

#include <cstdio>
#include <cstdlib>

#include "startup.hpp"
#include "stdio/stdio_face.hpp"

namespace mcpshim {

int run_stdio(ServeConfig config) {
    config.relay.poll_after = std::chrono::milliseconds(0);               // nothing to resume on stdio
    startup::SharedState shared(config, /*warn_when_random_key=*/false);  // no session ids on stdio
    boost::asio::io_context io{1};
    startup::ThreadState state(io.get_executor(), config, shared);
    spdlog::info("mcpshim {} serving a legacy client on stdio, upstream {}", MCPSHIM_VERSION,
                 config.upstream_urls.front());
    serve_stdio(io, state.context, config.drain_timeout);
    // stdin closed: the client is gone. Suspended coroutines still reference
    // the objects above, so leave without unwinding them.
    spdlog::info("stdin closed: exiting");
    spdlog::shutdown();
    std::fflush(nullptr);
    std::_Exit(0);
}

}  // namespace mcpshim
