// Rule 5: a login kept in the transport session, and one session id used by
// different callers (a security finding: whoever holds the id is logged in).
#include <regex>

#include "rules/rule_set.hpp"
#include "rules/signals.hpp"

namespace mcpshim::analyzer {

namespace {

using namespace signals;

bool is_login(const Call& call) {
    static const std::regex login_name(R"((^|[_\-.])(log_?in|sign_?in|auth|authenticate|authorize)($|[_\-.]))",
                                       std::regex::icase);
    if (std::regex_search(call.name, login_name)) return true;
    for (auto a = call.arguments.begin(); a != call.arguments.end(); ++a) {
        std::string key = a.key();
        for (auto& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (key == "password" || key == "passwd" || key == "secret" || key == "api_key" || key == "apikey") return true;
    }
    return false;
}

struct CredentialsState final : RuleState {
    Finding login;
    Finding shared;
};

class CredentialsRule final : public RuleOver<CredentialsState> {
public:
    const RuleInfo& info() const override { return info_; }

    void observe([[maybe_unused]] const Server& server, const Session& session,
                 CredentialsState& state) const override {
        auto& login = state.login;
        auto& shared = state.shared;
        [[maybe_unused]] const std::string& id = session.id;
        const auto& calls = session.calls;
        for (std::size_t i = 0; i < calls.size(); ++i) {
            if (!is_tool_call(calls[i]) || !succeeded(calls[i]) || !is_login(calls[i])) continue;
            std::vector<std::string> unlocked;
            for (std::size_t j = i + 1; j < calls.size(); ++j)
                if (is_tool_call(calls[j]) && succeeded(calls[j]) && !takes_handle(calls[j]) &&
                    calls[j].name != calls[i].name &&
                    std::find(unlocked.begin(), unlocked.end(), calls[j].name) == unlocked.end())
                    unlocked.push_back(calls[j].name);
            if (unlocked.empty()) continue;
            if (login.rule.empty()) {
                login.rule = info_.id;
                login.severity = info_.severity;
                login.tools.push_back(calls[i].name);
                for (auto a = calls[i].arguments.begin(); a != calls[i].arguments.end(); ++a)
                    login.argument_keys.push_back(a.key());
                login.confidence = "medium";
                login.confidence_reason = "a login-like call followed by calls that carry no credential";
            }
            for (const auto& name : unlocked)
                if (std::find(login.tools.begin(), login.tools.end(), name) == login.tools.end())
                    login.tools.push_back(name);
            if (failed_before(calls, i, unlocked)) {
                login.confidence = "high";
                login.confidence_reason = "the same calls failed before the login and succeeded after it";
            }
            if (login.evidence.size() < 6)
                login.evidence.push_back(evidence(calls[i], code_span(calls[i].name) + " logged in"));
        }
        std::set<std::string> principals = session.principals;
        if (principals.size() > 1 && !id.starts_with("no-session#")) {
            if (shared.rule.empty()) {
                shared.rule = info_.id;
                shared.severity = info_.severity;
                shared.confidence = "high";
                shared.confidence_reason = "Authorization headers with different digests under one session id";
            }
            std::string who;
            for (const auto& p : principals) who += (who.empty() ? "" : ", ") + p;
            shared.message = "Security: one session id was used by " + std::to_string(principals.size()) +
                             " different callers (" + who +
                             "); whoever presents the id acts as the session's "
                             "user.";
            for (const auto& call : session.calls)
                if (shared.evidence.size() < 6 && call.principal != *principals.begin())
                    shared.evidence.push_back(
                        evidence(call, "sent by principal " + call.principal + " under session " + id));
            shared.change =
                "Authorize every request from its own credentials (OAuth bearer tokens), never "
                "from the session it names.";
        }
    }

    void report([[maybe_unused]] const Server& server, CredentialsState& state,
                std::vector<Finding>& out) const override {
        auto& login = state.login;
        auto& shared = state.shared;
        if (!login.rule.empty()) {
            std::vector<std::string> after(login.tools.begin() + 1, login.tools.end());
            login.message = code_span(login.tools.front()) +
                            " logs the user in for the rest of the transport "
                            "session: " +
                            code_span_list(after) + " then act as that user without any credential.";
            login.change =
                "Authenticate each request (HTTP Authorization with OAuth, per the MCP authorization "
                "spec) instead of " +
                code_span(login.tools.front()) +
                "; or return a token that every "
                "later call takes.";
            out.push_back(std::move(login));
        }
        if (!shared.rule.empty()) out.push_back(std::move(shared));
    }

private:
    static bool failed_before(const std::vector<Call>& calls, std::size_t login,
                              const std::vector<std::string>& names) {
        for (std::size_t k = 0; k < login; ++k)
            if (calls[k].failed && std::find(names.begin(), names.end(), calls[k].name) != names.end()) return true;
        return false;
    }

    RuleInfo info_{"credentials-in-session",
                   "A login bound to the session, or a session shared by several callers",
                   Severity::breaks_when_stateless,
                   "a login-like tools/call (name, or password/secret arguments) after which other calls succeed "
                   "without credentials; one Mcp-Session-Id sent with different Authorization headers",
                   "Move authentication to the transport's authorization (OAuth bearer tokens on every request); "
                   "a session id is not a credential.",
                   "2026-07-28 basic/authorization; basic/security_best_practices (session hijacking)",
                   false};
};

}  // namespace

std::unique_ptr<Rule> make_credentials_rule() {
    return std::make_unique<CredentialsRule>();
}

}  // namespace mcpshim::analyzer
