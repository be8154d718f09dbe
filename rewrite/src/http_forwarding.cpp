#include "mcpshim/rewrite/http_forwarding.hpp"

#include <array>
#include <cctype>

namespace mcpshim::rewrite {

namespace {

bool same_name(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i])))
            return false;
    return true;
}

template <std::size_t N>
bool one_of(std::string_view name, const std::array<std::string_view, N>& names) {
    for (const auto candidate : names)
        if (same_name(name, candidate)) return true;
    return false;
}

// Whether `connection` (a comma-separated token list) names `name`.
bool named_by(std::string_view connection, std::string_view name) {
    while (!connection.empty()) {
        const auto comma = connection.find(',');
        auto token = connection.substr(0, comma);
        const auto first = token.find_first_not_of(" \t");
        if (first != std::string_view::npos) {
            token = token.substr(first, token.find_last_not_of(" \t") - first + 1);
            if (same_name(token, name)) return true;
        }
        if (comma == std::string_view::npos) break;
        connection.remove_prefix(comma + 1);
    }
    return false;
}

constexpr std::array<std::string_view, 9> hop_by_hop{"Connection", "Keep-Alive", "Proxy-Connection",
                                                     "Proxy-Authenticate", "Proxy-Authorization", "TE",
                                                     "Trailer", "Transfer-Encoding", "Upgrade"};

}  // namespace

bool is_hop_by_hop(std::string_view name, std::string_view connection) {
    return one_of(name, hop_by_hop) || named_by(connection, name);
}

bool forwards_request_header(std::string_view name, std::string_view connection) {
    constexpr std::array<std::string_view, 5> own{"Host", "Content-Length", "Mcp-Session-Id", "Last-Event-ID",
                                                  "Expect"};
    return !is_hop_by_hop(name, connection) && !one_of(name, own);
}

bool forwards_response_header(std::string_view name, std::string_view connection) {
    constexpr std::array<std::string_view, 3> own{"Content-Length", "Content-Type", "Server"};
    return !is_hop_by_hop(name, connection) && !one_of(name, own);
}

}  // namespace mcpshim::rewrite
