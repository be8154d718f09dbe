// Logs of stdio servers. Two shapes:
//  - Claude Desktop's mcp-server-<name>.log:
//    `<time> [<server>] [info] Message from client: {...}` (or `from server`);
//  - plain line-delimited JSON-RPC, both directions interleaved.
// There a session is a process lifetime: it starts at `initialize`.
#include <regex>
#include <unordered_map>

#include "mcpshim/rewrite/method_names.hpp"
#include "mcpshim/rewrite/json_parse.hpp"
#include "readers/reader_support.hpp"

namespace mcpshim::analyzer {

namespace {

// Methods only a server sends; anything else with a method came from the client.
bool server_sent_method(std::string_view method) {
    return method == method_name::sampling_create_message || method == method_name::elicitation_create || method == method_name::roots_list ||
           method == method_name::notification_message || method == method_name::notification_progress ||
           method == method_name::notification_resource_updated || method.ends_with("/list_changed") ||
           method == method_name::notification_elicitation_complete || method == method_name::notification_task_status;
}

struct StdioSessions {
    std::string file;
    std::unordered_map<std::string, int> started;                  // server -> sessions seen so far
    std::unordered_map<std::string, Direction> request_direction;  // "server\nid" -> who asked

    std::string session_of(const std::string& server, const json& message) {
        int& count = started[server];
        if (message.value("method", "") == method_name::initialize || count == 0) ++count;
        return file + "#" + server + "#" + std::to_string(count);
    }
};

}  // namespace

InputSummary read_stdio_log(const std::string& path, const WireSink& sink, const rewrite::JsonLimits& limits,
                            const Progress& progress) {
    static const std::regex claude_line(
        R"(^(\S+) \[([^\]]+)\] \[(\w+)\] Message from (client|server): (\{.*?\})(?: \{ metadata: .*\})?\s*$)");
    InputSummary summary;
    summary.file = path;
    summary.format = "stdio-log";
    LineReader lines(path, progress);
    StdioSessions sessions{path, {}, {}};
    std::string line;
    std::smatch match;
    while (lines.next(line)) {
        if (line.find_first_not_of(" \t") == std::string::npos) continue;
        const Location where{path, lines.line_number(), -1};
        WireMessage out;
        out.where = where;
        out.transport = Transport::stdio;
        out.principal = "anonymous";
        json message;
        bool direction_known = false;
        if (std::regex_match(line, match, claude_line)) {
            summary.format = "claude-desktop-log";
            out.time = match[1];
            out.server = "stdio:" + match[2].str();
            out.direction = match[4] == "client" ? Direction::client_to_server : Direction::server_to_client;
            direction_known = true;
            message = rewrite::parse_json(match[5].str(), limits).value;
        } else if (line.find("Message from") != std::string::npos) {
            add_broken(summary, where, "a \"Message from\" line whose message is not JSON");
            continue;
        } else if (line.front() == '{' || line.front() == '[') {
            out.server = "stdio:" + path;
            message = rewrite::parse_json(line, limits).value;
        } else {
            continue;  // the app's own log lines
        }
        ++summary.entries;
        if (message.is_discarded() || !(message.is_object() || message.is_array())) {
            add_broken(summary, where, "not a JSON-RPC message");
            continue;
        }
        for (auto& one : messages_of(message)) {
            const std::string id_key = out.server + "\n" + (one.contains("id") ? one["id"].dump() : "");
            if (!direction_known) {
                if (one.contains("method"))
                    out.direction = server_sent_method(one.value("method", "")) ? Direction::server_to_client
                                                                                : Direction::client_to_server;
                else if (auto it = sessions.request_direction.find(id_key); it != sessions.request_direction.end())
                    out.direction = it->second == Direction::client_to_server ? Direction::server_to_client
                                                                              : Direction::client_to_server;
            }
            if (one.contains("method") && one.contains("id")) sessions.request_direction[id_key] = out.direction;
            WireMessage each = out;
            each.session = sessions.session_of(out.server, one);
            each.exchange = id_key;
            each.message = std::move(one);
            ++summary.messages;
            sink(std::move(each));
        }
    }
    summary.bytes = lines.bytes();
    return summary;
}

}  // namespace mcpshim::analyzer
