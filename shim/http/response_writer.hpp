#pragma once
// Writes one HTTP response to a legacy client: a whole body, or an SSE stream
// (chunked) whose events are flushed as they are written.
#include <boost/asio/awaitable.hpp>
#include <boost/beast/core/tcp_stream.hpp>

#include <chrono>
#include <string>
#include <string_view>

#include "mcpshim/rewrite/header_encoding.hpp"
#include "record/exchange_recorder.hpp"

namespace mcpshim::http_face {

class ResponseWriter {
public:
    ResponseWriter(boost::beast::tcp_stream& stream, unsigned http_version, bool keep_alive,
                   std::chrono::milliseconds write_timeout)
        : stream_(stream), version_(http_version), keep_alive_(keep_alive), write_timeout_(write_timeout) {}

    // Each returns false when the client is gone.
    boost::asio::awaitable<bool> send(unsigned status, std::string content_type, std::string body,
                                      rewrite::HeaderList extra = {});
    boost::asio::awaitable<bool> begin_sse(rewrite::HeaderList extra = {});
    // A chunked body whose pieces follow with sse(): a passed-through stream,
    // with the headers its server sent.
    boost::asio::awaitable<bool> begin_stream(unsigned status, std::string content_type, rewrite::HeaderList extra);
    boost::asio::awaitable<bool> sse(std::string framed_event);
    boost::asio::awaitable<bool> end_sse();

    // `serve --record`: what is written is also recorded.
    void record_with(record::ExchangeRecorder* recorder) { recorder_ = recorder; }

    bool started() const { return started_; }
    boost::asio::ip::tcp::socket& socket() { return stream_.socket(); }
    bool streaming() const { return streaming_; }
    unsigned status() const { return status_; }
    bool keep_alive() const { return keep_alive_ && !failed_; }

private:
    // Every write goes out whole and in order; after a failure none does.
    boost::asio::awaitable<bool> write(std::string bytes);

    boost::beast::tcp_stream& stream_;
    unsigned version_;
    bool keep_alive_;
    std::chrono::milliseconds write_timeout_;
    bool started_ = false;
    bool streaming_ = false;
    bool failed_ = false;
    unsigned status_ = 0;
    record::ExchangeRecorder* recorder_ = nullptr;
};

}  // namespace mcpshim::http_face
