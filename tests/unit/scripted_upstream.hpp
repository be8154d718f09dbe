#pragma once
// A stand-in upstream on a real loopback socket that answers each request
// with the next scripted bytes: for faults a real server cannot be made to
// commit (an answer with bytes after it, a connection closed mid-exchange).
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace mcpshim::testing {

// What the upstream does with one request.
struct Scripted {
    std::string bytes;     // written back as they are
    bool close = false;    // then the connection is closed
};

// `json_text` as an HTTP/1.1 keep-alive answer.
inline std::string json_answer(const std::string& json_text) {
    return "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " +
           std::to_string(json_text.size()) + "\r\n\r\n" + json_text;
}

class ScriptedUpstream {
public:
    explicit ScriptedUpstream(boost::asio::io_context& io)
        : acceptor_(io, boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0)) {
        boost::asio::co_spawn(io, accept(), boost::asio::detached);
    }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(acceptor_.local_endpoint().port()) + "/mcp"; }
    void then(Scripted step) { script_.push_back(std::move(step)); }
    // Answers every request by its body instead of by the script's order
    // (for a relay that sends requests of its own before the client's).
    void respond_with(std::function<Scripted(const std::string& body)> responder) { responder_ = std::move(responder); }

    std::vector<std::string> bodies;  // every request body received, in order
    std::size_t connections = 0;      // connections accepted

private:
    boost::asio::awaitable<void> accept() {
        for (;;) {
            auto [ec, socket] = co_await acceptor_.async_accept(boost::asio::as_tuple(boost::asio::use_awaitable));
            if (ec) co_return;
            ++connections;
            boost::asio::co_spawn(acceptor_.get_executor(), serve(std::move(socket)), boost::asio::detached);
        }
    }
    boost::asio::awaitable<void> serve(boost::asio::ip::tcp::socket socket) {
        namespace http = boost::beast::http;
        boost::beast::flat_buffer buffer;
        for (;;) {
            http::request<http::string_body> request;
            auto [ec, n] = co_await http::async_read(socket, buffer, request,
                                                     boost::asio::as_tuple(boost::asio::use_awaitable));
            if (ec) co_return;
            bodies.push_back(request.body());
            Scripted step;
            if (responder_) {
                step = responder_(request.body());
            } else {
                if (script_.empty()) co_return;
                step = std::move(script_.front());
                script_.pop_front();
            }
            co_await boost::asio::async_write(socket, boost::asio::buffer(step.bytes),
                                              boost::asio::as_tuple(boost::asio::use_awaitable));
            if (step.close) co_return;
        }
    }

    boost::asio::ip::tcp::acceptor acceptor_;
    std::deque<Scripted> script_;
    std::function<Scripted(const std::string&)> responder_;
};

}  // namespace mcpshim::testing
