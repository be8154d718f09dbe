// Rule 9: session-scoped features 2026-07-28 removed: resource
// subscriptions, GET streams, logging/setLevel, Last-Event-ID replay,
// tasks/list. A GET stream that carried nothing is only informational.
#include <map>

#include "mcpshim/rewrite/method_names.hpp"
#include "rules/rule_set.hpp"
#include "rules/signals.hpp"

namespace mcpshim::analyzer {

namespace {

using namespace signals;

std::string replacement(const std::string& feature) {
    if (feature == method_name::resources_subscribe)
        return "Deliver resource updates on subscriptions/listen (resourceSubscriptions in the filter).";
    if (feature == method_name::logging_set_level) return "Read the per-request io.modelcontextprotocol/logLevel in _meta.";
    if (feature == "Last-Event-ID") return "Make slow work a task (tasks extension) instead of a resumable stream.";
    if (feature == method_name::tasks_list) return "Tasks are handles the client keeps; there is no tasks/list without sessions.";
    return "Send change notifications on subscriptions/listen; request-scoped notifications on the request's "
           "own response stream.";
}

struct RemovedFeaturesState final : RuleState {
    std::map<std::string, Finding> by_feature;
};

class RemovedFeaturesRule final : public RuleOver<RemovedFeaturesState> {
public:
    const RuleInfo& info() const override { return info_; }

    void observe([[maybe_unused]] const Server& server, const Session& session,
                 RemovedFeaturesState& state) const override {
        auto& by_feature = state.by_feature;
        [[maybe_unused]] const std::string& id = session.id;
        for (const auto& feature : session.features) {
            const bool quiet = feature.what == "GET stream" && !feature.delivered;
            const std::string key = quiet ? "GET stream (quiet)" : feature.what;
            auto [it, fresh] = by_feature.try_emplace(key);
            Finding& finding = it->second;
            if (fresh) {
                finding.rule = info_.id;
                finding.severity = quiet ? Severity::informational : info_.severity;
                finding.confidence = "high";
                finding.confidence_reason = "seen on the wire";
                finding.message =
                    quiet ? "Clients open a GET stream, but the server sent nothing on it: nothing to migrate."
                          : "The session uses " + feature.what + ", which 2026-07-28 removed.";
                finding.change = replacement(feature.what);
            }
            if (finding.evidence.size() < 4) finding.evidence.push_back(Evidence{feature.where, feature.what});
        }
    }

    void report([[maybe_unused]] const Server& server, RemovedFeaturesState& state,
                std::vector<Finding>& out) const override {
        auto& by_feature = state.by_feature;
        for (auto& [key, finding] : by_feature) out.push_back(std::move(finding));
    }

private:
    RuleInfo info_{"removed-session-features",
                   "Session-scoped features that 2026-07-28 removed",
                   Severity::needs_translation,
                   "resources/subscribe, logging/setLevel, tasks/list, a GET stream that carried notifications, a "
                   "GET with Last-Event-ID",
                   "Move change notifications to subscriptions/listen, logging to the per-request logLevel, and "
                   "long work to tasks.",
                   "2026-07-28 changelog (removed: GET stream, resources/subscribe, logging/setLevel, resumability)",
                   true};
};

}  // namespace

std::unique_ptr<Rule> make_removed_features_rule() {
    return std::make_unique<RemovedFeaturesRule>();
}

}  // namespace mcpshim::analyzer
