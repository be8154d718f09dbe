#include "mcpshim/rewrite/jsonrpc.hpp"

#include "mcpshim/rewrite/json_parse.hpp"

namespace mcpshim::rewrite {
namespace {

bool valid_id(const json& id) {
    return id.is_string() || id.is_number_integer();
}

ParseFailure invalid(std::string why, json id = nullptr) {
    return ParseFailure{error_code::invalid_request, std::move(why), std::nullopt, std::move(id)};
}

}  // namespace

namespace {

// Who sent the message: the JSON-RPC shape is one, its strictness differs.
// A client's response must carry the id it answers; an upstream's result is
// always an object, and its ids may be null where JSON-RPC allows.
enum class Sender { client, upstream };

std::optional<std::string> shape_problem(const json& message, Sender sender) {
    const bool client = sender == Sender::client;
    if (!message.is_object()) return "a JSON-RPC message must be a JSON object";
    const auto version = message.find("jsonrpc");
    if (version == message.end() || *version != "2.0") return "\"jsonrpc\" must be \"2.0\"";
    const auto id = message.find("id");
    const bool has_id = id != message.end();
    if (!client && has_id && !(valid_id(*id) || id->is_null())) return "\"id\" must be a string or an integer";
    const auto method = message.find("method");
    if (method != message.end()) {
        if (!method->is_string()) return "\"method\" must be a string";
        const auto params = message.find("params");
        if (params != message.end() && !params->is_object()) return "\"params\" must be an object";
        if (client && has_id && !valid_id(*id)) return "\"id\" must be a string or an integer";
        return std::nullopt;
    }
    const auto result = message.find("result");
    const auto error = message.find("error");
    if ((result == message.end()) == (error == message.end()))
        return "a message needs \"method\", or exactly one of \"result\" and \"error\"";
    if (client && !(has_id && (valid_id(*id) || (id->is_null() && result == message.end()))))
        return "a response needs a string or integer \"id\"";
    if (result != message.end()) {
        if (!client && !result->is_object()) return "\"result\" must be an object";
        return std::nullopt;
    }
    if (!is_error_object(*error)) return "\"error\" needs an integer \"code\" and a string \"message\"";
    return std::nullopt;
}

}  // namespace

std::variant<Message, ParseFailure> classify_message(json value) {
    if (auto problem = shape_problem(value, Sender::client)) {
        // The id goes back when it can name the request (a params problem).
        const bool named = value.contains("method") && value.contains("id") && valid_id(value["id"]);
        return invalid(std::move(*problem), named ? value["id"] : json(nullptr));
    }
    if (value.contains("method"))
        return Message{value.contains("id") ? MessageKind::request : MessageKind::notification, std::move(value)};
    const auto kind = value.contains("result") ? MessageKind::result : MessageKind::error;
    return Message{kind, std::move(value)};
}

std::optional<std::string> malformed_upstream_message(const json& message) {
    return shape_problem(message, Sender::upstream);
}

std::variant<ParsedBody, ParseFailure> parse_body(std::string_view text, const JsonLimits& limits, bool allow_batch) {
    auto decoded = parse_json(text, limits);
    if (decoded.limit)
        return ParseFailure{error_code::invalid_request, decoded.error, std::move(decoded.limit), nullptr};
    if (!decoded.ok())
        return ParseFailure{error_code::parse_error, "the body is not valid JSON (" + decoded.error + ")", std::nullopt,
                            nullptr};
    return parse_body(std::move(decoded.value), allow_batch);
}

std::variant<ParsedBody, ParseFailure> parse_body(json value, bool allow_batch) {
    ParsedBody parsed;
    if (value.is_array()) {
        if (!allow_batch) return invalid("JSON-RPC batches are only part of protocol version 2025-03-26");
        if (value.empty()) return invalid("an empty batch");
        parsed.batch = true;
        for (auto& element : value) {
            auto one = classify_message(std::move(element));
            if (auto* failure = std::get_if<ParseFailure>(&one)) return std::move(*failure);
            parsed.messages.push_back(std::move(std::get<Message>(one)));
        }
        return parsed;
    }
    auto one = classify_message(std::move(value));
    if (auto* failure = std::get_if<ParseFailure>(&one)) return std::move(*failure);
    parsed.messages.push_back(std::move(std::get<Message>(one)));
    return parsed;
}

// Messages are built member by member: a braced initializer list would copy
// every value, a whole result included.
json make_result(const json& id, json result) {
    json message = json::object();
    message["jsonrpc"] = "2.0";
    message["id"] = id;
    message["result"] = std::move(result);
    return message;
}

json make_error_object(int code, std::string message, json data) {
    json error = json::object();
    error["code"] = code;
    error["message"] = std::move(message);
    if (!data.is_null()) error["data"] = std::move(data);
    return error;
}

bool is_error_object(const json& error) {
    if (!error.is_object()) return false;
    const auto code = error.find("code");
    const auto message = error.find("message");
    return code != error.end() && code->is_number_integer() && message != error.end() && message->is_string();
}

json make_error(const json& id, int code, std::string message, json data) {
    return make_error_response(id, make_error_object(code, std::move(message), std::move(data)));
}

json make_error_response(const json& id, json error_object) {
    json message = json::object();
    message["jsonrpc"] = "2.0";
    message["id"] = id;
    message["error"] = std::move(error_object);
    return message;
}

json make_notification(std::string method, json params) {
    json message{{"jsonrpc", "2.0"}, {"method", std::move(method)}};
    if (!params.is_null()) message["params"] = std::move(params);
    return message;
}

json make_request(const json& id, std::string method, json params) {
    json message{{"jsonrpc", "2.0"}, {"id", id}, {"method", std::move(method)}};
    if (!params.is_null()) message["params"] = std::move(params);
    return message;
}

}  // namespace mcpshim::rewrite
