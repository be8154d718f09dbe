#include "mcpshim/rewrite/protocol_version.hpp"

#include <algorithm>

namespace mcpshim::rewrite {

bool is_legacy_version(std::string_view version) {
    return std::find(legacy_versions.begin(), legacy_versions.end(), version) != legacy_versions.end();
}

std::optional<Era> era_of(std::string_view version) {
    if (is_legacy_version(version)) return Era::legacy;
    if (version == modern_version) return Era::modern;
    return std::nullopt;
}

std::string negotiate_legacy_version(std::string_view requested, std::string_view max_version) {
    if (is_legacy_version(requested) && requested <= max_version) return std::string(requested);
    return std::string(max_version);
}

}  // namespace mcpshim::rewrite
