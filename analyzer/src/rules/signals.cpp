#include "mcpshim/rewrite/method_names.hpp"
#include "rules/signals.hpp"

#include <cctype>

namespace mcpshim::analyzer::signals {

bool is_tool_call(const Call& call) {
    return call.method == method_name::tools_call && !call.name.empty();
}

bool succeeded(const Call& call) {
    return call.answered && !call.failed;
}

std::string arguments_key(const Call& call) {
    return call.arguments.dump();
}

bool takes_handle(const Call& call) {
    for (auto it = call.arguments.begin(); it != call.arguments.end(); ++it)
        if (id_like_key(it.key())) return true;
    return false;
}

namespace {
void walk(const json& value, std::set<std::string>& out, bool strings_only) {
    if (value.is_object() || value.is_array()) {
        for (const auto& item : value) walk(item, out, strings_only);
    } else if (value.is_string()) {
        if (!strings_only || value.get_ref<const std::string&>().size() >= 2)
            out.insert(strings_only ? value.get<std::string>() : value.dump());
    } else if (value.is_number_integer() && !strings_only) {
        out.insert(value.dump());
    }
}
}  // namespace

std::set<std::string> argument_values(const Call& call) {
    std::set<std::string> out;
    walk(call.arguments, out, false);
    return out;
}

std::set<std::string> argument_strings(const Call& call) {
    std::set<std::string> out;
    walk(call.arguments, out, true);
    return out;
}

std::string code_span(const std::string& name) {
    return "`" + name + "`";
}

std::string code_span_list(const std::vector<std::string>& names) {
    std::string out;
    for (std::size_t i = 0; i < names.size(); ++i) {
        if (i > 0) out += i + 1 == names.size() ? " and " : ", ";
        out += code_span(names[i]);
    }
    return out;
}

Evidence evidence(const Call& call, std::string what) {
    return Evidence{call.where, std::move(what)};
}

std::string handle_name_for(const std::string& tool) {
    const auto separator = tool.find_first_of("_-.");
    const std::string noun = separator == std::string::npos || separator == 0 ? tool : tool.substr(0, separator);
    return noun + "_id";
}

}  // namespace mcpshim::analyzer::signals
