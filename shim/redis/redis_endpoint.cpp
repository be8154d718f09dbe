#include "redis/redis_endpoint.hpp"

#include <charconv>

namespace mcpshim::redis {

namespace {

template <typename T>
bool read_number(std::string_view text, T& out) {
    if (text.empty()) return false;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return ec == std::errc() && end == text.data() + text.size();
}

}  // namespace

std::optional<RedisEndpoint> parse_redis_url(std::string_view url, std::string& error) {
    constexpr std::string_view scheme = "redis://";
    if (!url.starts_with(scheme)) {
        error = "a Redis URL is redis://[:PASSWORD@]HOST:PORT[/DB], not " + std::string(url);
        return std::nullopt;
    }
    std::string_view rest = url.substr(scheme.size());
    RedisEndpoint endpoint;
    if (const auto at = rest.rfind('@'); at != std::string_view::npos) {
        std::string_view credentials = rest.substr(0, at);
        // redis://:password@ (the classic form) or redis://user:password@ (the user is not used).
        const auto colon = credentials.find(':');
        endpoint.password = std::string(colon == std::string_view::npos ? credentials : credentials.substr(colon + 1));
        rest.remove_prefix(at + 1);
    }
    std::string_view authority = rest;
    if (const auto slash = rest.find('/'); slash != std::string_view::npos) {
        authority = rest.substr(0, slash);
        const auto db = rest.substr(slash + 1);
        if (!db.empty() && (!read_number(db, endpoint.db) || endpoint.db < 0)) {
            error = "the database in " + std::string(url) + " must be a number";
            return std::nullopt;
        }
    }
    std::string_view host = authority;
    if (authority.starts_with('[')) {  // [::1]:6379
        const auto close = authority.find(']');
        if (close == std::string_view::npos) {
            error = "unclosed [ in " + std::string(url);
            return std::nullopt;
        }
        host = authority.substr(1, close - 1);
        authority.remove_prefix(close + 1);
        if (!authority.empty() && (authority.front() != ':' || !read_number(authority.substr(1), endpoint.port))) {
            error = "the port in " + std::string(url) + " must be a number";
            return std::nullopt;
        }
    } else if (const auto colon = authority.rfind(':'); colon != std::string_view::npos) {
        host = authority.substr(0, colon);
        if (!read_number(authority.substr(colon + 1), endpoint.port) || endpoint.port == 0) {
            error = "the port in " + std::string(url) + " must be a number from 1 to 65535";
            return std::nullopt;
        }
    }
    if (host.empty()) {
        error = "no host in " + std::string(url);
        return std::nullopt;
    }
    endpoint.host = std::string(host);
    return endpoint;
}

}  // namespace mcpshim::redis
