#include <algorithm>

#include "rules/rule_set.hpp"

namespace mcpshim::analyzer {

std::string_view describe(Severity severity) {
    switch (severity) {
        case Severity::breaks_when_stateless:
            return "breaks when stateless";
        case Severity::breaks_behind_round_robin:
            return "breaks behind round-robin";
        case Severity::needs_translation:
            return "needs translation";
        case Severity::informational:
            return "informational";
    }
    return "informational";
}

std::string_view severity_id(Severity severity) {
    switch (severity) {
        case Severity::breaks_when_stateless:
            return "breaks-when-stateless";
        case Severity::breaks_behind_round_robin:
            return "breaks-behind-round-robin";
        case Severity::needs_translation:
            return "needs-translation";
        case Severity::informational:
            return "informational";
    }
    return "informational";
}

std::optional<Severity> parse_severity(std::string_view id) {
    for (auto severity : {Severity::breaks_when_stateless, Severity::breaks_behind_round_robin,
                          Severity::needs_translation, Severity::informational})
        if (severity_id(severity) == id) return severity;
    return std::nullopt;
}

const std::vector<std::unique_ptr<Rule>>& rule_catalogue() {
    static const auto rules = [] {
        std::vector<std::unique_ptr<Rule>> all;
        all.push_back(make_opener_rule());
        all.push_back(make_local_handle_rule());
        all.push_back(make_current_state_rule());
        all.push_back(make_accumulator_rule());
        all.push_back(make_credentials_rule());
        all.push_back(make_list_drift_rule());
        all.push_back(make_session_required_rule());
        all.push_back(make_server_requests_rule());
        all.push_back(make_removed_features_rule());
        all.push_back(make_initialize_dependent_rule());
        return all;
    }();
    return rules;
}

const RuleInfo* find_rule(std::string_view id) {
    for (const auto& rule : rule_catalogue())
        if (rule->info().id == id) return &rule->info();
    return nullptr;
}

RuleRunner::PerServer& RuleRunner::of(const Server& server) {
    auto [it, fresh] = servers_.try_emplace(server.key);
    if (fresh)
        for (const auto& rule : rule_catalogue()) it->second.states.push_back(rule->start());
    return it->second;
}

void RuleRunner::session(const Server& server, const Session& session) {
    auto& per_server = of(server);
    per_server.calls += session.calls.size() + session.dropped_calls;
    if (!session.id.starts_with("no-session#")) ++per_server.sessions;  // stateless requests stand alone
    const auto& rules = rule_catalogue();
    for (std::size_t i = 0; i < rules.size(); ++i) rules[i]->session(server, session, *per_server.states[i]);
}

std::vector<ServerReport> RuleRunner::reports(const Traffic& traffic) {
    std::vector<ServerReport> reports;
    const auto& rules = rule_catalogue();
    for (const auto& [key, server] : traffic.servers()) {
        auto& per_server = of(server);
        ServerReport report{&server, {}, per_server.sessions, per_server.calls};
        for (std::size_t i = 0; i < rules.size(); ++i) rules[i]->finish(server, *per_server.states[i], report.findings);
        std::stable_sort(report.findings.begin(), report.findings.end(),
                         [](const Finding& a, const Finding& b) { return a.severity < b.severity; });
        reports.push_back(std::move(report));
    }
    return reports;
}

std::string verdict(const ServerReport& report) {
    Severity worst = Severity::informational;
    for (const auto& finding : report.findings) worst = std::min(worst, finding.severity);
    if (report.findings.empty() || worst == Severity::informational)
        return "ready: nothing rides on the transport session";
    switch (worst) {
        case Severity::breaks_when_stateless:
            return "not ready: breaks when stateless";
        case Severity::breaks_behind_round_robin:
            return "not ready behind a round-robin balancer";
        default:
            return "ready with mcpshim in front of legacy clients";
    }
}

}  // namespace mcpshim::analyzer
