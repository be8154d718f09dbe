// The era of a request and a modern request's header checks, on any headers
// and body: never a crash, a refusal is always a 400 with a JSON-RPC code,
// and the header checks run only on what the era choice calls modern. The
// SSE event boundaries found in the same bytes never pass what was fed, and
// do not depend on where the bytes were split.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "mcpshim/rewrite/era_choice.hpp"
#include "mcpshim/rewrite/http_forwarding.hpp"
#include "mcpshim/rewrite/json_parse.hpp"
#include "mcpshim/rewrite/sse.hpp"

using namespace mcpshim::rewrite;

namespace {

// The next line of `text` (consumed), or nullopt when there is none; a line
// that is just "-" stands for an absent header.
std::optional<HeaderValue> next_header(std::string_view& text) {
    const auto end = text.find('\n');
    if (end == std::string_view::npos) return std::nullopt;
    const auto line = text.substr(0, end);
    text.remove_prefix(end + 1);
    if (line == "-") return HeaderValue();
    return HeaderValue(strip_header_whitespace(line));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    std::string_view rest = input;
    const auto version = next_header(rest);
    const auto method = next_header(rest);
    const auto name = next_header(rest);
    if (!version || !method || !name) return 0;
    const auto decoded = parse_json(rest, JsonLimits{});
    const auto choice = choose_era(EraSignals{"POST", *version, decoded.ok() ? &decoded.value : nullptr});
    if (choice.refusal && (choice.refusal->status != 400 || choice.refusal->code >= 0)) std::abort();
    if (choice.era == Era::modern && !choice.refusal) {
        const auto refusal = check_modern_headers(ModernHeaders{*version, *method, *name}, decoded.value);
        if (refusal && (refusal->status != 400 || refusal->message.empty())) std::abort();
    }
    (void)is_hop_by_hop(rest.substr(0, 16), rest);

    SseEventEnds whole;
    whole.feed(input);
    SseEventEnds split;
    split.feed(input.substr(0, size / 2));
    split.feed(input.substr(size / 2));
    if (whole.last_end() > whole.fed() || whole.last_end() != split.last_end()) std::abort();
    return 0;
}
