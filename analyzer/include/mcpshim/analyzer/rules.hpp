#pragma once
// The rule engine: each rule (one file under src/rules/) reads a server's
// reconstructed traffic and reports findings with their wire evidence.
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mcpshim/analyzer/traffic.hpp"

namespace mcpshim::analyzer {

// In plain terms, most severe first.
enum class Severity { breaks_when_stateless, breaks_behind_round_robin, needs_translation, informational };
std::string_view describe(Severity severity);     // "breaks when stateless", ...
std::string_view severity_id(Severity severity);  // "breaks-when-stateless", ...
std::optional<Severity> parse_severity(std::string_view id);

struct RuleInfo {
    std::string id;
    std::string title;
    Severity severity;
    std::string looks_for;  // what it reads on the wire
    std::string advice;     // the migration, in general
    std::string spec;       // where the 2026-07-28 protocol says so
    bool shim_covers;       // legacy clients keep working through mcpshim meanwhile
};

struct Evidence {
    Location where;
    std::string what;
};

struct Finding {
    std::string rule;
    Severity severity;
    std::string confidence;  // high, medium, low
    std::string confidence_reason;
    std::string message;
    std::vector<std::string> tools;
    std::vector<std::string> argument_keys;
    std::vector<Evidence> evidence;
    std::string change;  // the concrete change for this server
};

// What a rule gathers about one server, session after session.
struct RuleState {
    virtual ~RuleState() = default;
};

// Rules see each session once, when it ends (or is retired to keep memory
// flat), and report per server at the end of the scan.
class Rule {
public:
    virtual ~Rule() = default;
    virtual const RuleInfo& info() const = 0;
    virtual std::unique_ptr<RuleState> start() const = 0;
    virtual void session(const Server& server, const Session& session, RuleState& state) const = 0;
    virtual void finish(const Server& server, RuleState& state, std::vector<Finding>& out) const = 0;
};

// Most rules: a typed state, gathered per session, reported at the end.
template <typename State>
class RuleOver : public Rule {
public:
    std::unique_ptr<RuleState> start() const final { return std::make_unique<State>(); }
    void session(const Server& server, const Session& session, RuleState& state) const final {
        observe(server, session, static_cast<State&>(state));
    }
    void finish(const Server& server, RuleState& state, std::vector<Finding>& out) const final {
        report(server, static_cast<State&>(state), out);
    }

protected:
    virtual void observe(const Server& server, const Session& session, State& state) const = 0;
    virtual void report(const Server& server, State& state, std::vector<Finding>& out) const = 0;
};

const std::vector<std::unique_ptr<Rule>>& rule_catalogue();
const RuleInfo* find_rule(std::string_view id);

struct ServerReport {
    const Server* server;
    std::vector<Finding> findings;  // most severe first
    std::size_t sessions = 0;
    std::size_t calls = 0;
};

// Runs every rule over the sessions a Traffic retires, server by server.
class RuleRunner {
public:
    void session(const Server& server, const Session& session);
    // After Traffic::finish().
    std::vector<ServerReport> reports(const Traffic& traffic);

private:
    struct PerServer {
        std::vector<std::unique_ptr<RuleState>> states;
        std::size_t sessions = 0;
        std::size_t calls = 0;
    };
    PerServer& of(const Server& server);
    std::map<std::string, PerServer> servers_;
};

// The readiness of a server, from its worst finding.
std::string verdict(const ServerReport& report);

}  // namespace mcpshim::analyzer
