// HAR 1.2 (browser devtools, mitmproxy): read with a SAX parser that builds
// one entry of log.entries at a time, so a large export never sits in
// memory whole.
#include <fstream>

#include "mcpshim/rewrite/option_names.hpp"
#include "mcpshim/rewrite/base64.hpp"
#include "mcpshim/rewrite/json_parse.hpp"
#include "mcpshim/rewrite/safe_text.hpp"
#include "mcpshim/rewrite/sse.hpp"
#include "readers/reader_support.hpp"

namespace mcpshim::analyzer {

namespace {

constexpr std::size_t max_sse_event_bytes = 64 * 1024 * 1024;

// Builds each element of log.entries and hands it over; everything else is skipped.
class EntrySax final : public nlohmann::json_sax<json> {
public:
    using OnEntry = std::function<void(json&&, std::int64_t)>;
    EntrySax(OnEntry on_entry, const rewrite::JsonLimits& limits) : on_entry_(std::move(on_entry)), limits_(limits) {}

    bool null() override { return value(nullptr); }
    bool boolean(bool v) override { return value(v); }
    bool number_integer(number_integer_t v) override { return value(v); }
    bool number_unsigned(number_unsigned_t v) override { return value(v); }
    bool number_float(number_float_t v, const string_t&) override { return value(v); }
    bool string(string_t& v) override { return value(v); }
    bool binary(binary_t&) override { return value(nullptr); }
    bool key(string_t& k) override {
        if (building()) {
            key_ = std::move(k);
        } else {
            keys_.back() = k;
        }
        return true;
    }
    bool start_object(std::size_t) override {
        if (!within_depth()) return false;
        if (building()) return open(json::object());
        if (in_entries()) {
            entry_ = json::object();
            stack_.push_back(&entry_);
            return true;
        }
        containers_.push_back('{');
        keys_.emplace_back();
        return true;
    }
    bool end_object() override {
        if (building()) {
            stack_.pop_back();
            if (stack_.empty()) on_entry_(std::move(entry_), index_++);
            return true;
        }
        containers_.pop_back();
        keys_.pop_back();
        return true;
    }
    bool start_array(std::size_t) override {
        if (!within_depth()) return false;
        if (building()) return open(json::array());
        containers_.push_back('[');
        keys_.emplace_back();
        return true;
    }
    bool end_array() override {
        if (building()) {
            stack_.pop_back();
            return true;
        }
        containers_.pop_back();
        keys_.pop_back();
        return true;
    }
    bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& error) override {
        error_ = "the HAR file is not valid JSON at byte " + std::to_string(position) + ": " +
                 rewrite::valid_utf8(error.what());
        return false;
    }
    const std::string& error() const { return error_; }
    bool saw_log() const { return saw_log_; }

private:
    bool building() const { return !stack_.empty(); }
    bool within_depth() {
        if (containers_.size() + stack_.size() < limits_.max_depth) return true;
        error_ = "the HAR file nests deeper than " + std::to_string(limits_.max_depth) +
                 " levels (" + std::string(option::max_json_depth) + ")";
        return false;
    }
    // Directly inside {"log": {"entries": [ ... ]}}.
    bool in_entries() {
        const bool inside = containers_.size() == 3 && containers_[0] == '{' && containers_[1] == '{' &&
                            containers_[2] == '[' && keys_[0] == "log" && keys_[1] == "entries";
        if (containers_.size() >= 2 && keys_[0] == "log") saw_log_ = true;
        return inside;
    }
    bool value(json v) {
        if (!building()) return true;
        return place(std::move(v)) != nullptr;
    }
    // Members are appended without looking the name up among the earlier
    // ones (that lookup is quadratic in an object's members).
    json* place(json v) {
        json& parent = *stack_.back();
        if (parent.is_array()) {
            parent.push_back(std::move(v));
            return &parent.back();
        }
        auto& members = static_cast<json::object_t::Container&>(parent.get_ref<json::object_t&>());
        if (members.size() >= limits_.max_object_members) {
            error_ = "a HAR object has more than " + std::to_string(limits_.max_object_members) +
                     " members (" + std::string(option::max_object_members) + ")";
            return nullptr;
        }
        members.emplace_back(std::move(key_), std::move(v));
        return &members.back().second;
    }
    bool open(json container) {
        json* placed = place(std::move(container));
        if (!placed) return false;
        stack_.push_back(placed);
        return true;
    }

    OnEntry on_entry_;
    const rewrite::JsonLimits& limits_;
    std::vector<char> containers_;  // outside the entry being built
    std::vector<std::string> keys_;
    std::vector<json*> stack_;  // inside the entry being built
    std::string key_;
    json entry_;
    std::int64_t index_ = 0;
    std::string error_;
    bool saw_log_ = false;
};

std::string header(const json& message, std::string_view name) {
    const auto headers = message.find("headers");
    if (headers == message.end() || !headers->is_array()) return {};
    for (const auto& h : *headers) {
        const std::string key = h.value("name", "");
        if (key.size() == name.size() &&
            std::equal(key.begin(), key.end(), name.begin(), [](char a, char b) { return std::tolower(a) == b; }))
            return h.value("value", "");
    }
    return {};
}

std::string query_param(const std::string& url, std::string_view name) {
    const auto query = url.find('?');
    if (query == std::string::npos) return {};
    std::size_t at = query + 1;
    while (at < url.size()) {
        const auto end = std::min(url.find('&', at), url.size());
        const auto eq = url.find('=', at);
        if (eq != std::string::npos && eq < end && url.compare(at, eq - at, name) == 0)
            return url.substr(eq + 1, end - eq - 1);
        at = end + 1;
    }
    return {};
}

bool looks_binary(const std::string& text) {
    return text.find('\0') != std::string::npos;
}

// The text of a body, decoding base64; nullopt (with `why`) when it cannot be used.
std::optional<std::string> body_text(const json& holder, std::string& why) {
    std::string text = holder.value("text", "");
    if (holder.value("encoding", "") == "base64") {
        auto decoded = rewrite::base64_decode(text);
        if (!decoded) {
            why = "a base64 body that does not decode";
            return std::nullopt;
        }
        text = std::move(*decoded);
    }
    if (looks_binary(text)) {
        why = "a binary body, skipped";
        return std::nullopt;
    }
    return text;
}

class EntryReader {
public:
    EntryReader(InputSummary& summary, const WireSink& sink, const rewrite::JsonLimits& limits)
        : summary_(summary), sink_(sink), limits_(limits) {}

