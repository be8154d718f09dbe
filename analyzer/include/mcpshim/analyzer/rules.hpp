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

class Rule {
public:
    virtual ~Rule() = default;
    virtual const RuleInfo& info() const = 0;
    virtual void check(const Server& server, std::vector<Finding>& out) const = 0;
};

const std::vector<std::unique_ptr<Rule>>& rule_catalogue();
const RuleInfo* find_rule(std::string_view id);

struct ServerReport {
    const Server* server;
    std::vector<Finding> findings;  // most severe first
    std::size_t sessions = 0;
    std::size_t calls = 0;
};

std::vector<ServerReport> run_rules(const Traffic& traffic);

// The readiness of a server, from its worst finding.
std::string verdict(const ServerReport& report);

}  // namespace mcpshim::analyzer
