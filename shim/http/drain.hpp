#pragma once
// A graceful stop of `serve`: on SIGTERM the listeners close and readiness
// fails (the load balancer stops sending), requests under way are answered
// (up to --drain-timeout-ms) on connections that then close, and only then
// does the process leave. Shared by every serving thread.
#include <atomic>
#include <cstddef>

namespace mcpshim::http_face {

struct Drain {
    std::atomic<bool> draining{false};
    // Requests read and not yet answered; GET streams are not counted (they
    // end with the process: a client resumes them elsewhere).
    std::atomic<std::size_t> answering{0};
};

}  // namespace mcpshim::http_face
