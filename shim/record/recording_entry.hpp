#pragma once
// The lines of a recording that describe one HTTP exchange, shared by the
// recording proxy and `serve --record`.
#include <boost/beast/http/field.hpp>

#include <cstdint>
#include <string>

#include "mcpshim/rewrite/json.hpp"
#include "session/session_token.hpp"

namespace mcpshim::record {

// What every line about one exchange says.
inline json exchange_entry(std::uint64_t connection, std::uint64_t exchange, const char* direction, const char* kind,
                           const std::string& server) {
    json entry = json::object();
    entry["conn"] = connection;
    entry["x"] = exchange;
    entry["dir"] = direction;
    entry["kind"] = kind;
    entry["server"] = server;
    return entry;
}

// The headers that matter to the analyzer; never the credential itself.
template <typename Fields>
void attach_headers(json& entry, const Fields& fields) {
    namespace http = boost::beast::http;
    if (auto it = fields.find("mcp-session-id"); it != fields.end()) entry["session"] = std::string(it->value());
    if (auto it = fields.find("mcp-protocol-version"); it != fields.end())
        entry["protocolVersion"] = std::string(it->value());
    if (auto it = fields.find(http::field::content_type); it != fields.end())
        entry["contentType"] = std::string(it->value());
    if (auto it = fields.find(http::field::authorization); it != fields.end())
        entry["principal"] = session::principal_digest(it->value());
    if (auto it = fields.find("last-event-id"); it != fields.end()) entry["lastEventId"] = std::string(it->value());
}

}  // namespace mcpshim::record
