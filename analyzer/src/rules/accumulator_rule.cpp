// Rule 4: a result equals what earlier calls of the session added, and the
// call names no container: the session is the cart.
#include <map>

#include "rules/rule_set.hpp"
#include "rules/signals.hpp"

namespace mcpshim::analyzer {

using namespace signals;

namespace {
// A result that echoes the reader's own argument proves nothing.
bool read_arguments_lack(const Call& read, const std::string& value) {
    return !argument_strings(read).contains(value);
}
}  // namespace

Accumulation accumulation_before(const Session& session, std::size_t reader) {
    const Call& read = session.calls[reader];
    struct Contribution {
        const Call* first = nullptr;
        std::set<std::string> values;
    };
    std::map<std::string, Contribution> by_tool;
    // A reader that views what was gathered names nothing: a query argument
    // makes the overlap a search result, not an accumulator.
    if (!is_tool_call(read) || !succeeded(read) || takes_handle(read) || !argument_strings(read).empty()) return {};
    for (std::size_t k = 0; k < reader; ++k) {
        const Call& call = session.calls[k];
        if (!is_tool_call(call) || !succeeded(call) || call.name == read.name || takes_handle(call)) continue;
        for (const auto& value : argument_strings(call))
            if (read.result_text.find(value) != std::string::npos && read_arguments_lack(read, value)) {
                auto& contribution = by_tool[call.name];
                if (!contribution.first) contribution.first = &call;
                contribution.values.insert(value);
                break;
            }
    }
    Accumulation best;
    for (const auto& [name, contribution] : by_tool) {
        // A value inside another one (a URL and its page) is one thing set twice, not two added.
        std::size_t separate = 0;
        for (const auto& value : contribution.values) {
            bool inside_another = false;
            for (const auto& other : contribution.values)
                inside_another = inside_another || (other != value && other.find(value) != std::string::npos);
            if (!inside_another) ++separate;
        }
        if (separate >= 2 && separate > best.contributions) best = {contribution.first, separate};
    }
    return best;
}

namespace {

struct AccumulatorState final : RuleState {
    std::map<std::pair<std::string, std::string>, Finding> found;  // (adder, reader)
};

class AccumulatorRule final : public RuleOver<AccumulatorState> {
public:
    const RuleInfo& info() const override { return info_; }

    void observe([[maybe_unused]] const Server& server, const Session& session,
                 AccumulatorState& state) const override {
        auto& found = state.found;
        [[maybe_unused]] const std::string& id = session.id;
        for (std::size_t j = 0; j < session.calls.size(); ++j) {
            const auto acc = accumulation_before(session, j);
            if (!acc.adder) continue;
            const Call& reader = session.calls[j];
            auto [it, fresh] = found.try_emplace({acc.adder->name, reader.name});
            Finding& finding = it->second;
            if (fresh) {
                finding.rule = info_.id;
                finding.severity = info_.severity;
                finding.tools = {acc.adder->name, reader.name};
                for (auto a = acc.adder->arguments.begin(); a != acc.adder->arguments.end(); ++a)
                    finding.argument_keys.push_back(a.key());
                finding.message = code_span(reader.name) + " returns what " + std::to_string(acc.contributions) +
                                  " earlier " + code_span(acc.adder->name) +
                                  " calls of the session added, and neither names a container: the session "
                                  "holds it.";
                const std::string handle = handle_name_for(acc.adder->name);
                finding.change = "Add a call that creates the container and returns a " + code_span(handle) + "; " +
                                 code_span(acc.adder->name) + " and " + code_span(reader.name) + " should take it.";
                finding.confidence = "high";
                finding.confidence_reason =
                    "the result quotes the arguments of " + std::to_string(acc.contributions) + " separate calls";
            }
            if (finding.evidence.size() < 6) {
                finding.evidence.push_back(evidence(*acc.adder, code_span(acc.adder->name) + " added to it"));
                finding.evidence.push_back(
                    evidence(reader, code_span(reader.name) + " answered: " + reader.result_text.substr(0, 120)));
            }
        }
    }

    void report([[maybe_unused]] const Server& server, AccumulatorState& state,
                std::vector<Finding>& out) const override {
        auto& found = state.found;
        for (auto& [key, finding] : found) out.push_back(std::move(finding));
    }

private:
    RuleInfo info_{"session-accumulator",
                   "A result accumulates what earlier calls in the session added",
                   Severity::breaks_when_stateless,
                   "a tools/call result that contains string arguments of two or more earlier calls of another "
                   "tool in the same session, where no call takes a container argument",
                   "Create the container explicitly (a cart, a draft, a wizard) and pass its id on every call; "
                   "store it where every instance can reach it.",
                   "2026-07-28 basic/lifecycle; SEP-2567 explicit state handles",
                   false};
};

}  // namespace

std::unique_ptr<Rule> make_accumulator_rule() {
    return std::make_unique<AccumulatorRule>();
}

}  // namespace mcpshim::analyzer
