#pragma once
// Small readings of calls that several rules share.
#include <set>
#include <string>

#include "mcpshim/analyzer/rules.hpp"

namespace mcpshim::analyzer::signals {

bool is_tool_call(const Call& call);
bool succeeded(const Call& call);
// Arguments as one comparable string.
std::string arguments_key(const Call& call);
// Whether an argument is named like a handle (browser_id, cart_id, handle).
bool takes_handle(const Call& call);
// String and integer argument values, as JSON text.
std::set<std::string> argument_values(const Call& call);
// String argument values worth looking for in a result (two characters or more).
std::set<std::string> argument_strings(const Call& call);
// `tool` in backquotes, for messages.
std::string code_span(const std::string& name);
std::string code_span_list(const std::vector<std::string>& names);
Evidence evidence(const Call& call, std::string what);
// The name a handle returned by `tool` would have: browser_open -> browser_id.
std::string handle_name_for(const std::string& tool);

}  // namespace mcpshim::analyzer::signals
