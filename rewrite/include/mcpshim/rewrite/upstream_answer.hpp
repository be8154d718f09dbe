#pragma once
// What a modern server's final response to a request is, decided once and
// without a throwing accessor, so that the relays switch on a kind instead of
// probing JSON they do not trust.
#include <string>
#include <variant>

#include "mcpshim/rewrite/json.hpp"
#include "mcpshim/rewrite/mrtr.hpp"

namespace mcpshim::rewrite {

namespace answer {
struct Error {            // a JSON-RPC error
    json error;           // an object with an integer code and a string message
    int code = 0;
};
struct InputRequired {    // resultType "input_required": ask the client, then retry
    InputRound round;
};
struct Task {             // resultType "task": the server created a task
    json result;
};
struct Complete {         // any other result; its resultType is checked where it is translated
    json result;
};
struct Malformed {        // a response that cannot be read as any of the above
    std::string reason;
};
struct Missing {};        // no response at all (the exchange failed or the stream ended)
}  // namespace answer

using UpstreamAnswer =
    std::variant<answer::Error, answer::InputRequired, answer::Task, answer::Complete, answer::Malformed,
                 answer::Missing>;

// `final_response` is null when none arrived.
UpstreamAnswer classify_upstream_answer(json final_response);

}  // namespace mcpshim::rewrite
