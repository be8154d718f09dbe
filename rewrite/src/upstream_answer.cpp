#include "mcpshim/rewrite/upstream_answer.hpp"

#include "mcpshim/rewrite/jsonrpc.hpp"
#include "mcpshim/rewrite/legacy_response.hpp"

namespace mcpshim::rewrite {

UpstreamAnswer classify_upstream_answer(json final_response) {
    if (final_response.is_null()) return answer::Missing{};
    if (auto why = malformed_upstream_message(final_response)) return answer::Malformed{std::move(*why)};
    if (final_response.contains("method")) return answer::Malformed{"a request or notification is not a response"};
    if (auto error = final_response.find("error"); error != final_response.end()) {
        const int code = error->find("code")->get<int>();  // an integer, by the shape rules
        return answer::Error{std::move(*error), code};
    }
    json& result = final_response["result"];  // an object, by the shape rules
    const auto type = result_type_of(result);
    if (type == "input_required") {
        auto read = read_input_required(result);
        if (auto* malformed = std::get_if<std::string>(&read))
            return answer::Malformed{"the upstream's input_required result is malformed: " + *malformed};
        return answer::InputRequired{std::move(std::get<InputRound>(read))};
    }
    if (type == "task") return answer::Task{std::move(result)};
    return answer::Complete{std::move(result)};
}

}  // namespace mcpshim::rewrite
