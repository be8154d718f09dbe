// Rule 6: tools/list, prompts/list or resources/list that differ within a
// session after a call, or between sessions of the same caller and server
// version. Compared as sets; paged answers are left out.
#include <map>

#include "rules/rule_set.hpp"
#include "rules/signals.hpp"

namespace mcpshim::analyzer {

namespace {

using namespace signals;

std::string difference(const std::set<std::string>& a, const std::set<std::string>& b) {
    std::string added, removed;
    for (const auto& name : b)
        if (!a.contains(name)) added += (added.empty() ? "" : ", ") + name;
    for (const auto& name : a)
        if (!b.contains(name)) removed += (removed.empty() ? "" : ", ") + name;
    std::string out;
    if (!added.empty()) out += "+ " + added;
    if (!removed.empty()) out += (out.empty() ? "" : "; ") + std::string("- ") + removed;
    return out;
}

struct FirstList {
    Location where;
    std::set<std::string> names;
};

struct ListState final : RuleState {
    std::map<std::string, Finding> by_method;
    std::map<std::string, FirstList> first_of;  // method + principal -> the first list seen
};

class ListDriftRule final : public RuleOver<ListState> {
public:
    const RuleInfo& info() const override { return info_; }

    void observe(const Server&, const Session& session, ListState& state) const override {
        auto& by_method = state.by_method;
        // Within the session.
        std::map<std::string, const Call*> last;
        for (std::size_t i = 0; i < session.calls.size(); ++i) {
            const Call& call = session.calls[i];
            if (call.listed_names.empty() || call.paged || !succeeded(call)) continue;
            if (auto it = last.find(call.method); it != last.end() && it->second->listed_names != call.listed_names) {
                const Call* trigger = nullptr;
                for (std::size_t k = i; k-- > 0 && &session.calls[k] != it->second;)
                    if (is_tool_call(session.calls[k])) trigger = &session.calls[k];
                Finding& finding = entry(by_method, call.method);
                if (trigger &&
                    std::find(finding.tools.begin(), finding.tools.end(), trigger->name) == finding.tools.end())
                    finding.tools.push_back(trigger->name);
                if (finding.evidence.size() < 9) {
                    finding.evidence.push_back(evidence(*it->second, call.method + " before"));
                    if (trigger) finding.evidence.push_back(evidence(*trigger, code_span(trigger->name) + " ran"));
                    finding.evidence.push_back(evidence(
                        call, call.method + " after: " + difference(it->second->listed_names, call.listed_names)));
                }
                finding.message = call.method + " changes within a session" +
                                  (finding.tools.empty() ? std::string() : " after " + code_span_list(finding.tools)) +
                                  ": what this session may call lives in the session.";
            }
            last[call.method] = &call;
        }
        // Across sessions of one caller: the first list of each session.
        std::set<std::string> seen_methods;
        for (const auto& call : session.calls) {
            if (call.listed_names.empty() || call.paged || !succeeded(call) || seen_methods.contains(call.method))
                continue;
            seen_methods.insert(call.method);
            const std::string key = call.method + "\n" + call.principal;
            auto [it, fresh] = state.first_of.try_emplace(key, FirstList{call.where, call.listed_names});
            if (fresh || it->second.names == call.listed_names) continue;
            Finding& finding = entry(by_method, call.method);
            if (finding.evidence.size() < 9) {
                finding.evidence.push_back(Evidence{it->second.where, call.method + " in one session"});
                finding.evidence.push_back(evidence(call, call.method + " in another session of the same caller: " +
                                                              difference(it->second.names, call.listed_names)));
            }
            if (finding.message.empty())
                finding.message = call.method + " differs between sessions of the same caller and server version.";
        }
    }

    void report(const Server&, ListState& state, std::vector<Finding>& out) const override {
        for (auto& [method, finding] : state.by_method) {
            if (finding.evidence.size() > 9) finding.evidence.resize(9);
            out.push_back(std::move(finding));
        }
    }

private:
    Finding& entry(std::map<std::string, Finding>& by_method, const std::string& method) const {
        auto [it, fresh] = by_method.try_emplace(method);
        if (fresh) {
            it->second.rule = info_.id;
            it->second.severity = info_.severity;
            it->second.confidence = "high";
            it->second.confidence_reason = "compared as sets, unpaged answers only";
            it->second.change = "Serve the same " + method.substr(0, method.find('/')) +
                                " to every caller of a server version; gate what a caller may do per request "
                                "(authorization), and announce real changes with notifications on "
                                "subscriptions/listen.";
        }
        return it->second;
    }

    RuleInfo info_{"session-dependent-lists",
                   "Lists that depend on the session",
                   Severity::breaks_behind_round_robin,
                   "tools/list, prompts/list or resources/list answers that differ (as sets, unpaged) within a "
                   "session after a call, or between sessions of one caller",
                   "Make lists a function of the server version and the caller's authorization, not of the "
                   "session; another instance must answer the same.",
                   "2026-07-28 server/tools (list results are cacheable per ttlMs and cacheScope)",
                   false};
};

}  // namespace

std::unique_ptr<Rule> make_list_drift_rule() {
    return std::make_unique<ListDriftRule>();
}

}  // namespace mcpshim::analyzer
