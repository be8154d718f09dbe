#pragma once
// Checks on a legacy request's headers before its body is looked at:
// DNS-rebinding protection (Origin, Host) and the POST media types; and the
// refusal that answers a request that fails one.
#include <boost/asio/awaitable.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <optional>
#include <string>
#include <string_view>

#include "http/response_writer.hpp"
#include "mcpshim/rewrite/era_choice.hpp"
#include "mcpshim/rewrite/jsonrpc.hpp"
#include "relay/request_relay.hpp"
#include "http/http_settings.hpp"

namespace mcpshim::http_face {

using Request = boost::beast::http::request<boost::beast::http::string_body>;

struct Refusal {
    unsigned status;
    std::string message;
};

// Why the request's Origin or Host is not allowed, if it is not.
std::optional<std::string> check_origin_and_host(const Request& request, const HttpSettings& config);

// 415 for a body that is not JSON.
std::optional<Refusal> check_content_type(const Request& request);
// check_content_type, and 406 for an Accept that rules out JSON or SSE.
std::optional<Refusal> check_post_headers(const Request& request);

// 413 when the body was over --max-body-bytes, else 400.
unsigned status_of(const rewrite::ParseFailure& failure);

// The caller's credentials and trace context, forwarded upstream as they came.
relay::Caller caller_of(const Request& request);

// Answers with a JSON-RPC error and notes why in the request's log line.
boost::asio::awaitable<void> reject(ResponseWriter& out, unsigned status, int error_code, std::string message,
                                    relay::RequestLog& log, json id = nullptr);

// A header as the era rules read it: absent, or its value without the
// optional whitespace around it.
rewrite::HeaderValue header_value(const Request& request, std::string_view name);

// "localhost", "127.0.0.1" (and the rest of 127/8), "::1".
bool is_loopback_name(std::string_view host);

}  // namespace mcpshim::http_face
