#pragma once
// Runs a store's awaitable to its end on a private io_context, so that a
// store's contract can be tested as plain calls.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include <exception>
#include <optional>
#include <utility>

namespace mcpshim::testing {

// A store that keeps a connection is bound to one loop for its life: while
// one is set here, run() drives that loop instead of a private one.
inline boost::asio::io_context*& store_loop() {
    static boost::asio::io_context* loop = nullptr;
    return loop;
}

template <class T>
T run_on(boost::asio::io_context& loop, boost::asio::awaitable<T> task) {
    std::optional<T> out;
    std::exception_ptr failure;
    bool done = false;
    boost::asio::co_spawn(loop, std::move(task), [&](std::exception_ptr e, T value) {
        failure = e;
        if (!e) out = std::move(value);
        done = true;
    });
    loop.restart();
    while (!done) loop.run_one();
    if (failure) std::rethrow_exception(failure);
    return std::move(*out);
}

inline void run_on(boost::asio::io_context& loop, boost::asio::awaitable<void> task) {
    std::exception_ptr failure;
    bool done = false;
    boost::asio::co_spawn(loop, std::move(task), [&](std::exception_ptr e) {
        failure = e;
        done = true;
    });
    loop.restart();
    while (!done) loop.run_one();
    if (failure) std::rethrow_exception(failure);
}

template <class T>
T run(boost::asio::awaitable<T> task) {
    if (auto* loop = store_loop()) return run_on(*loop, std::move(task));
    boost::asio::io_context io;
    std::optional<T> out;
    std::exception_ptr failure;
    boost::asio::co_spawn(io, std::move(task), [&](std::exception_ptr e, T value) {
        failure = e;
        if (!e) out = std::move(value);
    });
    io.run();
    if (failure) std::rethrow_exception(failure);
    return std::move(*out);
}

inline void run(boost::asio::awaitable<void> task) {
    if (auto* loop = store_loop()) return run_on(*loop, std::move(task));
    boost::asio::io_context io;
    std::exception_ptr failure;
    boost::asio::co_spawn(io, std::move(task), [&](std::exception_ptr e) { failure = e; });
    io.run();
    if (failure) std::rethrow_exception(failure);
}

}  // namespace mcpshim::testing
