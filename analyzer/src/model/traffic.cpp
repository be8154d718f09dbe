#include "mcpshim/analyzer/traffic.hpp"

#include "mcpshim/rewrite/method_names.hpp"
#include "mcpshim/rewrite/json_parse.hpp"

#include <algorithm>
#include <cctype>

namespace mcpshim::analyzer {

namespace {

// Enough for evidence and for finding what a cart view quotes; results compare by digest.
constexpr std::size_t max_text = 1024;

std::string cut(std::string text) {
    if (text.size() > max_text) text.resize(max_text);
    return text;
}

void collect_produced(const json& value, std::vector<ProducedValue>& out, int depth = 0) {
    if (depth > 4 || out.size() >= 16) return;
    if (value.is_object()) {
        for (auto it = value.begin(); it != value.end(); ++it) {
            if (id_like_key(it.key()) && (it->is_string() || it->is_number_integer()))
                out.push_back({it.key(), it->dump()});
            else
                collect_produced(*it, out, depth + 1);
        }
    } else if (value.is_array()) {
        for (const auto& item : value) collect_produced(item, out, depth + 1);
    }
}

// The whole text of a result (content text, else structuredContent, else the JSON).
std::string text_of(const json& result) {
    std::string text;
    if (result.contains("content") && result["content"].is_array()) {
        for (const auto& block : result["content"])
            if (block.is_object() && block.value("type", "") == "text") {
                if (!text.empty()) text += '\n';
                text += block.value("text", "");
            }
    }
    if (text.empty() && result.contains("structuredContent")) text = result["structuredContent"].dump();
    if (text.empty()) text = result.dump();
    return text;
}

const char* list_field(std::string_view method) {
    if (method == method_name::tools_list) return "tools";
    if (method == method_name::prompts_list) return "prompts";
    if (method == method_name::resources_list) return "resources";
    return nullptr;
}

std::string key_of(const std::string& server, const std::string& session, const json& id) {
    return server + "\n" + session + "\n" + id.dump();
}

}  // namespace

bool id_like_key(std::string_view key) {
    std::string k;
    for (char c : key)
        if (c != '_' && c != '-') k += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return k.ends_with("id") || k.ends_with("handle") || k == "fd" || k == "token" || k == "ref";
}

void Traffic::add(WireMessage&& wire) {
    // A log may hold any JSON: a message whose fields have other types than
    // the protocol's is set aside and counted, and the rest is read on.
    const Location where = wire.where;
    try {
        model(std::move(wire));
    } catch (const json::exception& error) {
        if (unusable_.size() < 16)
            unusable_.push_back(BrokenEntry{where, std::string("a message of an unexpected shape: ") + error.what()});
        ++unusable_count_;
    }
}

std::pair<std::vector<BrokenEntry>, std::size_t> Traffic::take_unusable() {
    auto taken = std::pair{std::move(unusable_), unusable_count_};
    unusable_.clear();
    unusable_count_ = 0;
    return taken;
}

void Traffic::model(WireMessage&& wire) {
    Server& server = servers_[wire.server];
    server.key = wire.server;
    const json& message = wire.message;
    const bool from_client = wire.direction == Direction::client_to_server;

    // A bare HTTP request (GET stream, DELETE) or a non-JSON answer.
    if (message.is_null()) {
        if (from_client && wire.http_method == "GET" && !wire.session.empty()) {
            Session& session = live_session(server, wire.session, wire.where);
            session.features.push_back({wire.where, "GET stream", false});
            if (!wire.last_event_id.empty()) session.features.push_back({wire.where, "Last-Event-ID", false});
        } else if (!from_client && !wire.note.empty()) {
            if (auto it = pending_.find(wire.exchange + "\nsessionless");
                it != pending_.end() && it->second.server == server.key &&
                it->second.call < server.sessionless.size()) {
                auto& sessionless = server.sessionless[it->second.call];
                sessionless.status = wire.status;
                sessionless.answer = cut(wire.note);
                sessionless.refused = wire.status >= 400;
                pending_.erase(it);
            }
        }
        return;
    }

    if (from_client && message.contains("method")) {
        const std::string method = message.value("method", "");
        if (!message.contains("id")) return;  // notifications carry nothing the rules read
        std::string session_id = wire.session;
        if (session_id.empty() && wire.transport == Transport::http) {
            // No session: either a stateless server, or a server that will refuse it.
            if (method != method_name::initialize) {
                ++server.sessionless_count;
                if (server.sessionless.size() < limits_.max_sessionless_kept) {
                    SessionlessRequest sessionless;
                    sessionless.where = wire.where;
                    sessionless.method = method;
                    server.sessionless.push_back(std::move(sessionless));
                    pending_[wire.exchange + "\nsessionless"] = Pending{server.key, {}, server.sessionless.size() - 1};
                }
            }
            session_id = "no-session#" + std::to_string(++stateless_counter_);
            stateless_by_exchange_[wire.exchange] = session_id;
        }
        Session& session = live_session(server, session_id, wire.where);
        request(server, session, wire);
        if (session_id.starts_with("no-session#") && !message.contains("id")) retire(server, session_id);
        return;
    }
    if (!from_client && message.contains("method")) {
        const std::string method = message.value("method", "");
        Session* session = nullptr;
        if (auto it = server.sessions.find(wire.session); it != server.sessions.end()) session = &it->second;
        if (!session) return;
        touch(server, *session);
        if (message.contains("id")) {
            session->server_requests.push_back({wire.where, method});
        } else if (wire.on_get_stream) {
            for (auto it = session->features.rbegin(); it != session->features.rend(); ++it)
                if (it->what == "GET stream") {
                    it->delivered = true;
                    break;
                }
        }
        return;
    }
    if (!from_client && (message.contains("result") || message.contains("error"))) {
        Session* session = nullptr;
        if (auto it = server.sessions.find(wire.session); it != server.sessions.end()) session = &it->second;
        response(server, session, wire);
    }
}

void Traffic::request(Server& server, Session& session, WireMessage& wire) {
    const json& message = wire.message;
    const std::string method = message.value("method", "");
    const json params = message.value("params", json::object());
    session.principals.insert(wire.principal);
    if (method == method_name::initialize) {
        session.protocol_version = params.value("protocolVersion", "");
        session.client_info = params.value("clientInfo", json::object());
        session.client_capabilities = params.value("capabilities", json::object());
    }
    if (method == method_name::resources_subscribe || method == method_name::logging_set_level || method == method_name::tasks_list)
        session.features.push_back({wire.where, method, false});

    Call call;
    call.where = wire.where;
    call.method = method;
    call.principal = wire.principal;
    if (params.is_object()) {
        if (params.contains("name") && params["name"].is_string()) call.name = params["name"].get<std::string>();
        if (params.contains("uri") && params["uri"].is_string()) call.name = params["uri"].get<std::string>();
        if (params.contains("arguments") && params["arguments"].is_object()) call.arguments = params["arguments"];
        call.paged = params.contains("cursor");
    }
    if (session.calls.size() >= limits_.max_calls_per_session) {
        ++session.dropped_calls;
        return;
    }
    const std::string key = key_of(server.key, session.id, message["id"]);
    pending_[key] = Pending{server.key, session.id, session.calls.size()};
    session.pending.push_back(key);
    session.calls.push_back(std::move(call));
}

void Traffic::response(Server& server, Session* session, WireMessage& wire) {
    const json& message = wire.message;
    const json id = message.value("id", json());
    // An answer to a request sent without a session (its id may be null).
    // (A log can name one exchange for two servers: the request must be this server's.)
    if (auto it = pending_.find(wire.exchange + "\nsessionless");
        it != pending_.end() && it->second.server == server.key && it->second.call < server.sessionless.size()) {
        auto& sessionless = server.sessionless[it->second.call];
        sessionless.status = wire.status;
        if (message.contains("error")) {
            sessionless.answer = cut(message["error"].value("message", ""));
            sessionless.refused = true;
        }
        pending_.erase(it);
        if (id.is_null()) return;
    }
    if (!session) {
        // A stateless answer: its request was filed under the exchange's pseudo-session.
        if (auto it = stateless_by_exchange_.find(wire.exchange); it != stateless_by_exchange_.end())
            if (auto found = server.sessions.find(it->second); found != server.sessions.end()) session = &found->second;
        if (!session) return;
    }
    const auto it = pending_.find(key_of(server.key, session->id, id));
    if (it == pending_.end() || it->second.call >= session->calls.size()) return;
    Call& call = session->calls[it->second.call];
    pending_.erase(it);
    touch(server, *session);
    const bool stateless = session->id.starts_with("no-session#");
    settle(server, call, wire);
    // A stateless request is a session of its own, over once answered.
    if (stateless) {
        stateless_by_exchange_.erase(wire.exchange);
        retire(server, session->id);
    }
}

void Traffic::settle(Server& server, Call& call, WireMessage& wire) {
    const json& message = wire.message;
    call.answered = true;
    call.answer_where = wire.where;
    call.status = wire.status;
    if (message.contains("error")) {
        call.failed = true;
        call.error_text = cut(message["error"].value("message", ""));
        return;
    }
    const json& result = message["result"];
    if (!result.is_object()) return;
    if (call.method == method_name::initialize) {
        const json info = result.value("serverInfo", json::object());
        if (server.name.empty()) server.name = info.value("name", "");
        if (server.version.empty()) server.version = info.value("version", "");
        if (!wire.session.empty() && wire.transport == Transport::http) server.issues_sessions = true;
    }
    if (call.method == method_name::tools_call) {
        call.failed = result.value("isError", false);
        std::string text = text_of(result);
        call.result_digest = std::hash<std::string>{}(text);
        call.result_text = cut(std::move(text));
        if (call.failed) call.error_text = call.result_text;
        collect_produced(result.value("structuredContent", json()), call.produced);
        if (call.produced.empty() && result.contains("content") && result["content"].is_array())
            for (const auto& block : result["content"])
                if (block.is_object() && block.value("type", "") == "text") {
                    auto parsed = rewrite::parse_json(block.value("text", ""), limits_.json);
                    if (parsed.ok()) collect_produced(parsed.value, call.produced);
                }
    } else if (const char* field = list_field(call.method)) {
        if (result.contains(field) && result[field].is_array())
            for (const auto& item : result[field])
                if (item.is_object())
                    call.listed_names.insert(item.value(call.method == method_name::resources_list ? "uri" : "name", ""));
        call.paged = call.paged || result.contains("nextCursor");
    } else {
        std::string text = result.dump();
        call.result_digest = std::hash<std::string>{}(text);
        call.result_text = cut(std::move(text));
    }
}

Session& Traffic::live_session(Server& server, const std::string& id, const Location& where) {
    auto [it, fresh] = server.sessions.try_emplace(id);
    Session& session = it->second;
    if (fresh) {
        session.id = id;
        session.first_seen = where;
    }
    touch(server, session);
    return session;
}

void Traffic::touch(Server& server, Session& session) {
    const std::string key = server.key + "\n" + session.id;
    if (auto it = recency_index_.find(key); it != recency_index_.end()) {
        recency_.splice(recency_.end(), recency_, it->second);
        return;
    }
    recency_.emplace_back(server.key, session.id);
    recency_index_[key] = std::prev(recency_.end());
    while (recency_.size() > limits_.max_live_sessions) {
        const auto [server_key, session_id] = recency_.front();
        retire(servers_[server_key], session_id);
    }
}

void Traffic::retire(Server& server, const std::string& session_id) {
    const auto it = server.sessions.find(session_id);
    if (it == server.sessions.end()) return;
    retire_(server, it->second);
    for (const auto& key : it->second.pending) pending_.erase(key);
    const std::string key = server.key + "\n" + session_id;
    if (auto at = recency_index_.find(key); at != recency_index_.end()) {
        recency_.erase(at->second);
        recency_index_.erase(at);
    }
    server.sessions.erase(it);
}

void Traffic::finish() {
    while (!recency_.empty()) {
        const auto [server_key, session_id] = recency_.front();
        retire(servers_[server_key], session_id);
    }
    // Sessionless requests only matter for servers that hand out sessions;
    // a stateless server answering them is the goal, not a finding.
    for (auto& [key, server] : servers_)
        if (!server.issues_sessions) {
            server.sessionless.clear();
            server.sessionless_count = 0;
        }
    pending_.clear();
    stateless_by_exchange_.clear();
}

}  // namespace mcpshim::analyzer
