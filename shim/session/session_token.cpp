#include "session/session_token.hpp"

#include "mcpshim/rewrite/json_parse.hpp"

#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include <memory>
#include <stdexcept>

#include "mcpshim/rewrite/base64.hpp"

namespace mcpshim::session {
namespace {

constexpr std::string_view token_prefix = "mcps1.";
constexpr std::size_t nonce_bytes = 12;
constexpr std::size_t tag_bytes = 16;
constexpr std::size_t key_bytes = 32;

std::string to_hex(const unsigned char* data, std::size_t size) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    out.reserve(size * 2);
    for (std::size_t i = 0; i < size; ++i) {
        out += digits[data[i] >> 4];
        out += digits[data[i] & 15];
    }
    return out;
}

std::string sha256_hex(std::string_view data, std::size_t bytes) {
    unsigned char digest[SHA256_DIGEST_LENGTH];
    SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest);
    return to_hex(digest, bytes);
}

std::optional<std::string> from_hex(std::string_view text) {
    if (text.size() % 2) return std::nullopt;
    std::string out;
    for (std::size_t i = 0; i < text.size(); i += 2) {
        int value = 0;
        for (char c : text.substr(i, 2)) {
            value <<= 4;
            if (c >= '0' && c <= '9')
                value |= c - '0';
            else if (c >= 'a' && c <= 'f')
                value |= c - 'a' + 10;
            else if (c >= 'A' && c <= 'F')
                value |= c - 'A' + 10;
            else
                return std::nullopt;
        }
        out += char(value);
    }
    return out;
}

struct CipherContextDeleter {
    void operator()(EVP_CIPHER_CTX* ctx) const { EVP_CIPHER_CTX_free(ctx); }
};
using CipherContext = std::unique_ptr<EVP_CIPHER_CTX, CipherContextDeleter>;

std::string trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return std::string(s);
}

}  // namespace

std::string_view describe(OpenError error) {
    switch (error) {
        case OpenError::malformed:
            return "not a session id this shim issued";
        case OpenError::unknown_key:
            return "sealed with a key this shim does not hold";
        case OpenError::tampered:
            return "failed authentication (forged or altered)";
        case OpenError::expired:
            return "expired";
    }
    return "invalid";
}

std::string random_hex(std::size_t bytes) {
    std::string raw(bytes, '\0');
    if (RAND_bytes(reinterpret_cast<unsigned char*>(raw.data()), int(bytes)) != 1)
        throw std::runtime_error("the system random generator failed");
    return to_hex(reinterpret_cast<const unsigned char*>(raw.data()), raw.size());
}

SessionKeyring SessionKeyring::from_text(std::string_view keys_text) {
    SessionKeyring ring;
    std::size_t start = 0;
    while (start <= keys_text.size()) {
        auto end = keys_text.find_first_of(",\n", start);
        if (end == std::string_view::npos) end = keys_text.size();
        const auto entry = trim(keys_text.substr(start, end - start));
        start = end + 1;
        if (entry.empty() || entry.front() == '#') continue;
        std::optional<std::string> bytes = entry.size() == 2 * key_bytes ? from_hex(entry) : std::nullopt;
        if (!bytes) bytes = rewrite::base64_decode(entry);
        if (!bytes || bytes->size() != key_bytes)
            throw std::invalid_argument(
                "a session key must be 32 bytes, written as 64 hex digits or base64 "
                "(make one with: openssl rand -hex 32)");
        ring.keys_.push_back(Key{sha256_hex(*bytes, 4), std::move(*bytes)});
    }
    if (ring.keys_.empty()) throw std::invalid_argument("no session key found in the key text");
    return ring;
}

SessionKeyring SessionKeyring::random_key() {
    return from_text(random_hex(key_bytes));
}

