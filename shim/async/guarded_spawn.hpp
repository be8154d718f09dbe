#pragma once
// co_spawn with an exception boundary. `detached` drops whatever escapes a
// coroutine; here it is logged as an error, naming the task, and the process
// goes on (the other connections and sessions are unharmed). A coroutine that
// has a client waiting catches its own failures first and answers them (see
// RequestRelay::serve and the HTTP connection loop): this is the last line.
#include <spdlog/spdlog.h>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>

#include <exception>
#include <string>
#include <utility>

namespace mcpshim::async {

// What an escaped exception says, for a log line or an error message.
inline std::string describe(const std::exception_ptr& failure) {
    try {
        std::rethrow_exception(failure);
    } catch (const std::exception& e) {
        return e.what();
    } catch (...) {
        return "an exception that is not a std::exception";
    }
}

// `slot`, when connected, can cancel the task as with bind_cancellation_slot.
template <class Executor, class Awaitable>
void spawn_guarded(Executor&& executor, Awaitable&& task, std::string what,
                   boost::asio::cancellation_slot slot = {}) {
    boost::asio::co_spawn(std::forward<Executor>(executor), std::forward<Awaitable>(task),
                          boost::asio::bind_cancellation_slot(
                              slot, [what = std::move(what)](std::exception_ptr failure, auto&&...) {
                                  if (failure) spdlog::error("{} failed: {}", what, describe(failure));
                              }));
}

}  // namespace mcpshim::async
