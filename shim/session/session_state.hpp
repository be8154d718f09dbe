#pragma once
// What a legacy session changes as it goes, as every request loads it.
#include <optional>
#include <string>
#include <vector>

namespace mcpshim::session {

struct SessionState {
    bool ended = false;
    std::optional<std::string> log_level;
    std::vector<std::string> subscriptions;  // resource URIs, in the order subscribed
};

}  // namespace mcpshim::session
