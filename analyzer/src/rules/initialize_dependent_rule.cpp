// Rule 10: the same call answers differently in sessions that declared
// different things at initialize (capabilities, protocol version). In
// 2026-07-28 those arrive with every request, so the server must read them
// there.
#include <map>

#include "rules/rule_set.hpp"
#include "rules/signals.hpp"

namespace mcpshim::analyzer {

namespace {

using namespace signals;

std::string declared(const Session& session) {
    std::string out = session.protocol_version + " {";
    if (session.client_capabilities.is_object())
        for (auto it = session.client_capabilities.begin(); it != session.client_capabilities.end(); ++it)
            out += it.key() + ",";
    return out + "}";
}

class InitializeDependentRule final : public Rule {
public:
    const RuleInfo& info() const override { return info_; }

    void check(const Server& server, std::vector<Finding>& out) const override {
        // call (name + arguments) -> declared -> (result, call)
        std::map<std::string, std::map<std::string, std::vector<const Call*>>> answers;
        for (const auto& [id, session] : server.sessions) {
            if (id.starts_with("no-session#")) continue;
            for (const auto& call : session.calls)
                if (is_tool_call(call) && call.answered)
                    answers[call.name + " " + arguments_key(call)][declared(session)].push_back(&call);
        }
        std::map<std::string, Finding> by_tool;
        for (const auto& [what, groups] : answers) {
            if (groups.size() < 2) continue;
            // Consistent inside each group, different across groups.
            std::set<std::string> group_answers;
            bool consistent = true;
            for (const auto& [signature, calls] : groups) {
                for (const Call* call : calls)
                    consistent = consistent && call->result_text == calls.front()->result_text;
                group_answers.insert(calls.front()->result_text);
            }
            if (!consistent || group_answers.size() < 2) continue;
            const Call* sample = groups.begin()->second.front();
            auto [it, fresh] = by_tool.try_emplace(sample->name);
            Finding& finding = it->second;
            if (fresh) {
                finding.rule = info_.id;
                finding.severity = info_.severity;
                finding.tools.push_back(sample->name);
                finding.confidence = "medium";
                finding.confidence_reason = "answers agree within each kind of session and differ across them";
                finding.message = code_span(sample->name) +
                                  " answers the same arguments differently depending on "
                                  "what the session declared at initialize.";
                finding.change =
                    "Read the client's capabilities and version from each request's _meta "
                    "(io.modelcontextprotocol/clientCapabilities, protocolVersion), not from initialize.";
            }
            for (const auto& [signature, calls] : groups)
                if (finding.evidence.size() < 6)
                    finding.evidence.push_back(evidence(*calls.front(), "in sessions declaring " + signature + ": " +
                                                                            calls.front()->result_text.substr(0, 100)));
        }
        for (auto& [tool, finding] : by_tool) out.push_back(std::move(finding));
    }

private:
    RuleInfo info_{"initialize-dependent-behaviour",
                   "Behaviour that depends on what initialize declared",
                   Severity::needs_translation,
                   "the same tools/call (name and arguments) answered differently in sessions whose initialize "
                   "declared different capabilities or versions, consistently within each kind",
                   "Take capabilities and version from each request's _meta.",
                   "2026-07-28 basic/lifecycle (per-request clientCapabilities)",
                   true};
};

}  // namespace

std::unique_ptr<Rule> make_initialize_dependent_rule() {
    return std::make_unique<InitializeDependentRule>();
}

}  // namespace mcpshim::analyzer
