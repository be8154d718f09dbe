#include "http/request_checks.hpp"

#include <boost/asio/ip/address.hpp>
#include <boost/beast/http/field.hpp>

#include <algorithm>

#include "mcpshim/rewrite/option_names.hpp"
#include "mcpshim/rewrite/safe_text.hpp"

namespace mcpshim::http_face {

namespace http = boost::beast::http;

namespace {

std::string lower(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return out;
}

// "host:port" or "[v6]:port" -> host (without brackets).
std::string host_part(std::string_view authority) {
    if (!authority.empty() && authority.front() == '[') {
        const auto close = authority.find(']');
        return std::string(authority.substr(1, close == std::string_view::npos ? authority.size() : close - 1));
    }
    return std::string(authority.substr(0, authority.rfind(':')));
}

struct ParsedOrigin {
    std::string scheme;
    std::string host;
    std::string authority;
};

std::optional<ParsedOrigin> parse_origin(std::string_view origin) {
    const auto sep = origin.find("://");
    if (sep == std::string_view::npos) return std::nullopt;
    ParsedOrigin parsed{lower(origin.substr(0, sep)), {}, lower(origin.substr(sep + 3))};
    if (const auto slash = parsed.authority.find('/'); slash != std::string::npos) parsed.authority.resize(slash);
    parsed.host = host_part(parsed.authority);
    return parsed;
}

bool origin_allowed(std::string_view origin, const HttpSettings& config) {
    const auto parsed = parse_origin(origin);
    if (!parsed) return false;
    if (config.allowed_origins.empty())
        return (parsed->scheme == "http" || parsed->scheme == "https") && is_loopback_name(parsed->host);
    for (const auto& allowed : config.allowed_origins) {
        if (allowed == "*") return true;
        const auto entry = parse_origin(allowed);
        if (!entry || entry->scheme != parsed->scheme) continue;
        // An entry without a port allows any port on that host.
        if (entry->authority == parsed->authority || (entry->authority == entry->host && entry->host == parsed->host))
            return true;
    }
    return false;
}

}  // namespace

// A name is loopback only as "localhost" or as an address literal that is
// one: "127.attacker.example" starts like 127.0.0.1 but is anyone's name.
bool is_loopback_name(std::string_view host) {
    const auto name = lower(host);
    if (name == "localhost") return true;
    boost::system::error_code not_an_address;
    const auto address = boost::asio::ip::make_address(name, not_an_address);
    return !not_an_address && address.is_loopback();
}

std::optional<std::string> check_origin_and_host(const Request& request, const HttpSettings& config) {
    const auto origin = request[http::field::origin];
    if (!origin.empty() && !origin_allowed(origin, config))
        return "Origin " + std::string(origin) + " is not allowed (add it with " + std::string(option::allow_origin) + ")";
    const auto host = host_part(request[http::field::host]);
    if (!config.allowed_hosts.empty()) {
        if (std::find(config.allowed_hosts.begin(), config.allowed_hosts.end(), "*") != config.allowed_hosts.end())
            return std::nullopt;
        if (std::find(config.allowed_hosts.begin(), config.allowed_hosts.end(), lower(host)) ==
            config.allowed_hosts.end())
            return "Host " + host + " is not allowed (add it with " + std::string(option::allow_host) + ")";
    } else if (is_loopback_name(config.listen_host) && !is_loopback_name(host)) {
        return "Host " + host +
               " is not a loopback name, and this shim listens on loopback (allow it with " + std::string(option::allow_host) + ")";
    }
    return std::nullopt;
}

std::optional<Refusal> check_content_type(const Request& request) {
    const auto content_type = lower(request[http::field::content_type]);
    if (!content_type.starts_with("application/json"))
        return Refusal{415, "Content-Type must be application/json (got \"" + content_type + "\")"};
    return std::nullopt;
}

unsigned status_of(const rewrite::ParseFailure& failure) {
    return failure.limit && failure.limit->option == option::max_body_bytes ? 413 : 400;
}

// Trace headers travel on in `_meta` (JSON): a traceparent must have the
// W3C form, the others must be valid UTF-8 and no longer than W3C allows.
relay::Caller caller_of(const Request& request) {
    relay::Caller caller;
    caller.authorization = std::string(request[http::field::authorization]);
    const auto traceparent = request["traceparent"];
    caller.trace.traceparent = rewrite::is_traceparent(traceparent) ? std::string(traceparent) : std::string();
    caller.trace.tracestate = rewrite::valid_utf8(rewrite::utf8_prefix(request["tracestate"], 512));
    caller.trace.baggage = rewrite::valid_utf8(rewrite::utf8_prefix(request["baggage"], 8192));
    return caller;
}

boost::asio::awaitable<void> reject(ResponseWriter& out, unsigned status, int error_code, std::string message,
                                    relay::RequestLog& log, json id) {
    log.note = message;
    co_await out.send(status, "application/json", to_text(rewrite::make_error(id, error_code, std::move(message))));
}

std::optional<Refusal> check_post_headers(const Request& request) {
    if (auto refusal = check_content_type(request)) return refusal;
    const auto accept = lower(request[http::field::accept]);
    const bool any = accept.empty() || accept.find("*/*") != std::string::npos;
    if (!any &&
        (accept.find("application/json") == std::string::npos || accept.find("text/event-stream") == std::string::npos))
        return Refusal{406, "Accept must list both application/json and text/event-stream"};
    return std::nullopt;
}

rewrite::HeaderValue header_value(const Request& request, std::string_view name) {
    const auto found = request.find(name);
    if (found == request.end()) return std::nullopt;
    return rewrite::strip_header_whitespace(found->value());
}

}  // namespace mcpshim::http_face
