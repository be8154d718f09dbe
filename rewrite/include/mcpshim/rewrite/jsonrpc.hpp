#pragma once
// JSON-RPC 2.0 message model: classification and validation of untrusted
// input, and builders for the messages the shim writes itself.
#include "mcpshim/rewrite/json.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "mcpshim/rewrite/json_limits.hpp"

namespace mcpshim::rewrite {

namespace error_code {
inline constexpr int parse_error = -32700;
inline constexpr int invalid_request = -32600;
inline constexpr int method_not_found = -32601;
inline constexpr int invalid_params = -32602;
inline constexpr int internal_error = -32603;
inline constexpr int server_busy = -32000;  // a per-connection bound refused the request; retry later
inline constexpr int legacy_resource_not_found = -32002;  // 2024-11-05 .. 2025-11-25
inline constexpr int header_mismatch = -32020;            // 2026-07-28
inline constexpr int missing_client_capability = -32021;  // 2026-07-28
inline constexpr int unsupported_protocol_version = -32022;
}  // namespace error_code

enum class MessageKind { request, notification, result, error };

// One validated JSON-RPC message. `body` is the whole object as received.
struct Message {
    MessageKind kind;
    json body;

    const json& id() const { return body.at("id"); }
    const std::string& method() const { return body.at("method").get_ref<const std::string&>(); }
    bool is_request() const { return kind == MessageKind::request; }
    bool is_response() const { return kind == MessageKind::result || kind == MessageKind::error; }
};

struct ParsedBody {
    std::vector<Message> messages;
    bool batch = false;  // the body was a JSON array (2025-03-26 batching)
};

struct ParseFailure {
    int code;                             // parse_error or invalid_request
    std::string message;                  // what was wrong, for the client
    std::optional<LimitViolation> limit;  // set when a named limit was exceeded
    json id = nullptr;                    // the offending message's id when known
};

// Validates one decoded JSON value as a JSON-RPC 2.0 message.
std::variant<Message, ParseFailure> classify_message(json value);

// Why a message from an upstream is not one the relays can read, or nullopt:
// the JSON-RPC shape, and MCP's rule that every result is an object. Reads
// without copying (an answer can be megabytes).
std::optional<std::string> malformed_upstream_message(const json& message);

// Parses an HTTP body or stdio line: one message, or a batch when allowed.
std::variant<ParsedBody, ParseFailure> parse_body(std::string_view text, const JsonLimits& limits, bool allow_batch);
// The same, of a body already parsed within the limits.
std::variant<ParsedBody, ParseFailure> parse_body(json value, bool allow_batch);

// Every JSON-RPC error the shim makes is built by these.
json make_error_object(int code, std::string message, json data = nullptr);
// An object with an integer "code" and a string "message".
bool is_error_object(const json& error);

json make_result(const json& id, json result);
json make_error(const json& id, int code, std::string message, json data = nullptr);
json make_error_response(const json& id, json error_object);
json make_notification(std::string method, json params);
json make_request(const json& id, std::string method, json params);

}  // namespace mcpshim::rewrite
