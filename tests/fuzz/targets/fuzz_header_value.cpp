// Header values: the sentinel encoding round-trips any text, decoding any
// bytes never crashes, and the log and UTF-8 repairs always give valid output.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "mcpshim/rewrite/header_encoding.hpp"
#include "mcpshim/rewrite/safe_text.hpp"

using namespace mcpshim::rewrite;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    (void)decode_header_value(text);
    const auto encoded = encode_header_value(text);
    for (const char c : encoded)
        if (c < 0x20 || c > 0x7E) std::abort();
    const auto decoded = decode_header_value(encoded);
    if (!decoded || *decoded != text) std::abort();
    const auto repaired = valid_utf8(text);
    if (valid_utf8(repaired) != repaired) std::abort();
    const auto line = log_safe(text);
    if (line.find('\n') != std::string::npos || line.find('\r') != std::string::npos) std::abort();
    if (utf8_prefix(text, size / 2).size() > size / 2) std::abort();
    (void)is_traceparent(text);
    return 0;
}
