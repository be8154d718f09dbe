#pragma once
// A reply channel and a notification sink that hand every message to one
// function: for the faces whose messages all go down one ordered pipe
// (stdio's stdout, an HTTP+SSE client's stream). The function returns false
// when the client is gone.
#include <functional>

#include "relay/listen_relay.hpp"
#include "relay/reply_channel.hpp"

namespace mcpshim::relay {

using MessageFunction = std::function<bool(json)>;

class FunctionReply final : public ReplyChannel {
public:
    explicit FunctionReply(MessageFunction send) : send_(std::move(send)) {}
    boost::asio::awaitable<bool> notify(json message) override { co_return pass(std::move(message)); }
    boost::asio::awaitable<bool> respond(json message, AnswerKind) override { co_return pass(std::move(message)); }
    boost::asio::awaitable<bool> open() override { co_return true; }
    boost::asio::awaitable<void> detach() override { co_return; }  // nothing to resume on such a pipe
    bool started() const override { return started_; }

private:
    bool pass(json message) {
        started_ = true;
        return send_(std::move(message));
    }
    MessageFunction send_;
    bool started_ = false;
};

class FunctionSink final : public NotificationSink {
public:
    // `alive` answers keep-alives: the pipe has no keep-alive message of its own.
    FunctionSink(MessageFunction send, std::function<bool()> alive)
        : send_(std::move(send)), alive_(std::move(alive)) {}
    boost::asio::awaitable<bool> begin() override { co_return alive_(); }
    boost::asio::awaitable<bool> deliver(json notification) override { co_return send_(std::move(notification)); }
    boost::asio::awaitable<bool> keep_alive() override { co_return alive_(); }

private:
    MessageFunction send_;
    std::function<bool()> alive_;
};

}  // namespace mcpshim::relay
