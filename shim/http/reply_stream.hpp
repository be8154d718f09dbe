#pragma once
// The legacy answer to one POST: plain JSON when the final response is the
// only message, an SSE stream as soon as anything (a progress or log
// notification, a server-to-client request) has to go out before it. Every
// message is flushed as it comes.
//
// SSE events carry ids `<stream>_<seq>` and are kept in the replay buffer, so
// a client whose stream closed resumes with GET + Last-Event-ID. For
// 2025-11-25 sessions the stream opens with a priming event (id, retry, empty
// data), and `detach()` closes the client's side early (polling) while later
// events still reach the buffer.
//
// Coroutine parameters here and across the shim are taken by value: a
// reference to a caller's temporary would not outlive the first suspension.
#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "http/response_writer.hpp"
#include "mcpshim/rewrite/json.hpp"
#include "mcpshim/rewrite/jsonrpc.hpp"
#include "relay/reply_channel.hpp"
#include "session/replay_buffer.hpp"

namespace mcpshim::http_face {

struct ReplyOptions {
    session::ReplayBuffer* replay = nullptr;  // null: events carry no ids
    std::string session_id;
    bool priming = false;  // 2025-11-25 and later
    long long retry_ms = 1000;
    // What the stream answers, for a resumed stream whose instance stopped;
    // read only when a stream is opened (a plain JSON answer needs none).
    const std::vector<rewrite::Message>* messages = nullptr;
};

class ReplyStream final : public relay::ReplyChannel {
public:
    ReplyStream(ResponseWriter& writer, bool force_sse, ReplyOptions options = {})
        : writer_(writer), force_sse_(force_sse), options_(std::move(options)) {}

    // Each returns false when the client is gone.
    boost::asio::awaitable<bool> notify(json message) override;
    // A final response. `status` is used only when it goes out as plain JSON.
    boost::asio::awaitable<bool> respond(json message, relay::AnswerKind kind = relay::AnswerKind::answered) override;
    // Starts the SSE stream if nothing was sent yet.
    boost::asio::awaitable<bool> open() override;
    // Ends the client's side of the stream now; later events go to the replay buffer only.
    boost::asio::awaitable<void> detach() override;
    // Ends the stream (sends 202 when nothing at all was sent).
    boost::asio::awaitable<void> finish();

    bool started() const override { return writer_.started(); }

private:
    boost::asio::awaitable<bool> emit(std::string data);

    ResponseWriter& writer_;
    bool force_sse_;
    ReplyOptions options_;
    std::string stream_id_;
    std::uint64_t seq_ = 0;
    bool detached_ = false;
};

}  // namespace mcpshim::http_face
