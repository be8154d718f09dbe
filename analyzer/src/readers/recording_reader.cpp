// mcpshim recordings (docs/recording-format.md): a request line, then its
// response line, then (for SSE answers) one line per event and an end line.
#include <unordered_map>

#include "mcpshim/rewrite/json_parse.hpp"
#include "readers/reader_support.hpp"

namespace mcpshim::analyzer {

namespace {

struct OpenExchange {
    WireMessage base;            // what every message of the exchange shares
    std::vector<json> requests;  // the client's messages, sent once the response names the session
    bool answered = false;
};

std::string str(const json& entry, const char* key) {
    const auto it = entry.find(key);
    return it != entry.end() && it->is_string() ? it->get<std::string>() : std::string();
}

void emit(const WireSink& sink, const WireMessage& base, Direction direction, json message, const Location& where) {
    WireMessage out = base;
    out.direction = direction;
    out.message = std::move(message);
    out.where = where;
    sink(std::move(out));
}

}  // namespace

InputSummary read_recording(const std::string& path, const WireSink& sink, const rewrite::JsonLimits& limits,
                            const Progress& progress) {
    InputSummary summary;
    summary.file = path;
    summary.format = "recording";
    LineReader lines(path, progress);
    std::unordered_map<std::string, OpenExchange> open;
    std::string line;
    // One line at a time; a line whose fields have unexpected types is
    // reported like any broken line, and the rest is read on.
    const auto read_line = [&](const Location& where) {
        auto parsed = rewrite::parse_json(line, limits);
        if (!parsed.ok() || !parsed.value.is_object()) {
            add_broken(summary, where, parsed.ok() ? "not a JSON object" : "not valid JSON: " + parsed.error);
            return;
        }
        auto& entry = parsed.value;
        if (entry.contains("format")) return;  // the header line
        ++summary.entries;
        const std::string kind = str(entry, "kind");
        const std::string key = std::to_string(integer(entry, "conn")) + ":" + std::to_string(integer(entry, "x"));
        if (kind == "request") {
            OpenExchange exchange;
            auto& base = exchange.base;
            base.time = str(entry, "t");
            base.server = str(entry, "server");
            base.session = str(entry, "session");
            base.principal = entry.contains("principal") ? str(entry, "principal") : "anonymous";
            base.http_method = str(entry, "method");
            base.last_event_id = str(entry, "lastEventId");
            base.exchange = path + "#" + key;
            base.where = where;
            if (entry.contains("message")) exchange.requests = messages_of(entry["message"]);
            open[key] = std::move(exchange);
            return;
        }
        const auto it = open.find(key);
        if (it == open.end()) {
            add_broken(summary, where, kind + " line for an exchange whose request is not in the file");
            return;
        }
        auto& exchange = it->second;
        if (kind == "response") {
            auto& base = exchange.base;
            base.status = static_cast<int>(integer(entry, "status"));
            if (base.session.empty()) base.session = str(entry, "session");  // initialize answers name it
            base.on_get_stream = base.http_method == "GET";
            for (auto& request : exchange.requests) {
                emit(sink, base, Direction::client_to_server, std::move(request), base.where);
                ++summary.messages;
            }
            if (exchange.requests.empty() && (base.http_method == "GET" || base.http_method == "DELETE")) {
                WireMessage bare = base;  // a stream opened or a session ended: no body
                sink(std::move(bare));
            }
            exchange.requests.clear();
            std::string note = entry.contains("error") ? str(entry, "error") : str(entry, "body");
            if (!note.empty()) {
                WireMessage bare = base;
                bare.direction = Direction::server_to_client;
                bare.note = std::move(note);
                bare.where = where;
                sink(std::move(bare));
            }
            if (entry.contains("message")) {
                for (auto& message : messages_of(entry["message"])) {
                    emit(sink, base, Direction::server_to_client, std::move(message), where);
                    ++summary.messages;
                }
            }
            if (!str(entry, "contentType").starts_with("text/event-stream")) open.erase(it);
        } else if (kind == "event") {
            if (entry.contains("message")) {
                for (auto& message : messages_of(entry["message"])) {
                    emit(sink, exchange.base, Direction::server_to_client, std::move(message), where);
                    ++summary.messages;
                }
            }
        } else if (kind == "end") {
            open.erase(it);
        } else {
            add_broken(summary, where, "unknown kind \"" + kind + "\"");
        }
    };
    while (lines.next(line)) {
        if (line.empty()) continue;
        const Location where{path, lines.line_number(), -1};
        try {
            read_line(where);
        } catch (const json::exception& error) {
            add_broken(summary, where, std::string("an entry of an unexpected shape: ") + error.what());
        }
    }
    // Requests whose answer the recording never saw still happened.
    for (auto& [key, exchange] : open)
        for (auto& request : exchange.requests) {
            emit(sink, exchange.base, Direction::client_to_server, std::move(request), exchange.base.where);
            ++summary.messages;
        }
    summary.bytes = lines.bytes();
    return summary;
}

}  // namespace mcpshim::analyzer
