#pragma once
// `serve --record`: the lines of one exchange on the shim's legacy face, as
// the recording proxy would have written them in front of a legacy server.
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <cstdint>
#include <string>

#include "mcpshim/rewrite/header_encoding.hpp"
#include "mcpshim/rewrite/sse.hpp"
#include "record/recording_writer.hpp"

namespace mcpshim::record {

class ExchangeRecorder {
public:
    ExchangeRecorder(RecordingWriter& writer, std::string server, std::uint64_t connection, std::uint64_t exchange)
        : writer_(writer), server_(std::move(server)), connection_(connection), exchange_(exchange) {}

    void request(const boost::beast::http::request<boost::beast::http::string_body>& request);
    void response(unsigned status, std::string_view content_type, std::string_view body,
                  const rewrite::HeaderList& headers);
    void stream_start(const rewrite::HeaderList& headers);
    void event(std::string_view framed_event);
    void stream_end();

private:
    RecordingWriter& writer_;
    std::string server_;
    std::uint64_t connection_;
    std::uint64_t exchange_;
    rewrite::SseParser events_{16 * 1024 * 1024};
};

}  // namespace mcpshim::record
