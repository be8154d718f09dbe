#pragma once
// The traffic of a set of logs, reconstructed: servers, their sessions, and
// in each session the calls in order (a request with its answer and what the
// server asked the client meanwhile). Kept compact: results are cut to what
// the rules read.
#include <functional>
#include <list>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "mcpshim/analyzer/wire.hpp"
#include "mcpshim/rewrite/json_limits.hpp"

namespace mcpshim::analyzer {

// Keys under which servers hand out handles: browser_id, cartId, handle, fd, token.
bool id_like_key(std::string_view key);

// A value a result handed out under an id-like key ("browser_id", "handle").
struct ProducedValue {
    std::string key;
    std::string value;  // as JSON text
};

struct Call {
    Location where;         // the request
    Location answer_where;  // the response, when seen
    std::string method;
    std::string name;  // tool or prompt name, or resource URI
    json arguments = json::object();
    bool answered = false;
    bool failed = false;                 // a JSON-RPC error, or a tool result with isError
    std::string error_text;              // the error's message, cut
    std::string result_text;             // the start of the result's text content (or JSON)
    std::size_t result_digest = 0;       // of the whole text: results compare by it
    std::set<std::string> listed_names;  // tools/list, prompts/list, resources/list
    bool paged = false;                  // a cursor was sent or a nextCursor came back
    std::vector<ProducedValue> produced;
    std::string principal;
    int status = 0;
};

struct ServerRequest {
    Location where;
    std::string method;  // sampling/createMessage, elicitation/create, roots/list
};

// A session-scoped feature the 2026-07-28 protocol removed.
struct SessionFeature {
    Location where;
    std::string what;        // "resources/subscribe", "logging/setLevel", "GET stream", "Last-Event-ID", "tasks/list"
    bool delivered = false;  // a GET stream that carried notifications
};

struct Session {
    std::string id;
    std::string protocol_version;
    json client_info;
    json client_capabilities;
    std::set<std::string> principals;
    std::vector<Call> calls;  // the first TrafficLimits::max_calls_per_session
    std::size_t dropped_calls = 0;
    std::vector<std::string> pending;  // keys of its requests still awaiting an answer
    std::vector<ServerRequest> server_requests;
    std::vector<SessionFeature> features;
    Location first_seen;
};

// A request sent without a session to a server that uses sessions, and what it got.
struct SessionlessRequest {
    Location where;
    std::string method;
    int status = 0;
    std::string answer;  // error message or body text
    bool refused = false;
};

struct Server {
    std::string key;   // endpoint URL or "stdio:<name>"
    std::string name;  // serverInfo.name, when an initialize answer was seen
    std::string version;
    bool issues_sessions = false;  // an initialize answer carried a session id
    std::map<std::string, Session> sessions;
    std::vector<SessionlessRequest> sessionless;  // the first few
    std::size_t sessionless_count = 0;
    std::string display() const { return name.empty() ? key : name + " (" + key + ")"; }
};

// Bounds that keep memory flat however long the logs are.
struct TrafficLimits {
    std::size_t max_live_sessions = 2048;      // --max-live-sessions: older ones are judged and let go
    std::size_t max_calls_per_session = 2000;  // later calls of a longer session are counted, not kept
    std::size_t max_sessionless_kept = 64;
    // Every JSON text the analyzer parses (a recording line, a HAR body, a
    // log line, a tool result's text): --max-json-depth, --max-object-members,
    // --max-entry-bytes (also the longest string).
    rewrite::JsonLimits json{64 * 1024 * 1024, 256, 64 * 1024 * 1024, 100000};
};

class Traffic {
public:
    // Each session is handed to `retire` once, when it is let go or at finish().
    using Retire = std::function<void(const Server&, const Session&)>;
    Traffic(Retire retire, TrafficLimits limits = {}) : retire_(std::move(retire)), limits_(limits) {}

    void add(WireMessage&& message);
    // Messages set aside since the last call, because a field had another
    // type than the protocol's: the first few, and how many in all.
    std::pair<std::vector<BrokenEntry>, std::size_t> take_unusable();
    // Call after the last message: retires every session still live.
    void finish();
    const std::map<std::string, Server>& servers() const { return servers_; }

private:
    void model(WireMessage&& message);
    Session& live_session(Server& server, const std::string& id, const Location& where);
    void touch(Server& server, Session& session);
    void retire(Server& server, const std::string& session_id);

    struct Pending {
        std::string server;
        std::string session;
        std::size_t call = 0;
    };
    void request(Server& server, Session& session, WireMessage& message);
    void response(Server& server, Session* session, WireMessage& message);
    void settle(Server& server, Call& call, WireMessage& message);

    Retire retire_;
    TrafficLimits limits_;
    std::vector<BrokenEntry> unusable_;
    std::size_t unusable_count_ = 0;
    std::map<std::string, Server> servers_;
    // Client requests awaiting their answer, by server, session and JSON-RPC id.
    std::unordered_map<std::string, Pending> pending_;
    std::size_t stateless_counter_ = 0;
    std::unordered_map<std::string, std::string> stateless_by_exchange_;
    // Live sessions, least recently active first.
    std::list<std::pair<std::string, std::string>> recency_;
    std::unordered_map<std::string, std::list<std::pair<std::string, std::string>>::iterator> recency_index_;
};

}  // namespace mcpshim::analyzer
