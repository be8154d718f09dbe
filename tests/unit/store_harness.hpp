#pragma once
// Runs a store's awaitable to its end on a private io_context, so that a
// store's contract can be tested as plain calls.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include <exception>
#include <optional>
#include <utility>

namespace mcpshim::testing {

template <class T>
T run(boost::asio::awaitable<T> task) {
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
    boost::asio::io_context io;
    std::exception_ptr failure;
    boost::asio::co_spawn(io, std::move(task), [&](std::exception_ptr e) { failure = e; });
    io.run();
    if (failure) std::rethrow_exception(failure);
}

}  // namespace mcpshim::testing
