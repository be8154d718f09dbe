#include "mcpshim/rewrite/json_parse.hpp"

#include <algorithm>
#include <vector>

namespace mcpshim::rewrite {
namespace {

// Builds the value as nlohmann's own DOM parser does, except that a member
// is appended without searching the members before it; duplicates are
// found once per object when it closes.
class LinearBuilder {
public:
    explicit LinearBuilder(json& root) : root_(root) {}

    bool null() { return place(nullptr); }
    bool boolean(bool value) { return place(value); }
    bool number_integer(json::number_integer_t value) { return place(value); }
    bool number_unsigned(json::number_unsigned_t value) { return place(value); }
    bool number_float(json::number_float_t value, const json::string_t&) { return place(value); }
    bool string(json::string_t& value) { return place(std::move(value)); }
    bool binary(json::binary_t& value) { return place(json::binary(std::move(value))); }

    bool start_object(std::size_t) { return open(json::value_t::object); }
    bool start_array(std::size_t) { return open(json::value_t::array); }
    bool key(json::string_t& name) {
        auto& members = static_cast<json::object_t::Container&>(stack_.back()->get_ref<json::object_t&>());
        members.emplace_back(std::move(name), nullptr);
        member_ = &members.back().second;
        return true;
    }
    bool end_object() {
        const bool unique = members_unique(stack_.back()->get_ref<const json::object_t&>());
        stack_.pop_back();
        return unique;
    }
    bool end_array() {
        stack_.pop_back();
        return true;
    }
    // Only the position: the parser's own text quotes the offending bytes,
    // which need not be valid UTF-8.
    bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception&) {
        error_ = "invalid JSON at byte " + std::to_string(position);
        return false;
    }

    const std::string& error() const { return error_; }

private:
    bool members_unique(const json::object_t& object) {
        if (object.size() < 2) return true;
        std::vector<std::string_view> names;
        names.reserve(object.size());
        for (const auto& member : object) names.emplace_back(member.first);
        std::sort(names.begin(), names.end());
        const auto twin = std::adjacent_find(names.begin(), names.end());
        if (twin == names.end()) return true;
        error_ = "duplicate member name \"" + std::string(twin->substr(0, 64)) + "\" in a JSON object";
        return false;
    }

    // Where the next value goes: the root, the array on top, or the member
    // whose name came last.
    json* place(json value) {
        if (stack_.empty()) {
            root_ = std::move(value);
            return &root_;
        }
        json& top = *stack_.back();
        if (top.is_array()) {
            auto& elements = top.get_ref<json::array_t&>();
            elements.push_back(std::move(value));
            return &elements.back();
        }
        *member_ = std::move(value);
        return member_;
    }
    bool open(json::value_t type) {
        stack_.push_back(place(json(type)));
        return true;
    }

    json& root_;
    std::vector<json*> stack_;
    json* member_ = nullptr;
    std::string error_;
};

}  // namespace

ParsedJson parse_json(std::string_view text, const JsonLimits& limits) {
    ParsedJson parsed;
    parsed.value = json(json::value_t::discarded);
    if (auto violation = check_json_limits(text, limits)) {
        parsed.error = violation->message();
        parsed.limit = std::move(violation);
        return parsed;
    }
    json value;
    LinearBuilder builder(value);
    const bool ok = json::sax_parse(text, &builder, json::input_format_t::json, /*strict=*/true);
    if (!ok) {
        parsed.error = builder.error().empty() ? "invalid JSON" : builder.error();
        return parsed;
    }
    parsed.value = std::move(value);
    return parsed;
}

}  // namespace mcpshim::rewrite
