#include "record/exchange_recorder.hpp"

#include "record/recording_entry.hpp"

namespace mcpshim::record {

namespace {
constexpr std::size_t max_recorded_text = 4096;

void attach_session(json& entry, const rewrite::HeaderList& headers) {
    for (const auto& [name, value] : headers)
        if (name == "Mcp-Session-Id" || name == "mcp-session-id") entry["session"] = value;
}
}  // namespace

void ExchangeRecorder::request(const boost::beast::http::request<boost::beast::http::string_body>& request) {
    json entry = exchange_entry(connection_, exchange_, "c2s", "request", server_);
    entry["method"] = std::string(request.method_string());
    entry["path"] = std::string(request.target());
    attach_headers(entry, request);
    attach_body(entry, request.body(), max_recorded_text);
    writer_.write(std::move(entry));
}

void ExchangeRecorder::response(unsigned status, std::string_view content_type, std::string_view body,
                                const rewrite::HeaderList& headers) {
    json entry = exchange_entry(connection_, exchange_, "s2c", "response", server_);
    entry["status"] = status;
    attach_session(entry, headers);
    if (!content_type.empty()) entry["contentType"] = std::string(content_type);
    attach_body(entry, body, max_recorded_text);
    writer_.write(std::move(entry));
}

void ExchangeRecorder::stream_start(const rewrite::HeaderList& headers) {
    json entry = exchange_entry(connection_, exchange_, "s2c", "response", server_);
    entry["status"] = 200;
    attach_session(entry, headers);
    entry["contentType"] = "text/event-stream";
    writer_.write(std::move(entry));
}

void ExchangeRecorder::event(std::string_view framed_event) {
    std::vector<rewrite::SseEvent> completed;
    events_.feed(framed_event, completed);
    for (auto& event : completed) {
        if (event.data.empty()) continue;  // priming events and keep-alives carry nothing
        json entry = exchange_entry(connection_, exchange_, "s2c", "event", server_);
        if (!event.id.empty()) entry["eventId"] = event.id;
        attach_body(entry, event.data, max_recorded_text);
        writer_.write(std::move(entry));
    }
}

void ExchangeRecorder::stream_end() {
    json entry = exchange_entry(connection_, exchange_, "s2c", "end", server_);
    entry["complete"] = true;
    writer_.write(std::move(entry));
}

}  // namespace mcpshim::record
