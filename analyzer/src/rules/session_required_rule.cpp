// Rule 7: the server refuses requests that carry no session, with the error
// texts the official SDKs (and the servers built from their examples) send.
#include <array>

#include "rules/rule_set.hpp"
#include "rules/signals.hpp"

namespace mcpshim::analyzer {

namespace {

using namespace signals;

constexpr std::array<std::string_view, 7> known_texts{
    "No valid session ID", "Server not initialized", "Mcp-Session-Id header is required", "Session not found",
    "session ID required", "Missing session ID",     "Bad Request: No valid session"};

bool known_refusal(const std::string& text) {
    for (auto known : known_texts)
        if (text.find(known) != std::string::npos) return true;
    return false;
}

struct NoState final : RuleState {};

class SessionRequiredRule final : public RuleOver<NoState> {
public:
    const RuleInfo& info() const override { return info_; }

    void observe(const Server&, const Session&, NoState&) const override {}

    // Reads what the traffic kept of sessionless requests, once all is read.
    void report(const Server& server, NoState&, std::vector<Finding>& out) const override {
        Finding finding;
        for (const auto& request : server.sessionless) {
            if (!(request.refused || request.status >= 400)) continue;
            const bool known = known_refusal(request.answer);
            if (finding.rule.empty()) {
                finding.rule = info_.id;
                finding.severity = info_.severity;
                finding.confidence = known ? "high" : "medium";
                finding.confidence_reason = known ? "the answer is a known SDK refusal text"
                                                  : "a sessionless request got HTTP " + std::to_string(request.status);
            }
            if (finding.evidence.size() < 6)
                finding.evidence.push_back(Evidence{request.where, request.method + " without Mcp-Session-Id got " +
                                                                       std::to_string(request.status) + ": " +
                                                                       request.answer});
        }
        if (finding.rule.empty()) return;
        finding.message = "The server refuses requests that carry no session id: a 2026-07-28 client never has one.";
        finding.change =
            "Serve every request on its own: drop the session requirement (stateless transport), and "
            "move anything the session held into explicit handles.";
        out.push_back(std::move(finding));
    }

private:
    RuleInfo info_{"session-required",
                   "The server refuses requests without a session",
                   Severity::breaks_when_stateless,
                   "a non-initialize request without Mcp-Session-Id answered 400/404 (the official SDKs' \"No "
                   "valid session ID\" and similar texts)",
                   "Run the transport statelessly; a modern client sends no session id and no initialize.",
                   "2026-07-28 basic/transports (no Mcp-Session-Id)",
                   false};
};

}  // namespace

std::unique_ptr<Rule> make_session_required_rule() {
    return std::make_unique<SessionRequiredRule>();
}

}  // namespace mcpshim::analyzer
