#pragma once
// Multi round-trip requests (2026-07-28): an `input_required` result names
// what the server needs from the client; the client answers and retries the
// original request. The shim plays that client for a legacy one, asking it
// through real server-to-client requests.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "mcpshim/rewrite/json.hpp"

namespace mcpshim::rewrite {

struct InputRequest {
    std::string key;  // the server's name for it, echoed in inputResponses
    std::string method;
    json params;
};

struct InputRound {
    std::vector<InputRequest> requests;        // may be empty: then retry at once
    std::optional<std::string> request_state;  // echoed byte for byte when present
};

// Reads an `input_required` result; the string says what is wrong with it.
std::variant<InputRound, std::string> read_input_required(const json& result);

// The legacy client capability an input request needs, if the client lacks it.
std::optional<std::string> missing_capability(std::string_view method, const json& legacy_client_capabilities);

// The original request's params for the retry: `inputResponses` and
// `requestState` of this round replace any from an earlier one.
json retry_params(const json& original_params, json input_responses, const std::optional<std::string>& request_state);

}  // namespace mcpshim::rewrite
