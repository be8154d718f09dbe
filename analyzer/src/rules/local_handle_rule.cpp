// Rule 2: small, guessable ids handed out and taken back inside one session
// (file descriptors, counters): they only mean something to the process
// that holds the session.
#include <map>

#include "rules/rule_set.hpp"
#include "rules/signals.hpp"

namespace mcpshim::analyzer {

namespace {

using namespace signals;

// Counters and short codes; UUIDs and long random strings are not.
bool low_entropy(const std::string& json_text) {
    auto value = json::parse(json_text, nullptr, false);
    if (value.is_number_integer()) return value.get<long long>() > -100000 && value.get<long long>() < 100000;
    if (!value.is_string()) return false;
    const auto& text = value.get_ref<const std::string&>();
    if (text.size() <= 6) return true;
    return text.find_first_not_of("0123456789") == std::string::npos && text.size() <= 9;
}

struct LocalHandleState final : RuleState {
    struct Seen {
        std::set<std::string> consumers, keys, values;  // values: the first few
        std::size_t sessions = 0;
        std::string last_session;
        std::vector<Evidence> evidence;
    };
    std::map<std::string, Seen> by_producer;
};

class LocalHandleRule final : public RuleOver<LocalHandleState> {
public:
    const RuleInfo& info() const override { return info_; }

    void observe([[maybe_unused]] const Server& server, const Session& session,
                 LocalHandleState& state) const override {
        auto& by_producer = state.by_producer;
        [[maybe_unused]] const std::string& id = session.id;
        const auto& calls = session.calls;
        for (std::size_t i = 0; i < calls.size(); ++i) {
            if (!is_tool_call(calls[i]) || !succeeded(calls[i])) continue;
            for (const auto& produced : calls[i].produced) {
                if (!low_entropy(produced.value)) continue;
                for (std::size_t j = i + 1; j < calls.size(); ++j) {
                    if (!is_tool_call(calls[j])) continue;
                    const Call& consumer = calls[j];
                    for (auto a = consumer.arguments.begin(); a != consumer.arguments.end(); ++a) {
                        if (a->dump() != produced.value) continue;
                        auto& seen = by_producer[calls[i].name];
                        seen.consumers.insert(consumer.name);
                        seen.keys.insert(a.key());
                        if (seen.last_session != id) {
                            seen.last_session = id;
                            ++seen.sessions;
                        }
                        if (seen.values.size() < 16) seen.values.insert(produced.value);
                        if (seen.evidence.size() < 6) {
                            seen.evidence.push_back(evidence(calls[i], code_span(calls[i].name) + " returned " +
                                                                           produced.key + " = " + produced.value));
                            seen.evidence.push_back(
                                evidence(consumer, code_span(consumer.name) + " took " + a.key() + " = " + a->dump()));
                        }
                    }
                }
            }
        }
    }

    void report([[maybe_unused]] const Server& server, LocalHandleState& state,
                std::vector<Finding>& out) const override {
        auto& by_producer = state.by_producer;
        for (auto& [producer, seen] : by_producer) {
            Finding finding;
            finding.rule = info_.id;
            finding.severity = info_.severity;
            finding.tools.push_back(producer);
            finding.tools.insert(finding.tools.end(), seen.consumers.begin(), seen.consumers.end());
            finding.argument_keys.assign(seen.keys.begin(), seen.keys.end());
            const bool collided = seen.sessions > 1 && seen.values.size() < seen.sessions + 1;
            finding.confidence = collided ? "high" : "medium";
            finding.confidence_reason =
                collided ? "the same small values were handed out in " + std::to_string(seen.sessions) + " sessions"
                         : "small values, seen in one session";
            finding.message = code_span(producer) + " hands out small, guessable ids (" + *seen.values.begin() +
                              ", ...) that " + code_span_list({seen.consumers.begin(), seen.consumers.end()}) +
                              " take back in the same session: they index state held by that session's process.";
            finding.change = code_span(producer) +
                             " should return globally unique, unguessable ids (a UUID) for "
                             "state stored where every instance can reach it.";
            finding.evidence = std::move(seen.evidence);
            out.push_back(std::move(finding));
        }
    }

private:
    RuleInfo info_{"session-local-handle",
                   "Small ids produced and consumed inside one session",
                   Severity::breaks_when_stateless,
                   "an id-like field (handle, fd, *_id) with a small integer or short value in a result, passed "
                   "back as an argument later in the same session; repeated values across sessions",
                   "Return unguessable, globally unique handles for state kept in shared storage, and check that "
                   "the caller may use them.",
                   "SEP-2567 explicit state handles",
                   false};
};

}  // namespace

std::unique_ptr<Rule> make_local_handle_rule() {
    return std::make_unique<LocalHandleRule>();
}

}  // namespace mcpshim::analyzer
