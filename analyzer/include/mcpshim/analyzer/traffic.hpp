#pragma once
// The traffic of a set of logs, reconstructed: servers, their sessions, and
// in each session the calls in order (a request with its answer and what the
// server asked the client meanwhile). Kept compact: results are cut to what
// the rules read.
#include <map>
#include <memory>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "mcpshim/analyzer/wire.hpp"

namespace mcpshim::analyzer {

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
    std::string result_text;             // the result's text content (or JSON), cut
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
    std::vector<Call> calls;
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
    std::vector<SessionlessRequest> sessionless;
    std::string display() const { return name.empty() ? key : name + " (" + key + ")"; }
};

class Traffic {
public:
    void add(WireMessage&& message);
    // Call after the last message: settles what needs the whole picture.
    void finish();
    const std::map<std::string, Server>& servers() const { return servers_; }

private:
    struct Pending {
        std::string server;
        std::string session;
        std::size_t call = 0;
    };
    void request(Server& server, Session& session, WireMessage& message);
    void response(Server& server, Session* session, WireMessage& message);

    std::map<std::string, Server> servers_;
    // Client requests awaiting their answer, by exchange and JSON-RPC id.
    std::unordered_map<std::string, Pending> pending_;
    std::size_t stateless_counter_ = 0;
};

}  // namespace mcpshim::analyzer
