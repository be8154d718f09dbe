// Rule 1: a tool fails until an "opener" ran in the same session, then
// succeeds, and takes no handle from the opener: the opener left something
// (a browser, a connection) in the transport session.
#include <map>

#include "rules/rule_set.hpp"
#include "rules/signals.hpp"

namespace mcpshim::analyzer {

namespace {

using namespace signals;

struct OpenerState final : RuleState {
    struct Seen {
        std::vector<std::string> dependents;
        std::vector<Evidence> evidence;
        std::size_t sessions = 0;
    };
    std::map<std::string, Seen> by_opener;
};

class OpenerRule final : public RuleOver<OpenerState> {
public:
    const RuleInfo& info() const override { return info_; }

    void observe([[maybe_unused]] const Server& server, const Session& session, OpenerState& state) const override {
        auto& by_opener = state.by_opener;
        [[maybe_unused]] const std::string& id = session.id;
        const auto& calls = session.calls;
        for (std::size_t i = 0; i < calls.size(); ++i) {
            if (!is_tool_call(calls[i]) || !calls[i].answered || !calls[i].failed) continue;
            for (std::size_t j = i + 1; j < calls.size(); ++j) {
                if (calls[j].name != calls[i].name || !succeeded(calls[j])) continue;
                const Call* opener = nullptr;
                for (std::size_t k = i + 1; k < j && !opener; ++k)
                    if (is_tool_call(calls[k]) && calls[k].name != calls[i].name && succeeded(calls[k]))
                        opener = &calls[k];
                if (!opener || hands_over(*opener, calls[j])) break;
                auto& seen = by_opener[opener->name];
                if (std::find(seen.dependents.begin(), seen.dependents.end(), calls[i].name) == seen.dependents.end())
                    seen.dependents.push_back(calls[i].name);
                ++seen.sessions;  // once per dependent tool and session
                if (seen.evidence.size() < 9) {
                    seen.evidence.push_back(
                        evidence(calls[i], code_span(calls[i].name) + " failed: " + calls[i].error_text));
                    seen.evidence.push_back(evidence(*opener, code_span(opener->name) + " succeeded"));
                    seen.evidence.push_back(
                        evidence(calls[j], code_span(calls[j].name) + " then succeeded, same session"));
                }
                break;
            }
        }
    }

    void report([[maybe_unused]] const Server& server, OpenerState& state, std::vector<Finding>& out) const override {
        auto& by_opener = state.by_opener;
        for (auto& [opener, seen] : by_opener) {
            std::sort(seen.dependents.begin(), seen.dependents.end());  // the same report whatever the session order
            Finding finding;
            finding.rule = info_.id;
            finding.severity = info_.severity;
            const bool repeated = seen.sessions > 1 || seen.dependents.size() > 1;
            finding.confidence = repeated ? "high" : "medium";
            finding.confidence_reason = repeated ? "seen for " + std::to_string(seen.dependents.size()) +
                                                       " tool(s) in " + std::to_string(seen.sessions) + " session(s)"
                                                 : "seen once";
            finding.tools.push_back(opener);
            for (const auto& tool : seen.dependents) finding.tools.push_back(tool);
            finding.message = code_span_list(seen.dependents) + " fail until " + code_span(opener) +
                              " has run in the same session, and take no handle from it: " + code_span(opener) +
                              " keeps what it opened in the transport session.";
            const std::string handle = handle_name_for(opener);
            finding.change = code_span(opener) + " should return a " + code_span(handle) + "; " +
                             code_span_list(seen.dependents) +
                             " should take it (and the state live where every "
                             "instance can reach it).";
            finding.argument_keys.push_back(handle);
            finding.evidence = std::move(seen.evidence);
            out.push_back(std::move(finding));
        }
    }

private:
    // The later call names something the opener returned: an explicit handle.
    static bool hands_over(const Call& opener, const Call& later) {
        const auto values = argument_values(later);
        for (const auto& produced : opener.produced)
            if (values.contains(produced.value)) return true;
        return false;
    }

    RuleInfo info_{"session-opener",
                   "A tool only works after an opener call in the same session",
                   Severity::breaks_when_stateless,
                   "a tools/call that fails in a session, then succeeds after another tool ran in that session, "
                   "with no argument taken from that tool's result",
                   "Make the opener return an explicit handle (SEP-2567's explicit state handles) and have the "
                   "dependent tools take it; keep what it refers to in storage every instance can reach.",
                   "2026-07-28 basic/lifecycle: no initialize, no session; every request stands alone",
                   false};
};

}  // namespace

std::unique_ptr<Rule> make_opener_rule() {
    return std::make_unique<OpenerRule>();
}

}  // namespace mcpshim::analyzer
