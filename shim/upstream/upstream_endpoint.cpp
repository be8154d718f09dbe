#include "upstream/upstream_endpoint.hpp"

namespace mcpshim::upstream {

std::optional<UpstreamEndpoint> parse_upstream_url(std::string_view url, std::string& error) {
    UpstreamEndpoint endpoint;
    endpoint.url = std::string(url);
    std::string_view rest = url;
    if (rest.starts_with("http://")) {
        rest.remove_prefix(7);
    } else if (rest.starts_with("https://")) {
        rest.remove_prefix(8);
        endpoint.tls = true;
    } else {
        error = "upstream URL must start with http:// or https://: " + std::string(url);
        return std::nullopt;
    }
    const auto slash = rest.find('/');
    std::string_view authority = rest.substr(0, slash);
    endpoint.target = slash == std::string_view::npos ? "/" : std::string(rest.substr(slash));
    if (authority.empty()) {
        error = "upstream URL has no host: " + std::string(url);
        return std::nullopt;
    }
    endpoint.host_header = std::string(authority);
    std::string_view host = authority;
    std::string_view port = endpoint.tls ? "443" : "80";
    if (authority.front() == '[') {  // [::1]:port
        const auto close = authority.find(']');
        if (close == std::string_view::npos) {
            error = "upstream URL has an unterminated IPv6 address: " + std::string(url);
            return std::nullopt;
        }
        host = authority.substr(1, close - 1);
        if (close + 1 < authority.size() && authority[close + 1] == ':') port = authority.substr(close + 2);
    } else if (const auto colon = authority.rfind(':'); colon != std::string_view::npos) {
        host = authority.substr(0, colon);
        port = authority.substr(colon + 1);
    }
    if (port.empty() || port.find_first_not_of("0123456789") != std::string_view::npos) {
        error = "upstream URL has a bad port: " + std::string(url);
        return std::nullopt;
    }
    endpoint.host = std::string(host);
    endpoint.port = std::string(port);
    return endpoint;
}

}  // namespace mcpshim::upstream
