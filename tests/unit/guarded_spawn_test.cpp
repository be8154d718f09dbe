// The exception boundary on spawned coroutines: what escapes is logged with
// the task's name, and the io_context (every other task) goes on.
#include <catch2/catch.hpp>
#include <spdlog/sinks/ringbuffer_sink.h>
#include <spdlog/spdlog.h>
#include <boost/asio/io_context.hpp>

#include <stdexcept>

#include "async/guarded_spawn.hpp"

namespace {

boost::asio::awaitable<void> throws() {
    throw std::runtime_error("boom in a task");
    co_return;
}

boost::asio::awaitable<int> finishes(bool& ran) {
    ran = true;
    co_return 7;
}

// Logs into a ring buffer for the scope's length.
struct CapturedLog {
    std::shared_ptr<spdlog::sinks::ringbuffer_sink_mt> sink = std::make_shared<spdlog::sinks::ringbuffer_sink_mt>(16);
    std::shared_ptr<spdlog::logger> previous = spdlog::default_logger();
    CapturedLog() { spdlog::set_default_logger(std::make_shared<spdlog::logger>("captured", sink)); }
    ~CapturedLog() { spdlog::set_default_logger(previous); }
    std::string text() const {
        std::string all;
        for (const auto& line : sink->last_formatted()) all += line;
        return all;
    }
};

}  // namespace

TEST_CASE("an exception escaping a spawned coroutine is logged with the task's name") {
    CapturedLog log;
    boost::asio::io_context io;
    bool other_ran = false;
    mcpshim::async::spawn_guarded(io, throws(), "the test task");
    mcpshim::async::spawn_guarded(io, finishes(other_ran), "the other task");
    REQUIRE_NOTHROW(io.run());
    CHECK(other_ran);
    CHECK_THAT(log.text(), Catch::Contains("the test task failed: boom in a task"));
    CHECK_THAT(log.text(), !Catch::Contains("the other task"));
}

TEST_CASE("describe names what escaped, std::exception or not") {
    CHECK(mcpshim::async::describe(std::make_exception_ptr(std::runtime_error("x"))) == "x");
    CHECK(mcpshim::async::describe(std::make_exception_ptr(42)) == "an exception that is not a std::exception");
}