std::string SessionKeyring::seal(const SessionClaims& claims) const {
    const json payload{{"v", claims.protocol_version}, {"ci", claims.client_info}, {"cc", claims.client_capabilities},
                       {"iat", claims.issued_at},      {"exp", claims.expires_at}, {"p", claims.principal},
                       {"sid", claims.session_id}};
    const std::string plain = to_text(payload);
    const Key& key = keys_.front();
    const std::string aad = std::string(token_prefix) + key.id;

    std::string sealed(nonce_bytes + plain.size() + tag_bytes, '\0');
    auto* out = reinterpret_cast<unsigned char*>(sealed.data());
    if (RAND_bytes(out, int(nonce_bytes)) != 1) throw std::runtime_error("the system random generator failed");
    CipherContext ctx(EVP_CIPHER_CTX_new());
    int len = 0;
    if (!ctx ||
        EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr,
                           reinterpret_cast<const unsigned char*>(key.bytes.data()), out) != 1 ||
        EVP_EncryptUpdate(ctx.get(), nullptr, &len, reinterpret_cast<const unsigned char*>(aad.data()),
                          int(aad.size())) != 1 ||
        EVP_EncryptUpdate(ctx.get(), out + nonce_bytes, &len, reinterpret_cast<const unsigned char*>(plain.data()),
                          int(plain.size())) != 1 ||
        EVP_EncryptFinal_ex(ctx.get(), out + nonce_bytes + len, &len) != 1 ||
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, int(tag_bytes), out + nonce_bytes + plain.size()) != 1)
        throw std::runtime_error("sealing a session token failed");
    return aad + "." + rewrite::base64url_encode(sealed);
}

std::variant<SessionClaims, OpenError> SessionKeyring::open(std::string_view token, std::int64_t now) const {
    if (!token.starts_with(token_prefix)) return OpenError::malformed;
    const auto dot = token.find('.', token_prefix.size());
    if (dot == std::string_view::npos) return OpenError::malformed;
    const auto key_id = token.substr(token_prefix.size(), dot - token_prefix.size());
    const Key* key = nullptr;
    for (const auto& candidate : keys_)
        if (candidate.id == key_id) key = &candidate;
    if (!key) return OpenError::unknown_key;
    const auto sealed = rewrite::base64url_decode(token.substr(dot + 1));
    if (!sealed || sealed->size() < nonce_bytes + tag_bytes) return OpenError::malformed;

    const auto aad = token.substr(0, dot);
    const auto* in = reinterpret_cast<const unsigned char*>(sealed->data());
    const std::size_t cipher_size = sealed->size() - nonce_bytes - tag_bytes;
    std::string plain(cipher_size, '\0');
    CipherContext ctx(EVP_CIPHER_CTX_new());
    int len = 0;
    std::string tag = sealed->substr(nonce_bytes + cipher_size);
    if (!ctx ||
        EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr,
                           reinterpret_cast<const unsigned char*>(key->bytes.data()), in) != 1 ||
        EVP_DecryptUpdate(ctx.get(), nullptr, &len, reinterpret_cast<const unsigned char*>(aad.data()),
                          int(aad.size())) != 1 ||
        EVP_DecryptUpdate(ctx.get(), reinterpret_cast<unsigned char*>(plain.data()), &len, in + nonce_bytes,
                          int(cipher_size)) != 1 ||
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, int(tag_bytes), tag.data()) != 1 ||
        EVP_DecryptFinal_ex(ctx.get(), reinterpret_cast<unsigned char*>(plain.data()) + len, &len) != 1)
        return OpenError::tampered;

    // Sealed by a key of ours, yet parsed under the limits like any input:
    // a leaked key must not become a way to stall the shim.
    const json payload = rewrite::parse_json(plain, rewrite::JsonLimits{}).value;
    if (!payload.is_object()) return OpenError::malformed;
    SessionClaims claims;
    try {
        claims.protocol_version = payload.at("v").get<std::string>();
        claims.client_info = payload.at("ci");
        claims.client_capabilities = payload.at("cc");
        claims.issued_at = payload.at("iat").get<std::int64_t>();
        claims.expires_at = payload.at("exp").get<std::int64_t>();
        claims.principal = payload.at("p").get<std::string>();
        claims.session_id = payload.at("sid").get<std::string>();
    } catch (const json::exception&) {
        return OpenError::malformed;
    }
    if (claims.expires_at <= now) return OpenError::expired;
    return claims;
}

std::string principal_digest(std::string_view authorization) {
    if (authorization.empty()) return "anonymous";
    return sha256_hex(authorization, 16);
}

}  // namespace mcpshim::session
