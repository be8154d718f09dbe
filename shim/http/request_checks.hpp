#pragma once
// Checks on a legacy request's headers before its body is looked at:
// DNS-rebinding protection (Origin, Host) and the POST media types.
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <optional>
#include <string>
#include <string_view>

#include "serve_config.hpp"

namespace mcpshim::http_face {

using Request = boost::beast::http::request<boost::beast::http::string_body>;

struct Refusal {
    unsigned status;
    std::string message;
};

// Why the request's Origin or Host is not allowed, if it is not.
std::optional<std::string> check_origin_and_host(const Request& request, const ServeConfig& config);

// 415 for a body that is not JSON, 406 for an Accept that rules out JSON or SSE.
std::optional<Refusal> check_post_headers(const Request& request);

// "localhost", "127.0.0.1" (and the rest of 127/8), "::1".
bool is_loopback_name(std::string_view host);

}  // namespace mcpshim::http_face
