#pragma once
// A real redis-server for the length of a test, on a free loopback port, with
// nothing saved to disk; it can be paused (SIGSTOP), resumed, killed and
// started again on the same port.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace mcpshim::testing {

class RedisServer {
public:
    explicit RedisServer(std::string password = {}) : password_(std::move(password)) {
        boost::asio::io_context io;
        boost::asio::ip::tcp::acceptor probe(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
        port_ = probe.local_endpoint().port();
        probe.close();
        start();
    }
    ~RedisServer() { stop(); }
    RedisServer(const RedisServer&) = delete;
    RedisServer& operator=(const RedisServer&) = delete;

    unsigned short port() const { return port_; }
    std::string url() const {
        return "redis://" + (password_.empty() ? std::string() : ":" + password_ + "@") + "127.0.0.1:" +
               std::to_string(port_) + "/0";
    }

    void start() {
        std::vector<std::string> args{"redis-server", "--port", std::to_string(port_), "--bind", "127.0.0.1",
                                      "--save", "", "--appendonly", "no", "--loglevel", "warning"};
        if (!password_.empty()) {
            args.push_back("--requirepass");
            args.push_back(password_);
        }
        std::vector<char*> argv;
        for (auto& arg : args) argv.push_back(arg.data());
        argv.push_back(nullptr);
        posix_spawn_file_actions_t quiet;  // its banner and warnings are not the test's output
        posix_spawn_file_actions_init(&quiet);
        posix_spawn_file_actions_addopen(&quiet, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
        posix_spawn_file_actions_addopen(&quiet, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
        const int spawned = posix_spawnp(&pid_, "redis-server", &quiet, nullptr, argv.data(), environ);
        posix_spawn_file_actions_destroy(&quiet);
        if (spawned != 0) throw std::runtime_error("cannot start redis-server (install the redis-server package)");
        // Ready once it accepts connections.
        for (int i = 0; i < 200; ++i) {
            boost::asio::io_context io;
            boost::asio::ip::tcp::socket socket(io);
            boost::system::error_code ec;
            socket.connect({boost::asio::ip::make_address("127.0.0.1"), port_}, ec);
            if (!ec) return;
            std::this_thread::sleep_for(std::chrono::milliseconds(25));
        }
        throw std::runtime_error("redis-server did not start listening");
    }
    void stop() {
        if (pid_ <= 0) return;
        ::kill(pid_, SIGCONT);
        ::kill(pid_, SIGKILL);
        int status = 0;
        ::waitpid(pid_, &status, 0);
        pid_ = -1;
    }
    void pause() { ::kill(pid_, SIGSTOP); }
    void resume() { ::kill(pid_, SIGCONT); }

private:
    std::string password_;
    unsigned short port_ = 0;
    pid_t pid_ = -1;
};

}  // namespace mcpshim::testing
