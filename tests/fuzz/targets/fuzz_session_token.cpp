// Opening a session id: any bytes a client puts in Mcp-Session-Id are
// refused or opened, never a crash; a sealed token opens to what was sealed.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "mcpshim/rewrite/safe_text.hpp"
#include "session/session_token.hpp"

using namespace mcpshim;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const auto keys = session::SessionKeyring::from_text(std::string(64, 'a'));
    const std::string_view token(reinterpret_cast<const char*>(data), size);
    (void)keys.open(token, 1000);
    // The input as claims: sealing then opening gives them back.
    session::SessionClaims claims;
    claims.protocol_version = "2025-11-25";
    claims.client_info = json{{"name", rewrite::valid_utf8(token)}};
    claims.expires_at = 2000;
    claims.principal = "p";
    claims.session_id = "s";
    const auto sealed = keys.seal(claims);
    const auto opened = keys.open(sealed, 1000);
    const auto* back = std::get_if<session::SessionClaims>(&opened);
    if (!back || back->client_info != claims.client_info) std::abort();
    return 0;
}
