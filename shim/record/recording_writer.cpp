#include "record/recording_writer.hpp"

#include "mcpshim/rewrite/json_parse.hpp"
#include "mcpshim/rewrite/safe_text.hpp"

#include <chrono>
#include <ctime>
#include <stdexcept>

namespace mcpshim::record {

std::string iso8601_now_ms() {
    const auto now = std::chrono::system_clock::now();
    const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char text[40];
    const auto n = std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &utc);
    std::snprintf(text + n, sizeof text - n, ".%03dZ", static_cast<int>(ms));
    return text;
}

RecordingWriter::RecordingWriter(const std::string& path, const std::string& upstream) : out_(path) {
    if (!out_) throw std::runtime_error("cannot write the recording to " + path);
    json header = json::object();
    header["format"] = "mcpshim-recording";
    header["version"] = 1;
    header["upstream"] = upstream;
    header["t"] = iso8601_now_ms();
    out_ << to_text(header) << '\n' << std::flush;
}

void RecordingWriter::write(json entry) {
    json line = json::object();
    line["t"] = iso8601_now_ms();
    line.update(entry);
    const std::string text = line.dump(-1, ' ', false, json::error_handler_t::replace);
    std::lock_guard lock(mutex_);
    out_ << text << '\n' << std::flush;
    ++lines_;
}

std::uint64_t RecordingWriter::lines() const {
    std::lock_guard lock(mutex_);
    return lines_;
}

void attach_body(json& entry, std::string_view body, std::size_t max_text) {
    entry["bodyBytes"] = body.size();
    if (body.empty()) return;
    // Under the usual shape limits; strings may be as long as the body.
    rewrite::JsonLimits limits;
    limits.max_body_bytes = limits.max_string_bytes = body.size();
    auto parsed = rewrite::parse_json(body, limits);
    if (parsed.ok()) {
        entry["message"] = std::move(parsed.value);
        return;
    }
    entry["body"] = rewrite::valid_utf8(rewrite::utf8_prefix(body, max_text));
    if (body.size() > max_text) entry["bodyTruncated"] = true;
}

}  // namespace mcpshim::record
