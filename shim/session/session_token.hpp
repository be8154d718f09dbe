#pragma once
// The legacy Mcp-Session-Id as a sealed token (AES-256-GCM): it carries what
// the session negotiated, so any shim process holding the key can serve any
// session without a lookup, and a restarted one still can.
#include "mcpshim/rewrite/json.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace mcpshim::session {

struct SessionClaims {
    std::string protocol_version;
    json client_info;
    json client_capabilities;
    std::int64_t issued_at = 0;   // unix seconds
    std::int64_t expires_at = 0;  // unix seconds
    std::string principal;        // digest of the caller's Authorization header
    std::string session_id;       // random; names the session in logs and revocations
};

enum class OpenError { malformed, unknown_key, tampered, expired };
std::string_view describe(OpenError error);

// Keys that seal and open tokens. The first key seals; every key opens, so a
// key can be rotated in without ending live sessions.
class SessionKeyring {
public:
    // Each key is 32 bytes, given as 64 hex digits or as base64.
    static SessionKeyring from_text(std::string_view keys_text);  // one key per line or comma-separated
    static SessionKeyring random_key();

    std::string seal(const SessionClaims& claims) const;
    std::variant<SessionClaims, OpenError> open(std::string_view token, std::int64_t now) const;

    const std::string& sealing_key_id() const { return keys_.front().id; }

private:
    struct Key {
        std::string id;     // 8 hex digits of SHA-256(key)
        std::string bytes;  // 32 bytes
    };
    std::vector<Key> keys_;
};

// A short, stable digest of an Authorization header value (empty when absent),
// so a token only works for the principal that created it.
std::string principal_digest(std::string_view authorization);

std::string random_hex(std::size_t bytes);

}  // namespace mcpshim::session
