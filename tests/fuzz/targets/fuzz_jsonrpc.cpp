// A client body through the message model and the translation of each
// request: every input gets a parsed message or a ParseFailure, never a crash.
#include <cstddef>
#include <cstdint>

#include "mcpshim/rewrite/jsonrpc.hpp"
#include "mcpshim/rewrite/legacy_response.hpp"
#include "mcpshim/rewrite/modern_request.hpp"

using namespace mcpshim;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    auto parsed = rewrite::parse_body(text, rewrite::JsonLimits{}, /*allow_batch=*/true);
    auto* body = std::get_if<rewrite::ParsedBody>(&parsed);
    if (!body) return 0;
    const rewrite::SessionView view{"2025-11-25", json::object(), json::object(), std::string("info")};
    for (const auto& message : body->messages) {
        if (message.is_request()) {
            auto modern = rewrite::to_modern_request(message.body, 1, view, {});
            (void)to_text(modern.body);
        }
        if (message.kind == rewrite::MessageKind::result && message.body["result"].is_object()) {
            for (const char* method : {"tools/list", "tools/call", "resources/read", "prompts/get", "initialize"})
                (void)rewrite::to_legacy_result(method, message.body["result"], "2025-03-26");
        }
    }
    return 0;
}
