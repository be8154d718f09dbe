#pragma once
// The legacy answer to one POST: plain JSON when the final response is the
// only message, an SSE stream as soon as anything (a progress or log
// notification) has to go out before it. Every message is flushed as it
// comes, so nothing waits for the end of the upstream's answer.
//
// Coroutine parameters here and across the shim are taken by value: a
// reference to a caller's temporary would not outlive the first suspension.
#include <boost/asio/awaitable.hpp>
#include "mcpshim/rewrite/json.hpp"

#include "http/response_writer.hpp"

namespace mcpshim::http_face {

class ReplyStream {
public:
    ReplyStream(ResponseWriter& writer, bool force_sse) : writer_(writer), force_sse_(force_sse) {}

    // Each returns false when the client is gone.
    boost::asio::awaitable<bool> notify(json message);
    // A final response. `status` is used only when it goes out as plain JSON.
    boost::asio::awaitable<bool> respond(json message, unsigned status = 200);
    // Starts the SSE stream if nothing was sent yet (an answer with no message,
    // as for a request the client cancelled).
    boost::asio::awaitable<bool> open();
    // Ends an SSE stream; sends 202 when nothing at all was sent.
    boost::asio::awaitable<void> finish();

    bool streaming() const { return writer_.streaming(); }

private:
    ResponseWriter& writer_;
    bool force_sse_;
};

}  // namespace mcpshim::http_face
