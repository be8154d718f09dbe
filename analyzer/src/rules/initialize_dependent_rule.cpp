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

// An answer as compared: a digest of the whole text, and its start for evidence.
struct Answer {
    Location where;
    std::size_t digest;
    std::string start;
};

struct InitializeState final : RuleState {
    // call (name + arguments) -> what the session declared -> the answers; bounded
    std::map<std::string, std::map<std::string, std::vector<Answer>>> answers;
};

// Enough to compare: more distinct calls than this are not followed.
constexpr std::size_t max_followed_calls = 20000;
constexpr std::size_t max_answers_per_group = 4;

class InitializeDependentRule final : public RuleOver<InitializeState> {
public:
    const RuleInfo& info() const override { return info_; }

    void observe(const Server&, const Session& session, InitializeState& state) const override {
        if (session.id.starts_with("no-session#")) return;
        for (const auto& call : session.calls) {
            if (!is_tool_call(call) || !call.answered) continue;
            const std::string what = call.name + " " + arguments_key(call);
            if (!state.answers.contains(what) && state.answers.size() >= max_followed_calls) continue;
            auto& group = state.answers[what][declared(session)];
            if (group.size() < max_answers_per_group)
                group.push_back({call.where, call.result_digest, call.result_text.substr(0, 100)});
        }
    }

    void report(const Server&, InitializeState& state, std::vector<Finding>& out) const override {
        std::map<std::string, Finding> by_tool;
        for (const auto& [what, groups] : state.answers) {
            if (groups.size() < 2) continue;
            // Consistent inside each group, different across groups.
            std::set<std::size_t> group_answers;
            bool consistent = true;
            for (const auto& [signature, answers] : groups) {
                for (const auto& answer : answers) consistent = consistent && answer.digest == answers.front().digest;
                group_answers.insert(answers.front().digest);
            }
            if (!consistent || group_answers.size() < 2) continue;
            const std::string tool = what.substr(0, what.find(' '));
            auto [it, fresh] = by_tool.try_emplace(tool);
            Finding& finding = it->second;
            if (fresh) {
                finding.rule = info_.id;
                finding.severity = info_.severity;
                finding.tools.push_back(tool);
                finding.confidence = "medium";
                finding.confidence_reason = "answers agree within each kind of session and differ across them";
                finding.message = code_span(tool) +
                                  " answers the same arguments differently depending on what the session declared at "
                                  "initialize.";
                finding.change =
                    "Read the client's capabilities and version from each request's _meta "
                    "(io.modelcontextprotocol/clientCapabilities, protocolVersion), not from initialize.";
            }
            for (const auto& [signature, answers] : groups)
                if (finding.evidence.size() < 6)
                    finding.evidence.push_back(Evidence{
                        answers.front().where, "in sessions declaring " + signature + ": " + answers.front().start});
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
