#pragma once
// An upstream instance's URL, split for connecting.
#include <optional>
#include <string>
#include <string_view>

namespace mcpshim::upstream {

struct UpstreamEndpoint {
    std::string url;  // as configured, for messages
    bool tls = false;
    std::string host;
    std::string port;
    std::string target;  // path and query
    std::string host_header;
};

// nullopt with `error` set when the URL is not http(s)://host[:port][/path].
std::optional<UpstreamEndpoint> parse_upstream_url(std::string_view url, std::string& error);

}  // namespace mcpshim::upstream
