#pragma once
// Runs a coroutine on an io_context until it returns: a test's body written
// top to bottom with co_await against real sockets.
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

namespace mcpshim::testing {

// `task` is called (inside the spawned coroutine) and awaited; false when the
// io_context ran out of work before it finished.
template <class Task>
bool run_coroutine(boost::asio::io_context& io, Task task) {
    bool done = false;
    boost::asio::co_spawn(
        io,
        [&]() -> boost::asio::awaitable<void> {
            co_await task();
            done = true;
        },
        boost::asio::detached);
    while (!done && io.run_one() > 0) {
    }
    return done;
}

}  // namespace mcpshim::testing