    void read(const json& entry, std::int64_t index) {
        ++summary_.entries;
        const Location where{summary_.file, 0, index};
        if (!entry.contains("request") || !entry["request"].is_object()) {
            add_broken(summary_, where, "an entry without a request");
            return;
        }
        const auto& request = entry["request"];
        const json response = entry.value("response", json::object());
        const std::string url = request.value("url", "");
        WireMessage base;
        base.where = where;
        base.time = entry.value("startedDateTime", "");
        base.server = url.substr(0, url.find('?'));
        base.http_method = request.value("method", "");
        base.session = header(request, "mcp-session-id");
        if (base.session.empty()) base.session = query_param(url, "sessionId");  // HTTP+SSE (2024-11-05)
        if (base.session.empty()) base.session = header(response, "mcp-session-id");
        base.principal = principal_of(header(request, "authorization"));
        base.last_event_id = header(request, "last-event-id");
        base.status = static_cast<int>(integer(response, "status"));
        base.exchange = summary_.file + "#" + std::to_string(index);
        base.on_get_stream = base.http_method == "GET";

        if (request.contains("postData")) {
            std::string why;
            if (auto text = body_text(request["postData"], why)) {
                auto body = rewrite::parse_json(*text, limits_);
                if (!body.ok())
                    add_broken(summary_, where, "the request body is not JSON (" + body.error + ")");
                else
                    for (auto& message : messages_of(body.value))
                        send(base, Direction::client_to_server, std::move(message));
            } else {
                add_broken(summary_, where, "request: " + why);
            }
        }
        if (!request.contains("postData") && (base.http_method == "GET" || base.http_method == "DELETE")) {
            WireMessage bare = base;  // a stream opened or a session ended: no body
            sink_(std::move(bare));
        }
        const json content = response.value("content", json::object());
        std::string why;
        auto text = body_text(content, why);
        if (!text) {
            add_broken(summary_, where, "response: " + why);
            return;
        }
        if (text->empty()) return;
        const std::string type = header(response, "content-type") + content.value("mimeType", "");
        if (type.find("text/event-stream") != std::string::npos) {
            rewrite::SseParser parser(max_sse_event_bytes);
            std::vector<rewrite::SseEvent> events;
            parser.feed(*text, events);
            parser.feed("\n\n", events);  // a capture may end without the last blank line
            for (auto& event : events) {
                auto message = rewrite::parse_json(event.data, limits_);
                if (message.ok())
                    for (auto& one : messages_of(message.value))
                        send(base, Direction::server_to_client, std::move(one));
            }
            return;
        }
        auto body = rewrite::parse_json(*text, limits_);
        if (body.ok() && (body.value.is_object() || body.value.is_array())) {
            for (auto& message : messages_of(body.value)) send(base, Direction::server_to_client, std::move(message));
            return;
        }
        WireMessage bare = base;
        bare.direction = Direction::server_to_client;
        bare.note = rewrite::valid_utf8(rewrite::utf8_prefix(*text, 4096));
        sink_(std::move(bare));
    }

private:
    void send(const WireMessage& base, Direction direction, json message) {
        WireMessage out = base;
        out.direction = direction;
        if (direction == Direction::client_to_server) out.on_get_stream = false;
        out.message = std::move(message);
        ++summary_.messages;
        sink_(std::move(out));
    }

    InputSummary& summary_;
    const WireSink& sink_;
    const rewrite::JsonLimits& limits_;
};

}  // namespace

InputSummary read_har(const std::string& path, const WireSink& sink, const rewrite::JsonLimits& limits,
                      const Progress& progress) {
    InputSummary summary;
    summary.file = path;
    summary.format = "har";
    summary.bytes = file_size(path);
    std::ifstream in(path, std::ios::binary);
    EntryReader reader(summary, sink, limits);
    EntrySax sax(
        [&](json&& entry, std::int64_t index) {
            // An entry whose fields have unexpected types is reported, and the rest read on.
            try {
                reader.read(entry, index);
            } catch (const json::exception& error) {
                add_broken(summary, Location{path, 0, index},
                           std::string("an entry of an unexpected shape: ") + error.what());
            }
            if (progress && index % 256 == 0) progress(static_cast<std::uint64_t>(in.tellg()), summary.bytes);
        },
        limits);
    json::sax_parse(in, &sax, nlohmann::detail::input_format_t::json, false);
    if (!sax.error().empty())
        add_broken(summary, Location{path, 0, -1}, sax.error() + " (entries before it were read)");
    if (!sax.saw_log() && summary.entries == 0) {
        summary.unreadable = true;
        summary.error = "not a HAR file (no log.entries)";
    }
    if (progress) progress(summary.bytes, summary.bytes);
    return summary;
}

}  // namespace mcpshim::analyzer
