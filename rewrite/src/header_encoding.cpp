#include "mcpshim/rewrite/header_encoding.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>

#include "mcpshim/rewrite/base64.hpp"

namespace mcpshim::rewrite {
namespace {

constexpr std::string_view sentinel_prefix = "=?base64?";
constexpr std::string_view sentinel_suffix = "?=";

bool looks_like_sentinel(std::string_view v) {
    return v.size() >= sentinel_prefix.size() + sentinel_suffix.size() && v.starts_with(sentinel_prefix) &&
           v.ends_with(sentinel_suffix);
}

bool is_tchar(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) ||
           std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return out;
}

struct SchemaWalk {
    ToolHeaderSpec spec;
    std::vector<std::string> seen_lowercase;

    void fail(std::string why) {
        if (spec.valid) {
            spec.valid = false;
            spec.reason = std::move(why);
        }
    }

    void annotation(const json& node, const json& value, const std::vector<std::string>& path, bool reachable) {
        if (!reachable || path.empty())
            return fail("x-mcp-header is only allowed on properties reachable through \"properties\" alone");
        if (!value.is_string()) return fail("x-mcp-header must be a string");
        const auto& name = value.get_ref<const std::string&>();
        if (name.empty()) return fail("x-mcp-header must not be empty");
        if (!std::all_of(name.begin(), name.end(), is_tchar))
            return fail("x-mcp-header \"" + name + "\" is not an HTTP field-name token");
        const auto type = node.find("type");
        if (type == node.end() || !type->is_string() || (*type != "string" && *type != "integer" && *type != "boolean"))
            return fail("x-mcp-header \"" + name + "\" is on a parameter that is not a string, integer or boolean");
        auto key = lower(name);
        if (std::find(seen_lowercase.begin(), seen_lowercase.end(), key) != seen_lowercase.end())
            return fail("x-mcp-header \"" + name + "\" is used twice (names compare case-insensitively)");
        seen_lowercase.push_back(std::move(key));
        spec.params.push_back(HeaderAnnotation{path, name});
    }

    void walk(const json& node, std::vector<std::string>& path, bool reachable) {
        if (node.is_array()) {
            for (const auto& element : node) walk(element, path, false);
            return;
        }
        if (!node.is_object()) return;
        for (auto it = node.begin(); it != node.end(); ++it) {
            if (it.key() == "x-mcp-header") {
                annotation(node, it.value(), path, reachable);
            } else if (it.key() == "properties" && it.value().is_object()) {
                for (auto prop = it.value().begin(); prop != it.value().end(); ++prop) {
                    path.push_back(prop.key());
                    walk(prop.value(), path, reachable);
                    path.pop_back();
                }
            } else if (it.value().is_structured()) {
                walk(it.value(), path, false);
            }
        }
    }
};

std::optional<std::string> header_text(const json& value) {
    if (value.is_string()) return value.get<std::string>();
    if (value.is_boolean()) return value.get<bool>() ? "true" : "false";
    if (value.is_number_integer()) return value.dump();
    if (value.is_number_float()) {
        const double d = value.get<double>();
        if (std::trunc(d) == d && std::fabs(d) < 9007199254740992.0) return std::to_string(static_cast<long long>(d));
        return value.dump();
    }
    return std::nullopt;
}

}  // namespace

std::string encode_header_value(std::string_view utf8) {
    const bool plain = std::all_of(utf8.begin(), utf8.end(), [](char c) { return c >= 0x20 && c <= 0x7E; }) &&
                       (utf8.empty() || (utf8.front() != ' ' && utf8.back() != ' ')) && !looks_like_sentinel(utf8);
    if (plain) return std::string(utf8);
    return std::string(sentinel_prefix) + base64_encode(utf8) + std::string(sentinel_suffix);
}

std::optional<std::string> decode_header_value(std::string_view header_value) {
    if (!looks_like_sentinel(header_value)) return std::string(header_value);
    header_value.remove_prefix(sentinel_prefix.size());
    header_value.remove_suffix(sentinel_suffix.size());
    return base64_decode(header_value);
}

ToolHeaderSpec inspect_tool_headers(const json& input_schema) {
    SchemaWalk walk;
    std::vector<std::string> path;
    walk.walk(input_schema, path, true);
    if (!walk.spec.valid) walk.spec.params.clear();
    return std::move(walk.spec);
}

HeaderList param_headers(const ToolHeaderSpec& spec, const json& arguments) {
    HeaderList headers;
    for (const auto& annotation : spec.params) {
        const json* value = &arguments;
        for (const auto& key : annotation.path) {
            if (!value->is_object()) {
                value = nullptr;
                break;
            }
            const auto it = value->find(key);
            value = it == value->end() ? nullptr : &*it;
            if (!value) break;
        }
        if (!value || value->is_null()) continue;
        if (auto text = header_text(*value))
            headers.emplace_back("Mcp-Param-" + annotation.header, encode_header_value(*text));
    }
    return headers;
}

}  // namespace mcpshim::rewrite
