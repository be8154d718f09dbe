#include "mcpshim/rewrite/sse.hpp"

#include <charconv>

namespace mcpshim::rewrite {

bool SseParser::feed(std::string_view bytes, std::vector<SseEvent>& out) {
    for (char c : bytes) {
        if (after_cr_) {
            after_cr_ = false;
            if (c == '\n') continue;  // CRLF: the CR already ended the line
        }
        if (c == '\r' || c == '\n') {
            after_cr_ = c == '\r';
            line(pending_line_, out);
            pending_line_.clear();
            continue;
        }
        pending_line_ += c;
        if (++event_bytes_ > max_event_bytes_) return false;
    }
    return true;
}

void SseParser::line(std::string_view text, std::vector<SseEvent>& out) {
    if (text.empty()) {  // blank line: dispatch
        if (has_data_) out.push_back(std::move(current_));
        current_ = SseEvent{};
        has_data_ = false;
        event_bytes_ = 0;
        return;
    }
    if (text.front() == ':') return;  // comment (keep-alive)
    std::string_view field = text;
    std::string_view value;
    if (const auto colon = text.find(':'); colon != std::string_view::npos) {
        field = text.substr(0, colon);
        value = text.substr(colon + 1);
        if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    }
    if (field == "data") {
        if (has_data_) current_.data += '\n';
        current_.data.append(value);
        has_data_ = true;
    } else if (field == "id") {
        if (value.find('\0') == std::string_view::npos) current_.id = std::string(value);
    } else if (field == "event") {
        current_.event = std::string(value);
    } else if (field == "retry") {
        long long ms = 0;
        const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), ms);
        if (ec == std::errc() && end == value.data() + value.size()) current_.retry_ms = ms;
    }
}

std::string format_sse_event(std::string_view data, std::string_view id, std::string_view event,
                             std::optional<long long> retry_ms) {
    std::string out;
    out.reserve(data.size() + 48);
    if (!id.empty()) out.append("id: ").append(id).append("\n");
    if (!event.empty()) out.append("event: ").append(event).append("\n");
    if (retry_ms) out.append("retry: ").append(std::to_string(*retry_ms)).append("\n");
    std::size_t start = 0;
    for (;;) {
        const auto newline = data.find('\n', start);
        out.append("data: ").append(data.substr(start, newline - start)).append("\n");
        if (newline == std::string_view::npos) break;
        start = newline + 1;
    }
    out.append("\n");
    return out;
}

std::string format_sse_comment(std::string_view text) {
    return std::string(": ").append(text).append("\n\n");
}

void SseEventEnds::feed(std::string_view bytes) {
    for (const char c : bytes) {
        if (after_cr_ && c == '\n') {
            after_cr_ = false;
            if (last_end_ == offset_) ++last_end_;  // the blank line ended with CRLF
            ++offset_;
            continue;
        }
        after_cr_ = c == '\r';
        if (c == '\r' || c == '\n') {
            if (line_start_) last_end_ = offset_ + 1;  // an empty line: the event before it is whole
            line_start_ = true;
        } else {
            line_start_ = false;
        }
        ++offset_;
    }
}

}  // namespace mcpshim::rewrite
