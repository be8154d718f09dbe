#pragma once
// Session ids this serving thread opened lately, so that the common path (a
// client's next request in the same session) skips the AES-GCM open and the
// claims parse. Only ids that opened successfully are kept, and expiry is
// checked on every hit; a forged id never enters.
#include <cstddef>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "session/session_token.hpp"

namespace mcpshim::session {

class OpenedTokens {
public:
    explicit OpenedTokens(std::size_t capacity) : capacity_(capacity) {}

    // The claims of `token` if it was opened here and has not expired.
    std::optional<SessionClaims> find(std::string_view token, std::int64_t now);
    void remember(std::string_view token, const SessionClaims& claims);

private:
    std::size_t capacity_;
    std::unordered_map<std::string, SessionClaims> claims_;
    std::deque<std::string> order_;  // oldest first, for eviction
};

}  // namespace mcpshim::session
