// Rule 3: the same read, with the same arguments, answers differently before
// and after a "setter" that returned no handle: an implicit current X (a
// directory, a page, a selected project) lives in the session.
#include <map>

#include "rules/rule_set.hpp"
#include "rules/signals.hpp"

namespace mcpshim::analyzer {

namespace {

using namespace signals;

bool shares_handle(const Call& a, const Call& b) {
    for (auto x = a.arguments.begin(); x != a.arguments.end(); ++x) {
        if (!id_like_key(x.key())) continue;
        for (auto y = b.arguments.begin(); y != b.arguments.end(); ++y)
            if (*x == *y) return true;
    }
    return false;
}

struct CurrentStateState final : RuleState {
    std::map<std::string, Finding> by_setter;
};

class CurrentStateRule final : public RuleOver<CurrentStateState> {
public:
    const RuleInfo& info() const override { return info_; }

    void observe([[maybe_unused]] const Server& server, const Session& session,
                 CurrentStateState& state) const override {
        auto& by_setter = state.by_setter;
        [[maybe_unused]] const std::string& id = session.id;
        const auto& calls = session.calls;
        for (std::size_t i = 0; i < calls.size(); ++i) {
            if (!is_tool_call(calls[i]) || !succeeded(calls[i])) continue;
            for (std::size_t j = i + 1; j < calls.size(); ++j) {
                const Call& again = calls[j];
                if (again.name != calls[i].name || !succeeded(again) || arguments_key(again) != arguments_key(calls[i]))
                    continue;
                if (again.result_digest != calls[i].result_digest && !accumulation_before(session, j).adder) {
                    const Call* setter = nullptr;
                    for (std::size_t k = j; k-- > i + 1 && !setter;)
                        if (is_tool_call(calls[k]) && succeeded(calls[k]) && calls[k].name != again.name &&
                            calls[k].produced.empty() && !shares_handle(calls[k], again))
                            setter = &calls[k];
                    if (setter) record(by_setter, *setter, calls[i], again);
                }
                break;  // compare each read with its next repetition only
            }
        }
    }

    void report([[maybe_unused]] const Server& server, CurrentStateState& state,
                std::vector<Finding>& out) const override {
        auto& by_setter = state.by_setter;
        for (auto& [setter, finding] : by_setter) out.push_back(std::move(finding));
    }

private:
    void record(std::map<std::string, Finding>& by_setter, const Call& setter, const Call& before,
                const Call& after) const {
        auto [it, fresh] = by_setter.try_emplace(setter.name);
        Finding& finding = it->second;
        if (fresh) {
            finding.rule = info_.id;
            finding.severity = info_.severity;
            finding.tools.push_back(setter.name);
            for (auto a = setter.arguments.begin(); a != setter.arguments.end(); ++a)
                finding.argument_keys.push_back(a.key());
            finding.confidence = "medium";
            finding.confidence_reason = "one read answered differently around the setter";
        } else {
            finding.confidence = "high";
            finding.confidence_reason = "several reads answered differently around the setter";
        }
        if (std::find(finding.tools.begin(), finding.tools.end(), after.name) == finding.tools.end())
            finding.tools.push_back(after.name);
        std::vector<std::string> readers(finding.tools.begin() + 1, finding.tools.end());
        finding.message = code_span_list(readers) + " answer differently, with the same arguments, after " +
                          code_span(setter.name) +
                          ", which returned no handle: it sets a current value in the "
                          "session that later calls read implicitly.";
        finding.change = "Make the current value explicit: " + code_span(setter.name) + " should return a " +
                         code_span(handle_name_for(setter.name)) + " that " + code_span_list(readers) +
                         " take, or those should take the value itself as an argument.";
        if (finding.evidence.size() < 9) {
            finding.evidence.push_back(
                evidence(before, code_span(before.name) + " answered: " + before.result_text.substr(0, 100)));
            finding.evidence.push_back(evidence(setter, code_span(setter.name) + " " + setter.arguments.dump()));
            finding.evidence.push_back(
                evidence(after, code_span(after.name) + " then answered: " + after.result_text.substr(0, 100)));
        }
    }

    RuleInfo info_{"implicit-current-state",
                   "An implicit \"current X\" set by one call and read by others",
                   Severity::breaks_when_stateless,
                   "two identical tools/call requests in one session whose results differ, with a call between "
                   "them that returned no handle",
                   "Pass the current value (or a handle to it) on every call that depends on it.",
                   "2026-07-28 basic/lifecycle; SEP-2567 explicit state handles",
                   false};
};

}  // namespace

std::unique_ptr<Rule> make_current_state_rule() {
    return std::make_unique<CurrentStateRule>();
}

}  // namespace mcpshim::analyzer
