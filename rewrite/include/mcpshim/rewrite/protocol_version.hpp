#pragma once
// Protocol versions, their eras, and legacy version negotiation.
#include <array>
#include <optional>
#include <string>
#include <string_view>

namespace mcpshim::rewrite {

enum class Era { legacy, modern };

// The versions a legacy client may negotiate with the shim, oldest first.
inline constexpr std::array<std::string_view, 4> legacy_versions{"2024-11-05", "2025-03-26", "2025-06-18",
                                                                 "2025-11-25"};
inline constexpr std::string_view latest_legacy_version = "2025-11-25";
inline constexpr std::string_view modern_version = "2026-07-28";

std::optional<Era> era_of(std::string_view version);
bool is_legacy_version(std::string_view version);

// Versions are dates, so they order as strings; `a` is at least `b`.
inline bool at_least(std::string_view a, std::string_view b) {
    return a >= b;
}

// What each legacy version added that the shim must honour (or hold back),
// named once so that no layer compares dates of its own.
// JSON-RPC batches: 2025-03-26 only (2025-06-18 removed them).
inline bool allows_batches(std::string_view version) {
    return version == "2025-03-26";
}
// SSE polling: priming events with ids, `retry`, a stream the server may
// close and the client resumes with Last-Event-ID (2025-11-25).
inline bool resumes_by_polling(std::string_view version) {
    return at_least(version, "2025-11-25");
}
// `message` on notifications/progress (2025-03-26).
inline bool has_progress_message(std::string_view version) {
    return at_least(version, "2025-03-26");
}

// The initialize answer: the client's version when the shim speaks it and it
// is not newer than `max_version`, else the newest the shim offers.
std::string negotiate_legacy_version(std::string_view requested, std::string_view max_version = latest_legacy_version);

}  // namespace mcpshim::rewrite
