// Rule 8: the server sends requests to the client (sampling, elicitation,
// roots) on its streams; 2026-07-28 has none and asks through multi
// round-trip results instead.
#include <map>

#include "rules/rule_set.hpp"
#include "rules/signals.hpp"

namespace mcpshim::analyzer {

namespace {

using namespace signals;

struct ServerRequestsState final : RuleState {
    std::map<std::string, Finding> by_method;
};

class ServerRequestsRule final : public RuleOver<ServerRequestsState> {
public:
    const RuleInfo& info() const override { return info_; }

    void observe([[maybe_unused]] const Server& server, const Session& session,
                 ServerRequestsState& state) const override {
        auto& by_method = state.by_method;
        [[maybe_unused]] const std::string& id = session.id;
        for (const auto& request : session.server_requests) {
            auto [it, fresh] = by_method.try_emplace(request.method);
            Finding& finding = it->second;
            if (fresh) {
                finding.rule = info_.id;
                finding.severity = info_.severity;
                finding.confidence = "high";
                finding.confidence_reason = "seen on the wire";
                finding.message = "The server sends " + request.method +
                                  " to the client in the middle of a call; 2026-07-28 has no server-to-client "
                                  "requests.";
                finding.change =
                    "Answer the call with resultType \"input_required\" and an inputRequests "
                    "entry for " +
                    request.method +
                    ", then finish when the client retries with "
                    "inputResponses (and requestState for what to resume).";
            }
            // The tool whose call was open when the request went out.
            for (auto call = session.calls.rbegin(); call != session.calls.rend(); ++call)
                if (is_tool_call(*call) && call->where.file == request.where.file &&
                    call->where.line <= request.where.line && call->where.entry <= request.where.entry) {
                    if (std::find(finding.tools.begin(), finding.tools.end(), call->name) == finding.tools.end())
                        finding.tools.push_back(call->name);
                    break;
                }
            if (finding.evidence.size() < 6) finding.evidence.push_back(Evidence{request.where, request.method});
        }
    }

    void report([[maybe_unused]] const Server& server, ServerRequestsState& state,
                std::vector<Finding>& out) const override {
        auto& by_method = state.by_method;
        for (auto& [method, finding] : by_method) out.push_back(std::move(finding));
    }

private:
    RuleInfo info_{"server-to-client-requests",
                   "Server-to-client requests (sampling, elicitation, roots)",
                   Severity::needs_translation,
                   "a JSON-RPC request from the server (sampling/createMessage, elicitation/create, roots/list)",
                   "Use multi round-trip requests: return input_required with inputRequests and resume from "
                   "requestState.",
                   "2026-07-28 basic/utilities/mrtr (SEP-2322)",
                   true};
};

}  // namespace

std::unique_ptr<Rule> make_server_requests_rule() {
    return std::make_unique<ServerRequestsRule>();
}

}  // namespace mcpshim::analyzer
