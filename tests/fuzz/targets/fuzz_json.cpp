// The linear JSON parse under limits: never crashes, agrees with nlohmann's
// own parser on every text it accepts, and refuses what breaks a limit.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "mcpshim/rewrite/json_parse.hpp"

using namespace mcpshim;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    rewrite::JsonLimits limits;
    limits.max_depth = 32;
    limits.max_object_members = 64;
    const auto parsed = rewrite::parse_json(text, limits);
    if (!parsed.ok()) return 0;
    const auto reference = json::parse(text, nullptr, false);
    if (reference.is_discarded() || reference != parsed.value) std::abort();
    (void)to_text(parsed.value);
    return 0;
}
