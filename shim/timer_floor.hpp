#pragma once
// Keeps one timer of an io_context always due within a second.
//
// Asio re-programs the kernel timer (a timerfd_settime system call) whenever
// a newly armed timer becomes the earliest one. Every request arms several
// deadlines (read, write, upstream) of many seconds and usually cancels them
// soon after; with a nearer timer always queued, none of them is ever the
// earliest, and the kernel timer is re-programmed once per second instead of
// several times per request. Deadlines still fire exactly when due.
#include <boost/asio/io_context.hpp>

namespace mcpshim {

void keep_timer_floor(boost::asio::io_context& io);

}  // namespace mcpshim
