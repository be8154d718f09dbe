#pragma once
// Text from peers made fit for the two places it must never break: JSON
// (valid UTF-8 only) and log lines (one event per line, no forged ones).
#include <cstddef>
#include <string>
#include <string_view>

namespace mcpshim::rewrite {

// Invalid UTF-8 sequences (and a character cut in half at the end) become U+FFFD.
std::string valid_utf8(std::string_view text);

// For a log line: valid UTF-8, control characters written as \xNN (so a
// newline cannot start a forged line), at most `max_bytes` of the input
// (cut marked with "...").
std::string log_safe(std::string_view text, std::size_t max_bytes = 200);

// A W3C trace-context traceparent: version-traceid-parentid-flags in lower hex.
bool is_traceparent(std::string_view text);

// The first `max_bytes` of `text`, never ending inside a UTF-8 character.
std::string_view utf8_prefix(std::string_view text, std::size_t max_bytes);

}  // namespace mcpshim::rewrite
