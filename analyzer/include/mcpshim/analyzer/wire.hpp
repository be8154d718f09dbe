#pragma once
// One JSON-RPC message as a traffic log shows it, whatever the log's format:
// where it is in the log, which server and session it belongs to, who sent
// it, and what HTTP said around it.
#include <cstdint>
#include <string>
#include <vector>

#include "mcpshim/rewrite/json.hpp"

namespace mcpshim::analyzer {

// A place in an input file: a line, or a HAR entry.
struct Location {
    std::string file;
    std::uint64_t line = 0;   // 1-based; 0 when the format has no lines
    std::int64_t entry = -1;  // HAR entry index; -1 otherwise
    std::string describe() const;
};

enum class Direction { client_to_server, server_to_client };

enum class Transport { http, stdio };

struct WireMessage {
    Location where;
    std::string time;
    Transport transport = Transport::http;
    std::string server;     // endpoint URL, or "stdio:<name>"
    std::string session;    // Mcp-Session-Id, a stdio process, or empty (none)
    std::string principal;  // digest of the Authorization header; "anonymous" without one
    Direction direction = Direction::client_to_server;
    std::string http_method;     // POST, GET, DELETE; empty for stdio
    int status = 0;              // HTTP status of the answer, when known
    bool on_get_stream = false;  // arrived on a standalone GET stream
    std::string last_event_id;   // the request resumed a stream
    std::string exchange;        // groups what one HTTP exchange carried
    json message;                // one JSON-RPC message; null for a bare HTTP event (see `note`)
    std::string note;            // a non-JSON body, e.g. a transport error text
};

// What reading one input gave.
struct BrokenEntry {
    Location where;
    std::string why;
};

struct InputSummary {
    std::string file;
    std::string format;  // "recording", "har", "stdio-log", "claude-desktop-log"
    std::uint64_t entries = 0;
    std::uint64_t messages = 0;
    std::uint64_t bytes = 0;
    std::vector<BrokenEntry> broken;  // the first few, with their count in broken_count
    std::uint64_t broken_count = 0;
    bool unreadable = false;  // could not be opened or recognised at all
    std::string error;
};

// SHA-256 of an Authorization header value, shortened; "anonymous" without one.
std::string principal_of(std::string_view authorization);

}  // namespace mcpshim::analyzer
