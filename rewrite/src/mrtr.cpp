#include "mcpshim/rewrite/method_names.hpp"
#include "mcpshim/rewrite/mrtr.hpp"

namespace mcpshim::rewrite {

std::variant<InputRound, std::string> read_input_required(const json& result) {
    InputRound round;
    if (const auto state = result.find("requestState"); state != result.end()) {
        if (!state->is_string()) return std::string("requestState is not a string");
        round.request_state = state->get<std::string>();
    }
    if (const auto requests = result.find("inputRequests"); requests != result.end()) {
        if (!requests->is_object()) return std::string("inputRequests is not an object");
        for (auto it = requests->begin(); it != requests->end(); ++it) {
            const auto& request = it.value();
            if (!request.is_object() || !request.contains("method") || !request["method"].is_string())
                return "input request \"" + it.key() + "\" has no method";
            round.requests.push_back(
                InputRequest{it.key(), request["method"].get<std::string>(), request.value("params", json::object())});
        }
    }
    if (round.requests.empty() && !round.request_state)
        return std::string("an input_required result with neither inputRequests nor requestState");
    return round;
}

std::optional<std::string> missing_capability(std::string_view method, const json& capabilities) {
    const char* needed = nullptr;
    if (method == method_name::sampling_create_message)
        needed = "sampling";
    else if (method == method_name::elicitation_create)
        needed = "elicitation";
    else if (method == method_name::roots_list)
        needed = "roots";
    else
        return "a capability for " + std::string(method) + " (not a method a server may ask of a client)";
    if (capabilities.is_object() && capabilities.contains(needed)) return std::nullopt;
    return std::string(needed);
}

json retry_params(const json& original_params, json input_responses, const std::optional<std::string>& request_state) {
    json params = original_params.is_object() ? original_params : json::object();
    params.erase("inputResponses");
    params.erase("requestState");
    if (!input_responses.empty()) params["inputResponses"] = std::move(input_responses);
    if (request_state) params["requestState"] = *request_state;
    return params;
}

}  // namespace mcpshim::rewrite
