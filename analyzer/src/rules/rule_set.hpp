#pragma once
// One factory per rule file; rule_catalogue() lists them in rule order.
#include <memory>

#include "mcpshim/analyzer/rules.hpp"

namespace mcpshim::analyzer {

std::unique_ptr<Rule> make_opener_rule();
std::unique_ptr<Rule> make_local_handle_rule();
std::unique_ptr<Rule> make_current_state_rule();
std::unique_ptr<Rule> make_accumulator_rule();
std::unique_ptr<Rule> make_credentials_rule();
std::unique_ptr<Rule> make_list_drift_rule();
std::unique_ptr<Rule> make_session_required_rule();
std::unique_ptr<Rule> make_server_requests_rule();
std::unique_ptr<Rule> make_removed_features_rule();
std::unique_ptr<Rule> make_initialize_dependent_rule();

// Whether `reader`'s result gathers string arguments of two or more earlier
// calls of one other tool in the session (a cart, a wizard).
struct Accumulation {
    const Call* adder = nullptr;  // one of the contributing calls
    std::size_t contributions = 0;
};
Accumulation accumulation_before(const Session& session, std::size_t reader);

}  // namespace mcpshim::analyzer
